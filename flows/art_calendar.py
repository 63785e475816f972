"""The ART calendar: load config -> plan events -> publish (Outlook sync, or an .ics file).

Outlook: list our events -> diff -> apply, so an unchanged event sends no
update and a re-run after a crash picks up where it stopped. The .ics file
is rewritten only when its bytes change. With `dry_run` nothing is written;
the run logs (and returns) what it would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from art.config import ArtConfig
from connectors.outlook import SyncOutcome
from connectors.outlook_events import Existing, SyncPlan
from flows.runs.artifacts import RunRecord, failure_reported, leave_artifacts
from flows.runs.config_task import load_config
from flows.runs.run_guard import publishing_slot
from flows.runs.run_records import calendar_record
from flows.runs.task_retries import not_yet_retried
from flows.steps.calendar import (
    art_prefix,
    describe_plan,
    diff_calendar,
    ics_target,
    outlook_for,
    render_calendar,
    write_calendar,
)
from rules.calendar import CalendarPlan, plan_calendar


class CalendarSyncFailed(Exception):
    """Some writes failed; the others are done and a re-run retries only what is missing."""


@dataclass(frozen=True)
class CalendarRun:
    """What one run of the flow planned and did."""

    backend: str
    plan: CalendarPlan
    target: str  # the .ics path, or the mailbox
    changes: list[str] = field(default_factory=list)
    outcome: SyncOutcome | None = None
    file_changed: bool | None = None


@task(cache_policy=NO_CACHE)
def plan_events(config: ArtConfig) -> CalendarPlan:
    """Lay the event templates out on the cadence, around the public holidays."""
    plan = plan_calendar(config)
    logger = get_run_logger()
    logger.info("Planned %d events, %d moved or skipped", len(plan.events), len(plan.adjustments))
    for item in plan.adjustments:
        what = f"moved to {item.moved_to}" if item.moved_to else "skipped"
        logger.info("%s on %s: %s (%s)", item.key, item.planned, what, item.holiday)
    return plan


@task(
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=not_yet_retried,
)
def list_existing(config: ArtConfig) -> tuple[Existing, ...]:
    """Read our events from the Outlook calendar."""
    return outlook_for(config).list_events(art_prefix(config))


@task(cache_policy=NO_CACHE)
def diff_events(
    config: ArtConfig, plan: CalendarPlan, existing: tuple[Existing, ...], since: datetime
) -> SyncPlan:
    """Compare the plan with the calendar: create, update, cancel, or leave alone."""
    sync = diff_calendar(config, plan.events, existing, since)
    get_run_logger().info("Outlook: %s", describe_plan(sync)[-1])
    return sync


@task(
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=30,
    retry_condition_fn=not_yet_retried,
)
def apply_changes(config: ArtConfig, sync: SyncPlan) -> SyncOutcome:
    """Write the changes in $batch requests; fail if any write failed (a re-run does the rest)."""
    outcome = outlook_for(config).apply(sync)
    if outcome.failures:
        mailbox = config.calendar.mailbox
        raise CalendarSyncFailed(f"Microsoft Graph, mailbox {mailbox}: {outcome.failure_summary()}")
    return outcome


@task(cache_policy=NO_CACHE)
def write_ics(config: ArtConfig, plan: CalendarPlan, target: Path, dry_run: bool) -> bool:
    """Write the .ics file (SEQUENCE raised for changed events); True when it changed."""
    data = render_calendar(config, plan.events, target)
    if dry_run:
        get_run_logger().info("Dry run: would write %d events to %s", len(plan.events), target)
        return False
    changed = write_calendar(data, target)
    get_run_logger().info("%s %s", "Wrote" if changed else "Unchanged:", target)
    return changed


@flow(name="art-calendar")
def art_calendar(
    config_path: str,
    out_dir: str = "out",
    dry_run: bool = False,
    ics_file: str | None = None,
    since: datetime | None = None,
    today: date | None = None,
) -> CalendarRun:
    """Publish the ART calendar: sync the Outlook calendar, or write the .ics file.

    `ics_file` writes the calendar to that file whatever the backend; `since`
    (default: the start of `today` in the ART's time zone if given, else now)
    is when history starts: older events are left as they are.
    """
    config = load_config(config_path)
    if since is None and today is not None:
        since = datetime.combine(today, time(), ZoneInfo(config.art.timezone))
    with (
        failure_reported("art-calendar", config, dry_run=dry_run),
        publishing_slot("art-calendar", config.art.name, dry_run=dry_run),
    ):
        run = _publish_calendar(config, out_dir, dry_run, ics_file, since)
    leave_artifacts(_record(config, run, dry_run), config)
    return run


def _publish_calendar(
    config: ArtConfig, out_dir: str, dry_run: bool, ics_file: str | None, since: datetime | None
) -> CalendarRun:
    """Plan the events, then sync Outlook or write the .ics: what the publishing slot guards."""
    plan = plan_events(config)
    if config.calendar.backend == "outlook" and ics_file is None:
        existing = list_existing(config)
        sync = diff_events(config, plan, existing, since or datetime.now(UTC))
        changes = describe_plan(sync)
        if dry_run:
            for line in changes:
                get_run_logger().info("Dry run: %s", line)
        outcome = None if dry_run else apply_changes(config, sync)
        mailbox = config.calendar.mailbox or ""
        run = CalendarRun("outlook", plan, mailbox, changes, outcome=outcome)
    else:
        target = ics_target(config, Path(out_dir), ics_file)
        changed = write_ics(config, plan, target, dry_run)
        run = CalendarRun("ics", plan, str(target), file_changed=changed)
    return run


def _record(config: ArtConfig, run: CalendarRun, dry_run: bool) -> RunRecord:
    """The run as the Prefect UI shows it: the counts, and the holiday changes as findings."""
    rows: list[tuple[str, str]] = []
    if run.outcome is not None:
        outcome = run.outcome
        rows += [
            (
                "created / updated / cancelled",
                f"{outcome.created} / {outcome.updated} / {outcome.removed}",
            ),
            ("unchanged", str(outcome.unchanged)),
            ("holiday occurrences cancelled", str(outcome.occurrences_cancelled)),
            ("$batch requests", str(outcome.batch_requests)),
        ]
    if run.changes:
        rows.append(("changes", run.changes[-1]))
    if run.file_changed is not None:
        rows.append((".ics file changed", "yes" if run.file_changed else "no"))
    return calendar_record(
        config, run.plan, backend=run.backend, target=run.target, facts=rows, dry_run=dry_run
    )
