"""The train's Jira issues as the rules see them, from a live site or from an export.

Two sources behind one port (`JiraSource`), picked by `flows.steps.bootstrap`:

- `LiveJira`: Jira Cloud or Data Center, synced incrementally into the state
  store, with the columns of the boards `kanban.board` and `teams[].board` name;
- `ExportJira`: a folder of Jira REST JSON (the demo), a picture of one moment.

Both also hand the PI objectives reader the raw issues it reads other fields of.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # the live site's client (requests, the jira library) loads with it
    from connectors.jira import JiraSite
    from connectors.jira_sync import SyncOutcome

from art.config import ArtConfig, JiraConfig
from art.model import BoardColumn, RejectedRecord, WorkItem
from connectors.http import RequestCounter
from connectors.jira_export import (
    ExportSnapshot,
    RawExport,
    export_site,
    read_export,
    read_raw_export,
)
from connectors.jira_fields import FieldIds
from rules.as_of import check_reachable, items_as_of
from rules.health import HealthReport, evaluate_health
from rules.timeline import as_of_moment


@dataclass(frozen=True)
class JiraSnapshot:
    """What the rules get from Jira: the items, the unreadable records, the board, the date."""

    items: tuple[WorkItem, ...]
    rejected: tuple[RejectedRecord, ...]
    columns: tuple[BoardColumn, ...]
    as_of: date
    site: str | None = None  # the Jira site's URL, for links to its issues
    field_ids: FieldIds | None = None  # a live Jira's field ids, for writing back
    taken_at: datetime | None = None  # when an export was taken: nothing in it is later
    # the columns of the teams' own boards (`teams[].board`), by team name; live Jira only
    team_columns: Mapping[str, tuple[BoardColumn, ...]] = field(default_factory=dict)


class JiraSource(Protocol):
    """Where the train's issues come from."""

    @property
    def site(self) -> str | None:
        """The Jira site issue links point to (None when it cannot be known)."""

    def snapshot(self, today: date | None = None) -> JiraSnapshot:
        """The train's items as of `today` (default: the moment the source stands for)."""

    def field_list(self) -> list[dict[str, Any]]:
        """Jira's field list (`GET /rest/api/3/field`), to resolve field names to ids."""

    def raw_issues(self, jql: str, ids: FieldIds) -> list[dict[str, Any]]:
        """Issues as Jira sends them, with the fields `ids` asks for."""


@dataclass(frozen=True)
class JiraSync:
    """A sync of a live Jira: what it did, the boards' columns, and the requests it cost."""

    outcome: SyncOutcome
    columns: tuple[BoardColumn, ...]
    requests: RequestCounter
    team_columns: Mapping[str, tuple[BoardColumn, ...]] = field(default_factory=dict)


@dataclass
class LiveJira:
    """A Jira Cloud or Data Center site, read through the state store."""

    config: ArtConfig
    client: JiraSite
    counter: RequestCounter

    @property
    def site(self) -> str | None:
        return self.config.jira.url

    def sync(self, *, full: bool = False, now: datetime | None = None) -> JiraSync:
        """Bring the state store up to date (incrementally unless `full`), and read the
        columns of the boards `kanban.board` and `teams[].board` name."""
        from connectors.jira_board import fetch_boards
        from connectors.jira_sync import sync_issues
        from connectors.state_store import StateStore

        config = self.config
        with StateStore.in_dir(config.state_dir) as store:
            outcome = sync_issues(
                self.client, store, config.jira, full=full, now=now, risks=config.risks
            )
        board = config.kanban.board
        team_boards = {team.name: team.board for team in config.teams if team.board is not None}
        boards = fetch_boards(self.client, [*([board] if board else []), *team_boards.values()])
        columns = boards[board] if board else config.kanban.columns()
        team_columns = {name: boards[board_id] for name, board_id in team_boards.items()}
        return JiraSync(outcome, columns, self.counter, team_columns)

    def snapshot(self, today: date | None = None) -> JiraSnapshot:
        """The site as of now (or `today`), after an incremental sync."""
        synced = self.sync()
        zone = ZoneInfo(self.config.art.timezone)
        return JiraSnapshot(
            items=synced.outcome.parsed.items,
            rejected=synced.outcome.parsed.rejected,
            columns=synced.columns,
            as_of=today or synced.outcome.synced_at.astimezone(zone).date(),
            site=self.site,
            field_ids=synced.outcome.ids,
            team_columns=synced.team_columns,
        )

    def field_list(self) -> list[dict[str, Any]]:
        return self.client.field_list()

    def raw_issues(self, jql: str, ids: FieldIds) -> list[dict[str, Any]]:
        return [record.issue for record in self.client.fetch_issues(jql, ids)]


