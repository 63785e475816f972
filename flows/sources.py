"""The one place that picks the adapter for each source named in `art.yaml`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from art.config import ArtConfig, JiraConfig
from art.model import BoardColumn, RejectedRecord, WorkItem
from connectors.http import RequestCounter, RetryPolicy
from connectors.jira import JiraCredentials, connect
from connectors.jira_board import fetch_boards
from connectors.jira_export import read_export
from connectors.jira_fields import FieldIds
from connectors.jira_sync import SyncOutcome, sync_issues
from connectors.state_store import StateStore
from flows.secrets import resolve_secret
from rules.health import HealthReport, evaluate_health


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


def fetch_snapshot(
    config: ArtConfig, today: date | None = None, *, counter: RequestCounter | None = None
) -> JiraSnapshot:
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
            site=export.site,
            taken_at=export.snapshot,
        )
    synced = sync_jira(config, counter=counter)
    return JiraSnapshot(
        items=synced.outcome.parsed.items,
        rejected=synced.outcome.parsed.rejected,
        columns=synced.columns,
        as_of=today or synced.outcome.synced_at.astimezone(zone).date(),
        site=config.jira.url,
        field_ids=synced.outcome.ids,
        team_columns=synced.team_columns,
    )


def evaluate_snapshot(
    snapshot: JiraSnapshot, config: ArtConfig, *, generated_at: datetime
) -> HealthReport:
    """The nightly rules over one snapshot, with everything it carries: its day, the boards'
    columns (the Program Kanban's and the teams' own) and, for an export, when it was taken."""
    return evaluate_health(
        snapshot.items,
        snapshot.rejected,
        config,
        snapshot.columns,
        today=snapshot.as_of,
        generated_at=generated_at,
        taken_at=snapshot.taken_at,
        team_columns=snapshot.team_columns,
    )


@dataclass(frozen=True)
class JiraSync:
    """A sync of a live Jira: what it did, the boards' columns, and the requests it cost."""

    outcome: SyncOutcome
    columns: tuple[BoardColumn, ...]
    requests: RequestCounter
    team_columns: Mapping[str, tuple[BoardColumn, ...]] = field(default_factory=dict)


def sync_jira(
    config: ArtConfig,
    *,
    full: bool = False,
    policy: RetryPolicy | None = None,
    now: datetime | None = None,
    counter: RequestCounter | None = None,
) -> JiraSync:
    """Bring the state store up to date with Jira Cloud or Data Center (incrementally
    unless `full`), and read the columns of the boards `kanban.board` and `teams[].board`
    name."""
    counter = counter if counter is not None else RequestCounter()
    site = connect(config.jira, jira_credentials(config.jira), policy=policy, counter=counter)
    with StateStore.in_dir(config.state_dir) as store:
        outcome = sync_issues(site, store, config.jira, full=full, now=now)
    board = config.kanban.board
    team_boards = {team.name: team.board for team in config.teams if team.board is not None}
    boards = fetch_boards(site, [*([board] if board else []), *team_boards.values()])
    columns = boards[board] if board else config.kanban.columns()
    team_columns = {name: boards[board_id] for name, board_id in team_boards.items()}
    return JiraSync(outcome, columns, counter, team_columns)


def jira_credentials(jira: JiraConfig) -> JiraCredentials:
    """The credentials the config refers to, fetched from the environment or Prefect."""
    if jira.auth is None:
        raise ValueError("jira.auth is required for a live Jira")  # validate_config says so first
    return JiraCredentials(
        token=resolve_secret(jira.auth.token, "jira.auth.token"),
        user=resolve_secret(jira.auth.user, "jira.auth.user") if jira.auth.user else None,
    )


def now_utc() -> datetime:
    return datetime.now(UTC)
