"""The one place that picks the adapter for each source named in `art.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from art.config import ArtConfig
from art.model import BoardColumn, RejectedRecord, WorkItem
from connectors.jira_export import read_export


@dataclass(frozen=True)
class JiraSnapshot:
    """What the rules get from Jira: the items, the unreadable records, the board, the date."""

    items: tuple[WorkItem, ...]
    rejected: tuple[RejectedRecord, ...]
    columns: tuple[BoardColumn, ...]
    as_of: date


def fetch_snapshot(config: ArtConfig, today: date | None = None) -> JiraSnapshot:
    """Read the train's Jira issues from the configured backend.

    An export is a picture of one moment, so its own snapshot time is "today"
    unless the caller says otherwise; a live Jira is read as of now.
    """
    zone = ZoneInfo(config.art.timezone)
    if config.jira.backend == "export":
        assert config.jira.export_dir is not None  # guaranteed by validate_config
        export = read_export(Path(config.jira.export_dir), config.jira)
        return JiraSnapshot(
            items=export.items,
            rejected=export.rejected,
            columns=config.kanban.columns(),
            as_of=today or export.snapshot.astimezone(zone).date(),
        )
    raise NotImplementedError(
        f"jira.backend '{config.jira.backend}' is not available yet; use 'export'"
    )


def now_utc() -> datetime:
    return datetime.now(UTC)