@dataclass
class ExportJira:
    """A folder of Jira REST JSON: a picture of one moment, taken from one site."""

    config: ArtConfig
    folder: Path

    @cached_property
    def site(self) -> str | None:
        """The site of the export's manifest; None when there is none to read (links are
        then left out, and reading the issues says what is wrong)."""
        try:
            return export_site(self.folder)
        except (OSError, ValueError):
            return None

    def snapshot(self, today: date | None = None) -> JiraSnapshot:
        """The export as of the moment it was taken (or `today`)."""
        export = _parsed_export(self.folder, self.config.jira, _stamp(self.folder))
        zone = ZoneInfo(self.config.art.timezone)
        return JiraSnapshot(
            items=export.items,
            rejected=export.rejected,
            columns=self.config.kanban.columns(),
            as_of=today or export.snapshot.astimezone(zone).date(),
            site=export.site,
            taken_at=export.snapshot,
        )

    def field_list(self) -> list[dict[str, Any]]:
        return self._raw.field_list

    def raw_issues(self, jql: str, ids: FieldIds) -> list[dict[str, Any]]:
        """Every exported issue: an export holds what was exported, whatever the query."""
        return list(self._raw.issues)

    @cached_property
    def _raw(self) -> RawExport:
        return read_raw_export(self.folder)


@lru_cache(maxsize=4)
def _parsed_export(folder: Path, jira: JiraConfig, stamp: tuple[object, ...]) -> ExportSnapshot:
    """An export parsed once a process while its files stay as they were (`stamp`): the
    health check and the objective pages of one `rte demo` read the same folder."""
    return read_export(folder, jira)


def _stamp(folder: Path) -> tuple[object, ...]:
    """What changes when a file of the folder does: names, sizes and modification times."""
    try:
        files = sorted(folder.iterdir())
    except OSError:  # no folder: reading it says so
        return ()
    return tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.is_file())


def snapshot_as_of(
    snapshot: JiraSnapshot, config: ArtConfig, *, generated_at: datetime
) -> JiraSnapshot:
    """The snapshot as the board stood at the end of its `as_of` day (`rules.as_of`), or at
    `generated_at` when that is the day; raises `rules.as_of.BeforeHistory` for a day
    before the oldest history read.

    A moment at or after the snapshot's own (when an export was taken, else the run's
    clock) is the snapshot itself: what is dated later is a data-quality finding of the
    rules, not something to cut away."""
    zone = ZoneInfo(config.art.timezone)
    moment = as_of_moment(snapshot.as_of, zone, generated_at)
    if moment >= (snapshot.taken_at or generated_at):
        return snapshot
    check_reachable(snapshot.items, snapshot.as_of, moment, zone)
    return replace(snapshot, items=items_as_of(snapshot.items, moment))


def evaluate_snapshot(
    snapshot: JiraSnapshot, config: ArtConfig, *, generated_at: datetime
) -> HealthReport:
    """The nightly rules over one snapshot as of its day, with everything it carries: the
    boards' columns (the Program Kanban's and the teams' own), the site its items link to
    and, for an export, when it was taken."""
    replayed = snapshot_as_of(snapshot, config, generated_at=generated_at)
    return evaluate_as_of(replayed, config, generated_at=generated_at)


def evaluate_as_of(
    snapshot: JiraSnapshot, config: ArtConfig, *, generated_at: datetime
) -> HealthReport:
    """The nightly rules over a snapshot already replayed to its day (`snapshot_as_of`)."""
    return evaluate_health(
        snapshot.items,
        snapshot.rejected,
        config,
        snapshot.columns,
        today=snapshot.as_of,
        generated_at=generated_at,
        taken_at=snapshot.taken_at,
        team_columns=snapshot.team_columns,
        site=snapshot.site,
    )
