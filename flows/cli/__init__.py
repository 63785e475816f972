"""`rte`: the command line of the Release Train Engineer's automation.

This module is the one typer app and its index: the two commands about
art.yaml itself live here, every other command in a module named for what it
does, registered below in the order `rte --help` lists them. Every failure a
command anticipates is explained in one place (`flows.cli.errors`). Neither
Prefect nor the config schema is imported until a command needs it, so
`rte --help` answers at once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from flows.cli import economics as cli_economics
from flows.cli import health as cli_health
from flows.cli import init as cli_init
from flows.cli import jira as cli_jira
from flows.cli import ops as cli_ops
from flows.cli import publish as cli_publish
from flows.cli.common import ConfigPath, console, load_config, say, warn
from flows.cli.errors import RteGroup
from reports.terminal import plain

if TYPE_CHECKING:
    from art.config import ArtConfig

app = typer.Typer(
    name="rte",
    cls=RteGroup,
    help="Automates a SAFe Release Train Engineer's routine: health checks, pages, calendar.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"rte {version('rte')}")
        raise typer.Exit()


@app.callback()
def rte(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print rte's version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Automates a SAFe Release Train Engineer's routine: health checks, pages, calendar."""


@app.command("check-config")
def check_config(
    path: ConfigPath,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="Also sign in to every configured service (read-only) and check the config "
            "against what they hold: fields, statuses, boards, PIs, space, mailbox, secrets.",
        ),
    ] = False,
) -> None:
    """Validate art.yaml; exit 0 if it is usable, else list every problem and exit 2."""
    config = load_config(path)
    line = Text.assemble(
        ("OK", "green"),
        " ",
        plain(
            f"{path}: ART '{config.art.name}', {len(config.teams)} teams, "
            f"Jira backend '{config.jira.backend}'"
        ),
    )
    console.print(line, highlight=False)
    if config.objectives.source == "yaml" and config.objectives.file is None:
        from flows.steps.objectives import NOT_SET_UP

        say(f"note: objectives {NOT_SET_UP}; rte objectives needs that, the rest does not")
    _warn_expired_suppressions(path, config)
    if online:
        from flows.cli.online import check_online

        check_online(config)


def _warn_expired_suppressions(path: Path, config: ArtConfig) -> None:
    """A suppression past its `until` hides nothing any more: say so, so it is removed (the
    nightly run reports the ones in force that match no finding)."""
    from flows.steps.clock import art_today
    from rules.suppressions import expired

    for index, entry in expired(config.suppressions, art_today(config)):
        warn(
            f"warning: {path}: suppressions[{index}] ('{entry.rule}' on '{entry.subject}') "
            f"expired on {entry.until.isoformat()}: the finding is back; remove the entry"
        )


@app.command("config-schema")
def config_schema() -> None:
    """Print the JSON Schema of art.yaml (for editor completion and validation)."""
    from art.config import ArtConfig

    schema = ArtConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "rte art.yaml"
    typer.echo(json.dumps(schema, indent=2))


app.command()(cli_init.init)
app.command()(cli_health.demo)
app.command()(cli_health.health)
app.command()(cli_jira.sync)
app.command()(cli_publish.calendar)
app.command("flow-export")(cli_health.flow_export)
app.command()(cli_publish.objectives)
app.command()(cli_economics.rollup)
app.command()(cli_economics.budget)
app.command()(cli_economics.readiness)
app.command()(cli_economics.forecast)
app.command()(cli_ops.serve)
app.command()(cli_ops.deploy)
app.add_typer(cli_ops.blocks_app, name="blocks")


def main() -> None:
    app()
