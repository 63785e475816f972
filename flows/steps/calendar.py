"""The ART calendar's steps: plan the events, then sync Outlook or write the .ics file.

Outlook is a reconcile (list our events -> diff -> apply in `$batch`
requests), so an unchanged event sends no update and a run after a crash
picks up where the last one stopped. The .ics file is rewritten only when
its bytes change. `flows.steps.bootstrap` picks the target; the work itself
is in `rules.calendar`, `reports.ics` and `connectors.outlook`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from art.config import ArtConfig
from art.model import ArtEvent, Drift
from connectors.files import write_bytes_atomically
from connectors.outlook_events import Existing, SyncPlan, plan_sync
from flows.steps.failures import RunFailed
from flows.steps.pipeline import talks_to_services
from reports.ics import PublishedVersion, published_versions, render_ics
from rules.calendar import CalendarPlan, slug

if TYPE_CHECKING:  # msgraph-sdk is imported only by a run that talks to Outlook
    from connectors.outlook import OutlookCalendar, SyncOutcome


class CalendarSyncFailed(RunFailed):
    """Some writes failed; the others are done and a re-run retries only what is missing."""


@dataclass(frozen=True)
class IcsFile:
    """The calendar as an .ics file (`calendar.ics_file` in the output folder, or `--ics`)."""

    path: Path


CalendarTarget: TypeAlias = "OutlookCalendar | IcsFile"


@dataclass(frozen=True)
class CalendarRun:
    """What one run planned and did."""

    backend: str
    plan: CalendarPlan
    target: str  # the .ics path, or the mailbox
    timezone: str  # the ART's, which the events' times are shown in
    changes: list[str] = field(default_factory=list)
    outcome: SyncOutcome | None = None
    file_changed: bool | None = None
    drift: tuple[Drift, ...] = ()  # events a person changed in Outlook: restored or reported
    requests: int | None = None  # Graph requests on the wire, listing and retries included


def art_prefix(config: ArtConfig) -> str:
    """The key prefix of every event of this ART (others may share the mailbox)."""
    return f"{slug(config.art.name)}/"


def pi_scopes(config: ArtConfig) -> tuple[str, ...]:
    """Key prefixes of the PIs in the cadence: only their events may be cancelled by a sync."""
    return tuple(f"{art_prefix(config)}{slug(pi.name)}/" for pi in config.cadence.pis)


@talks_to_services
def list_existing(calendar: OutlookCalendar, config: ArtConfig) -> tuple[Existing, ...]:
    """Our events in the Outlook calendar."""
    return calendar.list_events(art_prefix(config))


def diff_calendar(
    config: ArtConfig,
    events: Sequence[ArtEvent],
    existing: Sequence[Existing],
    since: datetime | None,
) -> SyncPlan:
    """Compare the plan with the calendar: create, update, cancel, or leave alone; an event a
    person changed is reported, or restored (`calendar.on_drift`)."""
    return plan_sync(
        events,
        existing,
        tz=config.art.timezone,
        scopes=pi_scopes(config),
        since=since,
        on_drift=config.calendar.on_drift,
    )


@talks_to_services
def apply_changes(calendar: OutlookCalendar, sync: SyncPlan) -> SyncOutcome:
    """Write the changes in $batch requests; fail if any write failed (a re-run does the rest)."""
    outcome = calendar.apply(sync)
    if outcome.failures:
        raise CalendarSyncFailed(
            f"Microsoft Graph, mailbox {calendar.mailbox}: {outcome.failure_summary()}"
        )
    return outcome


def render_calendar(
    config: ArtConfig, events: Sequence[ArtEvent], target: Path, now: datetime | None = None
) -> bytes:
    """The .ics bytes, with SEQUENCE numbers (and the DTSTAMP of unchanged events) continued
    from the file they will replace; a new or changed event is stamped `now`. The organizer
    is the calendar's mailbox, or else the RTE."""
    return render_ics(
        events,
        calendar_name=f"{config.art.name} calendar",
        tz=config.art.timezone,
        previous=previous_versions(target),
        dtstamp=now,
        organizer=config.calendar.mailbox or config.notifications.rte,
    )


def previous_versions(target: Path) -> dict[str, PublishedVersion]:
    """What the published file says, or nothing when there is none (or it is not a calendar)."""
    try:
        return published_versions(target.read_bytes())
    except (FileNotFoundError, ValueError):
        return {}


@talks_to_services
def write_ics(config: ArtConfig, plan: CalendarPlan, target: IcsFile, dry_run: bool) -> bool:
    """Write the .ics file (SEQUENCE raised for changed events); True when it changed (or,
    in a dry run, would change)."""
    data = render_calendar(config, plan.events, target.path, datetime.now(UTC))
    if dry_run:
        return not (target.path.is_file() and target.path.read_bytes() == data)
    return write_bytes_atomically(target.path, data)


def describe_plan(plan: SyncPlan) -> list[str]:
    """What a sync changes, event by event, and the counts last."""
    lines = [f"create {want.event.key}: {want.payload['subject']}" for want in plan.create]
    lines += [f"update {want.event.key}: {want.payload['subject']}" for _, want in plan.update]
    lines += [f"cancel {have.key}" for have in plan.remove]
    lines += [f"cancel holidays of {want.event.key}" for _, want in plan.repair]
    lines += [f"drift: {drift.line()}" for drift in plan.drift]
    edited = f", {len(plan.drift)} changed in Outlook" if plan.drift else ""
    lines.append(
        f"{len(plan.create)} to create, {len(plan.update)} to update, {len(plan.remove)} to "
        f"cancel, {len(plan.unchanged)} unchanged, {plan.past} in the past{edited}"
    )
    return lines
