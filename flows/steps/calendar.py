"""The ART calendar's steps as plain functions: the flow wraps them, the CLI's dry run calls them.

No Prefect here, so `rte calendar --dry-run` answers at once. What picks the
publisher (Outlook or an .ics file) and where secrets come from lives here;
the work itself is in `rules.calendar`, `reports.ics` and `connectors.outlook`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from art.config import ArtConfig
from art.model import ArtEvent
from connectors.files import write_bytes_atomically
from connectors.graph_client import GRAPH_CLOUDS
from connectors.outlook import OutlookCalendar
from connectors.outlook_events import Existing, SyncPlan, plan_sync
from connectors.outlook_mail import OutlookMailer
from flows.steps.secrets import resolve_secret
from reports.ics import PublishedVersion, published_versions, render_ics
from rules.calendar import slug


def outlook_for(config: ArtConfig) -> OutlookCalendar:
    """The configured mailbox, authenticated as the Entra app whose secrets the config names."""
    calendar = config.calendar
    return OutlookCalendar.for_app(
        **_app_secrets(config),
        mailbox=_mailbox(config),
        tz=config.art.timezone,
        calendar_id=calendar.calendar_id,
        cloud=GRAPH_CLOUDS[calendar.cloud],
    )


def mailer_for(config: ArtConfig) -> OutlookMailer:
    """Mail from the configured mailbox, sent as the same Entra app."""
    return OutlookMailer.for_app(
        **_app_secrets(config),
        mailbox=_mailbox(config),
        cloud=GRAPH_CLOUDS[config.calendar.cloud],
    )


def _app_secrets(config: ArtConfig) -> dict[str, str]:
    calendar = config.calendar
    # validate_config guarantees these when the backend is outlook
    assert calendar.tenant_id and calendar.client_id and calendar.client_secret
    return {
        "tenant_id": resolve_secret(calendar.tenant_id, "calendar.tenant_id").get_secret_value(),
        "client_id": resolve_secret(calendar.client_id, "calendar.client_id").get_secret_value(),
        "client_secret": resolve_secret(
            calendar.client_secret, "calendar.client_secret"
        ).get_secret_value(),
    }


def _mailbox(config: ArtConfig) -> str:
    assert config.calendar.mailbox  # validate_config guarantees it when the backend is outlook
    return config.calendar.mailbox


def art_prefix(config: ArtConfig) -> str:
    """The key prefix of every event of this ART (others may share the mailbox)."""
    return f"{slug(config.art.name)}/"


def pi_scopes(config: ArtConfig) -> tuple[str, ...]:
    """Key prefixes of the PIs in the cadence: only their events may be cancelled by a sync."""
    return tuple(f"{art_prefix(config)}{slug(pi.name)}/" for pi in config.cadence.pis)


def diff_calendar(
    config: ArtConfig,
    events: Sequence[ArtEvent],
    existing: Sequence[Existing],
    since: datetime | None,
) -> SyncPlan:
    return plan_sync(
        events, existing, tz=config.art.timezone, scopes=pi_scopes(config), since=since
    )


def ics_target(config: ArtConfig, out_dir: Path, override: str | None) -> Path:
    """Where the .ics goes: `--ics FILE` as given, else `calendar.ics_file` in the output folder."""
    return Path(override) if override else out_dir / config.calendar.ics_file


def render_calendar(config: ArtConfig, events: Sequence[ArtEvent], target: Path) -> bytes:
    """The .ics bytes, with SEQUENCE numbers continued from the file they will replace."""
    return render_ics(
        events,
        calendar_name=f"{config.art.name} calendar",
        tz=config.art.timezone,
        previous=previous_versions(target),
    )


def previous_versions(target: Path) -> dict[str, PublishedVersion]:
    """What the published file says, or nothing when there is none (or it is not a calendar)."""
    try:
        return published_versions(target.read_bytes())
    except (FileNotFoundError, ValueError):
        return {}


def write_calendar(data: bytes, target: Path) -> bool:
    """Write the file if it changed; True when it did."""
    return write_bytes_atomically(target, data)


def describe_plan(plan: SyncPlan) -> list[str]:
    """The dry run's lines: what a sync would change, event by event."""
    lines = [f"create {want.event.key}: {want.payload['subject']}" for want in plan.create]
    lines += [f"update {want.event.key}: {want.payload['subject']}" for _, want in plan.update]
    lines += [f"cancel {have.key}" for have in plan.remove]
    lines += [f"cancel holidays of {want.event.key}" for _, want in plan.repair]
    lines.append(
        f"{len(plan.create)} to create, {len(plan.update)} to update, {len(plan.remove)} to "
        f"cancel, {len(plan.unchanged)} unchanged, {plan.past} in the past"
    )
    return lines
