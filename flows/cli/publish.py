"""`rte objectives` and `rte calendar`: the commands that publish to people.

Each runs its flow's pipeline (in process, or as a Prefect flow run: see
`flows.cli.running`) and prints what was published, or with `--dry-run`
what would be.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.common import (
    ConfigOption,
    DryRunOption,
    OutDir,
    PrefectOption,
    PruneOption,
    TodayOption,
    VerboseOption,
    console,
    parse_day,
    say,
)
from flows.cli.running import CALENDAR, OBJECTIVES, RunMode

if TYPE_CHECKING:
    from flows.steps.calendar import CalendarRun
    from flows.steps.objective_pages import ObjectivesRun


def calendar(
    config: ConfigOption,
    dry_run: DryRunOption = False,
    ics: Annotated[
        Path | None,
        typer.Option("--ics", help="Write the calendar to this .ics file instead.", dir_okay=False),
    ] = None,
    out: OutDir = Path("out"),
    prefect: PrefectOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Publish the ART calendar (sync Outlook, or write the .ics file) and print it."""
    with RunMode.choose(prefect=prefect, verbose=verbose) as mode:
        run_calendar(mode, config, out=out, dry_run=dry_run, ics=ics, table=True)


def run_calendar(
    mode: RunMode, config_path: Path, *, out: Path, dry_run: bool, ics: Path | None, table: bool
) -> None:
    """Plan and publish the calendar; print the result, after the events and the holiday
    changes when `table`."""
    run: CalendarRun = mode.run(
        CALENDAR, config_path, out=out, dry_run=dry_run, ics_file=ics, since=datetime.now(UTC)
    )
    if table:
        from reports.calendar_table import adjustments_table, calendar_table

        console.print(calendar_table(run.plan, run.timezone))
        if run.plan.adjustments:
            console.print(adjustments_table(run.plan))
    _say_calendar(run, dry_run)


def _say_calendar(run: CalendarRun, dry_run: bool) -> None:
    if run.backend == "ics":
        if dry_run:
            say(f"Dry run: {run.target} {'would be written' if run.file_changed else 'unchanged'}")
        else:
            verdict = "Wrote" if run.file_changed else "Unchanged:"
            say(f"{verdict} {run.target} ({len(run.plan.events)} events)")
        return
    if dry_run or run.outcome is None:
        for line in run.changes:
            say(f"Dry run: {line}")
        return
    done = run.outcome
    in_all = f", {run.requests} request(s) in all" if run.requests is not None else ""
    say(
        f"Outlook {run.target}: {done.created} created, {done.updated} updated, "
        f"{done.removed} cancelled, {done.unchanged} unchanged, "
        f"{done.occurrences_cancelled} holiday occurrence(s) cancelled "
        f"in {done.batch_requests} $batch request(s){in_all} (retries included)"
    )
    for drift in run.drift:
        say(f"Changed in Outlook: {drift.line()}")


def objectives(
    config: ConfigOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan (create, update, unchanged) only.")
    ] = False,
    out: OutDir = Path("out"),
    today: TodayOption = None,
    prune: PruneOption = False,
    prefect: PrefectOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Publish the PI objective pages (one per team and PI, one for the ART) as a reconcile."""
    with RunMode.choose(prefect=prefect, verbose=verbose) as mode:
        run_objectives(mode, config, out=out, dry_run=dry_run, today=today, prune=prune)


def run_objectives(
    mode: RunMode,
    config_path: Path,
    *,
    out: Path,
    dry_run: bool,
    today: str | None,
    prune: bool = False,
) -> None:
    """Publish the objective pages; print predictability, the findings and the page plan
    (with the pages people changed and the orphans)."""
    run: ObjectivesRun = mode.run(
        OBJECTIVES, config_path, out=out, dry_run=dry_run, today=parse_day(today), prune=prune
    )
    from reports.objectives_summary import objective_findings_table, predictability_table

    console.print(predictability_table(run.report))
    if run.report.findings:
        console.print(objective_findings_table(run.report))
    for line in run.published.plan_lines(every=dry_run):
        say(f"  {line}")
    say(run.published.summary())
