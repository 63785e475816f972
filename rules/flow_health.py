"""The flow part of the nightly check: every flow rule and metric at both board levels.

Two boards carry the train's flow: the Program Kanban (`kanban.states`, at
`kanban.level`, features by default) and the teams' boards
(`kanban.team_states`, at `kanban.team_level`, stories by default; one
column set for all teams, each team's WIP counted on its own). When no team
states are configured, Jira's status categories stand in.

A team whose Jira board is named (`teams[].board`, read from a live Jira)
has its WIP counted against that board's own columns and limits: teams
work differently, and a limit means what the team set on its board. When
work started and finished stays the train's one definition (the shared team
board), so the aging, blocked, stale and flow-metric figures of all teams
compare.

Each rule runs at both levels; the flow metrics run for the ART at both
levels and for each team at the team level; the cumulative flow diagram is
the Program Kanban's, over the current PI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from art.cadence import planning_intervals
from art.config import ArtConfig
from art.model import BoardColumn, Finding, WorkItem
from rules.aging import Aging, aging_on
from rules.blocked import blocked_on
from rules.board import Board
from rules.board_index import BoardIndex
from rules.cumulative_flow import CumulativeFlow, cumulative_flow_on
from rules.data_quality import no_history_findings, team_findings, unknown_status_findings
from rules.dependency import dependency_findings
from rules.flow_metrics import BoardFlow, FlowMetrics, Period, ScopeFlow, reporting_periods
from rules.stale import stale_on
from rules.timeline import as_of_moment
from rules.timeline_index import Flags, TimelineIndex
from rules.wip import StateLoad, flow_load, wip_limit_findings

CFD_DAYS_WITHOUT_PI = 90


@dataclass(frozen=True, slots=True)
class TeamBoards:
    """Each team's WIP per state of the board it counts on, at the team level."""

    level: str
    states: tuple[str, ...]  # the columns of the shared team board
    teams: Mapping[str, tuple[StateLoad, ...]]  # by team name, in config order
    own_boards: Mapping[str, tuple[str, ...]]  # teams with a board of their own: its columns


@dataclass(frozen=True, slots=True)
class TrainFlow:
    """What the flow rules measure besides their findings: the pages' tables and charts."""

    team_boards: TeamBoards
    flow_metrics: FlowMetrics
    cumulative_flow: CumulativeFlow  # the Program Kanban's
    aging: Mapping[str, Aging]  # by level, the Program Kanban's first


def flow_boards(
    items: Sequence[WorkItem], config: ArtConfig, columns: Sequence[BoardColumn]
) -> dict[str, Board]:
    """The board of each flow level: the Program Kanban's level first, then the teams'."""
    kanban = config.kanban
    boards = {kanban.level: Board.of(columns, (i for i in items if i.level == kanban.level))}
    if kanban.team_level not in boards:
        team_items = [item for item in items if item.level == kanban.team_level]
        team_columns = kanban.team_columns()
        boards[kanban.team_level] = (
            Board.of(team_columns, team_items)
            if team_columns
            else Board.from_categories(team_items)
        )
    return boards


@dataclass(frozen=True)
class _Train:
    """What every flow rule of one night shares: the boards, the teams' items, the clock."""

    items: Sequence[WorkItem]
    config: ArtConfig
    boards: dict[str, Board]
    teams: dict[str, str]  # team value in Jira -> team name
    team_items: dict[str, list[WorkItem]]
    today: date
    now: datetime
    zone: ZoneInfo
    own_columns: dict[str, tuple[BoardColumn, ...]]  # team value -> its own board's columns
    timeline: TimelineIndex  # every item's history, read once for all the rules
    indexes: dict[str, BoardIndex]  # each board over the timeline, its level's items in scope
    team_masks: dict[str, Flags]  # team value -> which of the timeline's items are the team's

    @property
    def team_level(self) -> str:
        return self.config.kanban.team_level

    def team_columns(self, value: str) -> tuple[BoardColumn, ...]:
        """The columns a team's WIP is counted in: its own board's, else the shared ones."""
        return self.own_columns.get(value) or self.boards[self.team_level].columns


