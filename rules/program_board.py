"""The program board: who plans what in which iteration of a PI, and who waits on whom.

SAFe's program board, as the train builds it at PI Planning: a row per
team, a column per iteration of the PI (and one for what is not planned in
it), a row of milestones (PI Planning, System Demos, I&A), the features as
cards, and a string for each dependency between teams.

- A feature is on the board of the PI it is planned in (its target
  iteration, or its team's stories' sprints: `rules.placement`), and on the
  board of the PI whose label or fixVersion it carries (`cadence.pis`),
  in the Unplanned column if it is planned in none of that PI's iterations.
- A string is a "blocks" link between items of two teams
  (`rules.dependency`); it is on a board when either end is a card of that
  board or is planned in that PI. Both its ends are then cards, stories
  too, where they are planned (or in the Unplanned column).
- A string is red when the blocker is planned after the item that waits on
  it, or not at all; each red string is one `dependency` finding.

The board is drawn for the PI running today and, once features carry the
next PI's label or fixVersion, for the next one: that is when the next PI
Planning happens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from art.cadence import pi_at, planning_intervals
from art.config import ArtConfig, PiDates
from art.model import PI, Iteration, StatusCategory, WorkItem
from rules.dependency import Dependency, cross_team_dependencies, iteration_name
from rules.hierarchy import key_order
from rules.milestones import Milestone, milestones_in
from rules.placement import NO_TEAM, Planner, Slot
from rules.readiness import carries_mark, next_pi

UNPLANNED = "Unplanned"


@dataclass(frozen=True, slots=True)
class Card:
    """An item on the board."""

    key: str
    summary: str
    issue_type: str
    level: str | None
    done: bool
    planned: str | None  # the iteration it is planned in, of any PI; None: none known


@dataclass(frozen=True, slots=True)
class Cell:
    """The cards of one team in one column."""

    team: str
    column: str  # an iteration's name, or UNPLANNED
    cards: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class DependencyString:
    """A dependency between two teams' cards; red when the plan cannot work."""

    blocker: str
    blocked: str
    blocker_team: str
    blocked_team: str
    blocker_iteration: str | None  # where each is planned, of any PI; None: nowhere
    blocked_iteration: str | None
    problem: str | None  # why it is red (or cannot be judged); None: fine
    red: bool


