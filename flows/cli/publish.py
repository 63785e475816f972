"""`rte calendar` and `rte objectives`: the commands that publish to people.

Each runs its Prefect flow in this process (imported only when the command
runs) and prints what was published, or with `--dry-run` what would be.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from art.config import ArtConfig
from art.config_errors import ConfigError
from flows.cli.common import (
    ConfigOption,
    TodayOption,
    VerboseOption,
    console,
    fail,
    load_config,
    parse_day,
    print_problems,
)

if TYPE_CHECKING:  # imported where used, to keep `rte --help` fast
    from art.model import ArtEvent


def calendar(
    config: ConfigOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Write the calendar to this .ics file instead.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Output folder of the .ics backend.")] = Path("out"),
    verbose: VerboseOption = False,
) -> None:
    """Print the ART calendar, then publish it: sync Outlook, or write the .ics file."""
    art = load_config(config)
    from reports.calendar_table import adjustments_table, calendar_table
    from rules.calendar import plan_calendar

    try:
        plan = plan_calendar(art)
    except ConfigError as exc:  # e.g. a holiday country the holidays package does not know
        print_problems(config, exc)
    console.print(calendar_table(plan, art.art.timezone))
    if plan.adjustments:
        console.print(adjustments_table(plan))
    if dry_run:
        _print_calendar_diff(art, plan.events, out, ics)
    else:
        run_calendar(config, out=out, ics=ics, verbose=verbose)


def _print_calendar_diff(
    art: ArtConfig, events: tuple[ArtEvent, ...], out: Path, ics: Path | None
) -> None:
    """The dry run: the Outlook changes a sync would make, or whether the .ics would change."""
    from datetime import UTC, datetime

    from connectors.graph_client import GraphCallFailed
    from connectors.http import RetriesExhaustedError
    from flows.steps import calendar as calendar_sync
    from flows.steps.secrets import SecretError

    if art.calendar.backend == "outlook" and ics is None:
        try:
            existing = calendar_sync.outlook_for(art).list_events(calendar_sync.art_prefix(art))
        except (GraphCallFailed, RetriesExhaustedError, SecretError) as exc:
            fail(f"rte calendar: {exc}")
        sync = calendar_sync.diff_calendar(art, events, existing, datetime.now(UTC))
        for line in calendar_sync.describe_plan(sync):
            console.print(f"Dry run: {line}", markup=False, highlight=False, soft_wrap=True)
        return
    target = calendar_sync.ics_target(art, out, str(ics) if ics else None)
    data = calendar_sync.render_calendar(art, events, target)
    same = target.is_file() and target.read_bytes() == data
    verdict = "unchanged" if same else "would be written"
    console.print(f"Dry run: {target} {verdict}", markup=False, highlight=False, soft_wrap=True)


def run_calendar(config_path: Path, *, out: Path, ics: Path | None, verbose: bool) -> None:
    """Run `art_calendar` in this process and print what it published."""
    from flows.runs.runtime import prepare_prefect

    prepare_prefect(ephemeral=True, quiet=not verbose)
    with console.status("Starting Prefect and running art-calendar ..."):
        from connectors.graph_client import GraphCallFailed
        from connectors.http import RetriesExhaustedError
        from flows.art_calendar import CalendarSyncFailed, art_calendar
        from flows.steps.secrets import SecretError

        try:
            run = art_calendar(
                config_path=str(config_path), out_dir=str(out), ics_file=str(ics) if ics else None
            )
        except (CalendarSyncFailed, GraphCallFailed, RetriesExhaustedError, SecretError) as exc:
            fail(f"rte calendar: {exc}")
    if run.outcome is not None:
        done = run.outcome
        console.print(
            f"Outlook {run.target}: {done.created} created, {done.updated} updated, "
            f"{done.removed} cancelled, {done.unchanged} unchanged, "
            f"{done.occurrences_cancelled} holiday occurrence(s) cancelled "
            f"in {done.batch_requests} $batch request(s)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    else:
        verdict = "Wrote" if run.file_changed else "Unchanged:"
        console.print(
            f"{verdict} {run.target} ({len(run.plan.events)} events)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def objectives(
    config: ConfigOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan (create, update, unchanged) only.")
    ] = False,
    out: Annotated[Path, typer.Option(help="Output folder of the files backend.")] = Path("out"),
    today: TodayOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Publish the PI objective pages (one per team and PI, one for the ART) as a reconcile."""
    run_objectives(config, out=out, dry_run=dry_run, today=today, verbose=verbose)


def run_objectives(
    config: Path, *, out: Path, dry_run: bool, today: str | None, verbose: bool
) -> None:
    """Run `pi_objectives` in this process and print predictability and the page plan."""
    load_config(config)  # fail fast, before Prefect's start-up cost
    as_of = parse_day(today)
    from flows.runs.runtime import prepare_prefect

    prepare_prefect(ephemeral=True, quiet=not verbose)
    with console.status("Starting Prefect and running pi-objectives ..."):
        from connectors.confluence_api import ConfluenceError
        from connectors.http import RetriesExhaustedError
        from connectors.jira import JiraError
        from flows.pi_objectives import pi_objectives
        from flows.steps.publishing import PublishFailed
        from flows.steps.secrets import SecretError

        try:
            run = pi_objectives(
                config_path=str(config), out_dir=str(out), dry_run=dry_run, today=as_of
            )
        except ConfigError as exc:  # the objectives file, or a Jira field mapping
            print_problems(getattr(exc, "path", config), exc)
        except (
            ConfluenceError,
            PublishFailed,
            JiraError,
            RetriesExhaustedError,
            SecretError,
        ) as exc:
            fail(f"rte objectives: {exc}")
    from reports.objectives_summary import objective_findings_table, predictability_table

    console.print(predictability_table(run.report))
    if run.report.findings:
        console.print(objective_findings_table(run.report))
    published = run.published
    for line in published.plan_lines(every=dry_run):
        console.print(f"  {line}", markup=False, highlight=False)
    console.print(published.summary(), markup=False, highlight=False)