def evaluate_flow(
    items: Sequence[WorkItem],
    config: ArtConfig,
    columns: Sequence[BoardColumn],
    *,
    today: date,
    generated_at: datetime,
    team_columns: Mapping[str, Sequence[BoardColumn]] | None = None,
    timeline: TimelineIndex | None = None,
) -> tuple[list[Finding], TrainFlow]:
    """The findings of every flow rule, and the metrics the pages and the charts show.

    `team_columns` holds the columns of the teams' own boards, by team name;
    `timeline`, the index of `items`' histories when the caller has one."""
    zone = ZoneInfo(config.art.timezone)
    teams = config.team_names()
    own_columns = {
        team.team_value: tuple(team_columns[team.name])
        for team in config.teams
        if team_columns and team_columns.get(team.name)
    }
    team_items: dict[str, list[WorkItem]] = {value: [] for value in teams}
    for item in items:
        if item.team in team_items:
            team_items[item.team].append(item)
    timeline = timeline if timeline is not None else TimelineIndex.of(items)
    boards = flow_boards(items, config, columns)
    train = _Train(
        items,
        config,
        boards,
        teams,
        team_items,
        today,
        as_of_moment(today, zone, generated_at),
        zone,
        own_columns,
        timeline,
        {
            level: BoardIndex(timeline, board, timeline.level_mask(level))
            for level, board in boards.items()
        },
        timeline.team_masks(teams),
    )
    findings, aging = _findings(train)
    periods = reporting_periods(planning_intervals(config.cadence), today)
    flow = TrainFlow(
        _team_boards(train), _flow_metrics(train, periods), _cfd(train, periods), aging
    )
    return findings, flow


def _findings(train: _Train) -> tuple[list[Finding], dict[str, Aging]]:
    """Every flow rule's findings, and the aging computed on the way."""
    items, settings, now = train.items, train.config.rules, train.now
    findings: list[Finding] = []
    agings = {}
    timeline = train.timeline
    for level, board in train.boards.items():
        index = train.indexes[level]
        aging = aging_on(
            index,
            level=level,
            now=now,
            percentile=settings.aging_percentile,
            window_days=settings.cycle_time_window_days,
        )
        agings[level] = aging
        findings += aging.findings()
        findings += blocked_on(
            index,
            level=level,
            now=now,
            threshold_days=settings.blocked_days,
            blocked_statuses=train.config.jira.blocked_statuses,
            blocking_link=settings.blocking_link,
        )
        findings += stale_on(index, level=level, now=now, stale_days=settings.stale_days)
        # only an item with a history of one entry can lack a recorded status change
        unmoved = np.flatnonzero(index.scope & (timeline.lengths == 1)).tolist()
        findings += no_history_findings([timeline.items[i] for i in unmoved], board, level=level)
    for value, name in train.teams.items():
        findings += wip_limit_findings(
            train.team_items[value], train.team_columns(value), level=train.team_level, team=name
        )
    findings += _team_status_findings(train)
    findings += team_findings(
        items, train.teams, level=train.team_level, team_field=train.config.jira.fields.team
    )
    pis = planning_intervals(train.config.cadence)
    findings += dependency_findings(
        items, pis, today=train.today, blocking_link=settings.blocking_link
    )
    return findings, agings


def _team_status_findings(train: _Train) -> list[Finding]:
    """Team-level items in a status no column of their board holds (where columns are set)."""
    level = train.team_level
    if level == train.config.kanban.level:
        return []  # the Program Kanban's own check covers this level
    own = [item for value in train.own_columns for item in train.team_items[value]]
    own_keys = {item.key for item in own}
    findings: list[Finding] = []
    if train.config.kanban.team_columns():
        shared = [item for item in train.items if item.key not in own_keys]
        findings += unknown_status_findings(
            shared, train.boards[level].columns, level=level, board="team board"
        )
    for value, columns in train.own_columns.items():
        board = f"{train.teams[value]} board"
        findings += unknown_status_findings(
            train.team_items[value], columns, level=level, board=board
        )
    return findings


def _flow_metrics(train: _Train, periods: tuple[Period, ...]) -> FlowMetrics:
    """The flow metrics of the ART at each level and of each team at the team level."""
    scopes = []
    for level in train.boards:
        index = train.indexes[level]
        board_flow = BoardFlow(
            index,
            periods,
            zone=train.zone,
            now=train.now,
            wait_states=train.config.rules.wait_states,
        )
        groups = [("ART", index.scope)]
        if level == train.team_level:
            groups += [(name, train.team_masks[value]) for value, name in train.teams.items()]
        for scope, mask in groups:
            scopes.append(ScopeFlow(level, scope, board_flow.of(mask)))
    return FlowMetrics(periods, tuple(scopes))


def _cfd(train: _Train, periods: tuple[Period, ...]) -> CumulativeFlow:
    """The Program Kanban's cumulative flow over the current PI (or the last 90 days)."""
    level = train.config.kanban.level
    return cumulative_flow_on(
        train.indexes[level],
        level=level,
        start=periods[0].start if periods else train.today - timedelta(days=CFD_DAYS_WITHOUT_PI),
        end=train.today,
        zone=train.zone,
    )


def _team_boards(train: _Train) -> TeamBoards:
    """Each team's WIP on its own board's columns, else on the shared team board's."""
    return TeamBoards(
        level=train.team_level,
        states=tuple(column.name for column in train.boards[train.team_level].columns),
        teams={
            name: flow_load(
                train.team_items[value], train.team_columns(value), level=train.team_level
            )
            for value, name in train.teams.items()
        },
        own_boards={
            train.teams[value]: tuple(column.name for column in columns)
            for value, columns in train.own_columns.items()
        },
    )