@dataclass(frozen=True, slots=True)
class ProgramBoard:
    """One PI's program board."""

    pi: str
    level: str  # the level of the board's own cards (features); others are strings' ends
    iterations: tuple[Iteration, ...]
    teams: tuple[str, ...]  # the rows, in config order, then others, NO_TEAM last
    cells: tuple[Cell, ...]  # the non-empty ones, row by row, column by column
    strings: tuple[DependencyString, ...]
    milestones: tuple[Milestone, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return (*(iteration.name for iteration in self.iterations), UNPLANNED)

    @property
    def violations(self) -> tuple[DependencyString, ...]:
        """The red strings: each one is a `dependency` finding."""
        return tuple(string for string in self.strings if string.red)


@dataclass(frozen=True, slots=True)
class ProgramBoards:
    """The boards drawn tonight: the running PI's and, once features are labelled, the next."""

    current: ProgramBoard | None
    next: ProgramBoard | None

    def drawn(self) -> tuple[ProgramBoard, ...]:
        return tuple(board for board in (self.current, self.next) if board is not None)


NO_BOARDS = ProgramBoards(None, None)


def program_boards(
    items: Sequence[WorkItem], config: ArtConfig, *, today: date, milestones: Sequence[Milestone]
) -> ProgramBoards:
    """The current PI's board, and the next PI's once any feature carries its mark."""
    pis = planning_intervals(config.cadence)
    planner = Planner(items, pis)
    names = config.team_names()
    dependencies = cross_team_dependencies(
        planner, blocking_link=config.rules.blocking_link, team_names=names
    )
    layout = _Layout(planner, config, dependencies, tuple(milestones))
    current = pi_at(pis, today)
    upcoming = next_pi(pis, today)
    marks = _marks(config, upcoming)
    labelled = marks is not None and any(
        item.level == config.kanban.level and carries_mark(item, marks) for item in items
    )
    return ProgramBoards(
        current=layout.board(current) if current else None,
        next=layout.board(upcoming) if upcoming and labelled else None,
    )


def _marks(config: ArtConfig, pi: PI | None) -> PiDates | None:
    """How Jira marks the PI's features (its entry in `cadence.pis`), if it does."""
    entry = config.cadence.entry(pi.name) if pi else None
    return entry if entry and (entry.label or entry.fix_version) else None


class _Layout:
    """Lays one snapshot's items out on the board of any PI."""

    def __init__(
        self,
        planner: Planner,
        config: ArtConfig,
        dependencies: list[Dependency],
        milestones: tuple[Milestone, ...],
    ) -> None:
        self.planner = planner
        self.config = config
        self.dependencies = dependencies
        self.milestones = milestones
        self.names: Mapping[str, str] = config.team_names()

    def board(self, pi: PI) -> ProgramBoard:
        level = self.config.kanban.level
        marks = _marks(self.config, pi)
        on_board = {
            item.key
            for item in self.planner.by_key.values()
            if item.level == level
            and (self._in(item, pi) or (marks is not None and carries_mark(item, marks)))
        }
        strings = [
            d
            for d in self.dependencies
            if {d.blocker.key, d.blocked.key} & on_board
            or self._in(d.blocker, pi)
            or self._in(d.blocked, pi)
        ]
        on_board |= {key for d in strings for key in (d.blocker.key, d.blocked.key)}
        rows = self._rows(on_board)
        return ProgramBoard(
            pi=pi.name,
            level=level,
            iterations=pi.iterations,
            teams=rows,
            cells=self._cells(on_board, pi, rows),
            strings=tuple(_string(d) for d in strings),
            milestones=milestones_in(self.milestones, pi),
        )

    def _in(self, item: WorkItem, pi: PI) -> bool:
        slot = self.planner.placement(item)
        return isinstance(slot, Slot) and slot.pi == pi.name

    def _team(self, item: WorkItem) -> str:
        team = self.planner.team(item)
        return self.names.get(team, team) if team else NO_TEAM

    def _rows(self, keys: set[str]) -> tuple[str, ...]:
        rows = [team.name for team in self.config.teams]
        used = {self._team(self.planner.by_key[key]) for key in keys}
        rows += sorted(used - set(rows) - {NO_TEAM})
        return (*rows, NO_TEAM) if NO_TEAM in used else tuple(rows)

    def _cells(self, keys: set[str], pi: PI, rows: tuple[str, ...]) -> tuple[Cell, ...]:
        level = self.config.kanban.level
        grouped: dict[tuple[str, str], list[Card]] = {}
        for key in keys:
            item = self.planner.by_key[key]
            placement = self.planner.placement(item)
            in_pi = isinstance(placement, Slot) and placement.pi == pi.name
            column = (
                placement.iteration.name if isinstance(placement, Slot) and in_pi else UNPLANNED
            )
            grouped.setdefault((self._team(item), column), []).append(
                Card(
                    key=item.key,
                    summary=item.summary,
                    issue_type=item.issue_type,
                    level=item.level,
                    done=item.status_category is StatusCategory.DONE,
                    planned=iteration_name(placement),
                )
            )
        row_of = {team: n for n, team in enumerate(rows)}
        column_of = {
            name: n for n, name in enumerate((*(i.name for i in pi.iterations), UNPLANNED))
        }
        ordered = sorted(grouped, key=lambda cell: (row_of[cell[0]], column_of[cell[1]]))
        return tuple(
            Cell(
                team,
                column,
                tuple(
                    sorted(
                        grouped[(team, column)],
                        key=lambda card: (card.level != level, key_order(card.key)),
                    )
                ),
            )
            for team, column in ordered
        )


def _string(dependency: Dependency) -> DependencyString:
    return DependencyString(
        blocker=dependency.blocker.key,
        blocked=dependency.blocked.key,
        blocker_team=dependency.blocker_team,
        blocked_team=dependency.blocked_team,
        blocker_iteration=iteration_name(dependency.blocker_at),
        blocked_iteration=iteration_name(dependency.blocked_at),
        problem=dependency.problem,
        red=dependency.red,
    )
