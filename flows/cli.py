"""`rte`: the command line of the Release Train Engineer's automation.

Prefect is imported only by the commands that run a flow, so `rte --help`
and `rte check-config` answer at once.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from art.config import ArtConfig, ConfigError

app = typer.Typer(
    name="rte",
    help="Automates a SAFe Release Train Engineer's routine: health checks, pages, calendar.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "examples" / "demo-art" / "art.yaml"

ConfigPath = Annotated[Path, typer.Argument(help="Path to art.yaml.", show_default=False)]


def _load(path: Path) -> ArtConfig:
    """Read art.yaml, or print every problem with its field path and exit 2."""
    from connectors.config_file import read_config

    try:
        return read_config(path)
    except ConfigError as exc:
        errors.print(f"[bold red]{path}: {len(exc.problems)} problem(s)[/]", highlight=False)
        for problem in exc.problems:
            errors.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(2) from None


@app.command("check-config")
def check_config(path: ConfigPath) -> None:
    """Validate art.yaml; exit 0 if it is usable, else list every problem and exit 2."""
    config = _load(path)
    console.print(
        f"[green]OK[/] {path}: ART '{config.art.name}', {len(config.teams)} teams, "
        f"Jira backend '{config.jira.backend}'",
        highlight=False,
    )


@app.command("config-schema")
def config_schema() -> None:
    """Print the JSON Schema of art.yaml (for editor completion and validation)."""
    schema = ArtConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "rte art.yaml"
    typer.echo(json.dumps(schema, indent=2))


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for health.json, health.html, pages.")] = Path(
        "out"
    ),
    today: Annotated[
        str | None, typer.Option(help="Evaluate as of this date (YYYY-MM-DD).")
    ] = None,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's run logs.")] = False,
) -> None:
    """Run the nightly health check on the embedded demo ART, offline."""
    run_nightly(DEMO_CONFIG, out=out, today=today, verbose=verbose, ephemeral=True)


def run_nightly(config_path: Path, *, out: Path, today: str | None, verbose: bool,
                ephemeral: bool) -> None:
    """Run `nightly_health` in this process and print its summary."""
    _load(config_path)  # fail fast, before Prefect's start-up cost
    as_of = _parse_day(today)
    from flows.runtime import prepare_prefect

    prepare_prefect(ephemeral=ephemeral, quiet=not verbose)
    started = time.perf_counter()
    with console.status("Starting Prefect and running nightly-health ..."):
        from flows.nightly_health import nightly_health

        report = nightly_health(config_path=str(config_path), out_dir=str(out), today=as_of)
    from reports.summary import summary_table

    console.print(summary_table(report))
    console.print(
        f"Wrote {out / 'health.json'} and {out / 'health.html'} "
        f"in {time.perf_counter() - started:.1f} s",
        highlight=False,
    )


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.print(f"--today: '{value}' is not a date such as 2026-11-20", markup=False)
        raise typer.Exit(2) from None


def main() -> None:
    app()
