"""The ART calendar: plan the events -> sync Outlook (list -> diff -> apply) or write the .ics.

`publish_calendar` is the pipeline the `art_calendar` flow runs as tasks and
`rte calendar` runs in process. With `dry_run` nothing is written; the run
says what it would do.
"""

from __future__ import annotations

import logging
from datetime import datetime

from art.config import ArtConfig
from flows.steps.bootstrap import Adapters
from flows.steps.calendar import (
    CalendarRun,
    IcsFile,
    apply_changes,
    describe_plan,
    diff_calendar,
    list_existing,
    write_ics,
)
from flows.steps.pipeline import StepRunner, run_directly
from rules.calendar import CalendarPlan, plan_calendar

log = logging.getLogger(__name__)


def plan_events(config: ArtConfig) -> CalendarPlan:
    """Lay the event templates out on the cadence, around the public holidays."""
    plan = plan_calendar(config)
    log.info("Planned %d events, %d moved or skipped", len(plan.events), len(plan.adjustments))
    for item in plan.adjustments:
        what = f"moved to {item.moved_to}" if item.moved_to else "skipped"
        log.info("%s on %s: %s (%s)", item.key, item.planned, what, item.holiday)
    return plan


def publish_calendar(
    adapters: Adapters, *, dry_run: bool, since: datetime, step: StepRunner = run_directly
) -> CalendarRun:
    """Publish the ART calendar: sync the Outlook calendar, or write the .ics file.

    `since` is when history starts: older events are left as they are.
    """
    config = adapters.config
    zone = config.art.timezone
    plan = step(plan_events, config)
    target = adapters.calendar
    if isinstance(target, IcsFile):
        changed = step(write_ics, config, plan, target, dry_run)
        return CalendarRun("ics", plan, str(target.path), zone, file_changed=changed)
    existing = step(list_existing, target, config)
    sync = step(diff_calendar, config, plan.events, existing, since)
    changes = describe_plan(sync)
    for line in changes:
        log.info("%s%s", "Dry run: " if dry_run else "", line)
    outcome = None if dry_run else step(apply_changes, target, sync)
    return CalendarRun(
        "outlook",
        plan,
        target.mailbox,
        zone,
        changes,
        outcome=outcome,
        drift=sync.drift,
        requests=target.counter.total,
    )
