"""`rte demo` and `rte flow-export`: the nightly health check and its flow data.

`demo` runs the nightly health check, the PI objective pages and the calendar
on the embedded demo ART, offline; `flow-export` writes the same flow data for ActionableAgile.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import (
    DEMO_CONFIG,
    ConfigOption,
    TodayOption,
    VerboseOption,
    console,
    fail,
    load_config,
    parse_day,
    warn,
)
from flows.cli.publish import run_calendar, run_objectives


def demo(
    out: Annotated[Path, typer.Option(help="Folder for health.json, health.html, pages.")] = Path(
        "out"
    ),
    today: TodayOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Run the three flows on the embedded demo ART, offline: health, objectives, calendar."""
    run_nightly(DEMO_CONFIG, out=out, today=today, verbose=verbose, ephemeral=True)
    run_objectives(DEMO_CONFIG, out=out, dry_run=False, today=today, verbose=verbose)
    run_calendar(DEMO_CONFIG, out=out, ics=None, verbose=verbose)


def run_nightly(
    config_path: Path, *, out: Path, today: str | None, verbose: bool, ephemeral: bool
) -> None:
    """Run `nightly_health` in this process and print its summary."""
    load_config(config_path)  # fail fast, before Prefect's start-up cost
    as_of = parse_day(today)
    from flows.runs.runtime import prepare_prefect

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


def flow_export(
    config: ConfigOption,
    out: Annotated[Path, typer.Option("--out", help="The CSV file to write.", show_default=False)],
    level: Annotated[
        str | None,
        typer.Option(help="story or feature: whose board (default: the Program Kanban's)."),
    ] = None,
) -> None:
    """Write the flow data as an ActionableAgile Analytics CSV (a date column per state)."""
    art = load_config(config)
    from connectors.jira import JiraError
    from connectors.jira_export import ExportFormatError, ExportNotFoundError
    from flows.steps.flow_export import UnknownLevelError, write_flow_export
    from flows.steps.secrets import SecretError

    try:
        written = write_flow_export(art, out, level)
    except (
        UnknownLevelError,
        ExportFormatError,
        ExportNotFoundError,
        JiraError,
        SecretError,
    ) as exc:
        fail(f"rte flow-export: {exc}", 2 if isinstance(exc, UnknownLevelError) else 1)
    export = written.export
    console.print(
        f"{'Wrote' if written.changed else 'Unchanged:'} {out}: {len(export.rows)} "
        f"{written.level} items, {len(export.header) - 6} states",
        markup=False,
        highlight=False,
    )
    if export.skipped:
        warn(
            f"left out {len(export.skipped)} item(s) in a status on no state: "
            + ", ".join(export.skipped)
        )
