"""The ART calendar as a Prefect flow: plan the events -> sync Outlook, or write the .ics file.

The pipeline is `flows.steps.calendar_publish.publish_calendar`, each step a
task here. Outlook is a reconcile (list our events -> diff -> apply), so an
unchanged event sends no update and a re-run after a crash picks up where it
stopped; the .ics file is rewritten only when its bytes change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from prefect import flow

from flows.runs.adapters import run_adapters
from flows.runs.artifacts import failure_reported, leave_artifacts
from flows.runs.config_task import load_config
from flows.runs.run_guard import publishing_slot
from flows.runs.run_records import calendar_record
from flows.runs.tasks import as_task
from flows.steps.calendar import CalendarRun
from flows.steps.calendar_publish import publish_calendar


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
    if since is None:
        zone = ZoneInfo(config.art.timezone)
        since = datetime.combine(today, time(), zone) if today else datetime.now(UTC)
    adapters = run_adapters(config, out_dir, ics_file)
    with (
        failure_reported("art-calendar", config, adapters.secrets, dry_run=dry_run),
        publishing_slot("art-calendar", config, dry_run=dry_run),
    ):
        run = publish_calendar(adapters, dry_run=dry_run, since=since, step=as_task)
    leave_artifacts(calendar_record(config, run, dry_run), config, adapters.secrets)
    return run
