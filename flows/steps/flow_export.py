"""`rte flow-export`: the train's flow data as an ActionableAgile CSV file, without Prefect.

A one-off export for people who analyse flow in their own tools; it reads
Jira the same way the nightly check does, applies the same board and date
rules, and writes the file atomically (an unchanged file is not rewritten).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from art.config import ArtConfig
from connectors.files import write_bytes_atomically
from flows.steps.clock import now_utc
from flows.steps.jira_snapshot import JiraSource
from reports.flow_csv import flow_csv
from rules.flow_export import FlowExport, flow_export
from rules.flow_health import flow_boards
from rules.timeline import as_of_moment


class UnknownLevelError(ValueError):
    """The level asked for has no board."""


@dataclass(frozen=True)
class WrittenExport:
    level: str
    export: FlowExport
    changed: bool


def write_flow_export(
    jira: JiraSource, config: ArtConfig, out: Path, level: str | None = None
) -> WrittenExport:
    """Export the items of `level` (default: the Program Kanban's) to `out` as CSV."""
    snapshot = jira.snapshot()
    boards = flow_boards(snapshot.items, config, snapshot.columns)
    chosen = level or config.kanban.level
    if chosen not in boards:
        raise UnknownLevelError(
            f"--level must be one of {', '.join(boards)} (kanban.level, kanban.team_level), "
            f"not '{chosen}'"
        )
    zone = ZoneInfo(config.art.timezone)
    export = flow_export(
        snapshot.items,
        boards[chosen],
        level=chosen,
        zone=zone,
        now=as_of_moment(snapshot.as_of, zone, now_utc()),
        blocked_statuses=config.jira.blocked_statuses,
        site=snapshot.site,
    )
    changed = write_bytes_atomically(out, flow_csv(export).encode("utf-8"))
    return WrittenExport(chosen, export, changed)
