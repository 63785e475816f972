"""A board's columns in order, and where an item stood on it when.

Flow rules need more than "which column holds this status": they need to
know which columns mean work in progress and which mean finished, and when
an item entered each column. Both are defined once, here:

- A column's category is the one configured for it; otherwise the Jira
  status category most of the items standing in it carry; otherwise its
  position (first column to do, last done, the rest in progress).
- An item "entered" a column at the earliest time it entered that column
  or any later one, and only columns up to its current one count (the
  ActionableAgile rule). So a skipped column is back-filled with the date of
  the jump, entry times never decrease along the board, and an item moved
  back has not reached the columns after its current one. Creation counts
  as entering the first status.
- An item started when it entered the first column that is not "to do";
  it finished at the last time it moved into a "done" column (a reopened
  item finishes again), and only if it stands in one now.

Statuses on no column are off the board: they neither advance nor set back
an item, and an item standing in one is left to the data-quality rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from art.model import BoardColumn, StatusCategory, Transition, WorkItem
from rules.timeline import ordered_transitions

CATEGORY_NAMES = {
    StatusCategory.TO_DO: "To Do",
    StatusCategory.IN_PROGRESS: "In Progress",
    StatusCategory.DONE: "Done",
}


@dataclass(frozen=True, slots=True)
class Board:
    """Columns with their resolved categories, and a status-to-column index."""

    columns: tuple[BoardColumn, ...]
    categories: tuple[StatusCategory, ...]
    positions: Mapping[str, int]

    @classmethod
    def of(cls, columns: Sequence[BoardColumn], items: Iterable[WorkItem] = ()) -> Board:
        """The board of `columns`; `items` tell the category of columns configured without one."""
        positions = {
            status: index for index, column in enumerate(columns) for status in column.statuses
        }
        seen: list[Counter[StatusCategory]] = [Counter() for _ in columns]
        for item in items:
            index = positions.get(item.status)
            if index is not None:
                seen[index][item.status_category] += 1
        categories = tuple(
            column.category or _most_common(seen[index]) or _by_position(index, len(columns))
            for index, column in enumerate(columns)
        )
        return cls(tuple(columns), categories, positions)

    @classmethod
    def from_categories(cls, items: Iterable[WorkItem]) -> Board:
        """To Do, In Progress, Done holding the statuses `items` stand in, by Jira category.

        What a team board looks like when none is configured. A status no item
        stands in now is off this board; Jira tells its category only for the
        current status.
        """
        statuses: dict[StatusCategory, set[str]] = {category: set() for category in StatusCategory}
        for item in items:
            statuses[item.status_category].add(item.status)
        columns = [
            BoardColumn(CATEGORY_NAMES[category], frozenset(held), category=category)
            for category, held in statuses.items()
        ]
        return cls.of(columns)

    # ----------------------------------------------------------------------
    # Columns

    def position(self, status: str) -> int | None:
        return self.positions.get(status)

    def category_of(self, status: str) -> StatusCategory | None:
        index = self.positions.get(status)
        return None if index is None else self.categories[index]

    def holds(self, item: WorkItem) -> bool:
        return item.status in self.positions

    def is_in_progress(self, item: WorkItem) -> bool:
        return self.category_of(item.status) is StatusCategory.IN_PROGRESS

    def is_done(self, item: WorkItem) -> bool:
        return self.category_of(item.status) is StatusCategory.DONE

    def state_of(self, item: WorkItem) -> str | None:
        index = self.positions.get(item.status)
        return None if index is None else self.columns[index].name

    def statuses_named(self, names: Iterable[str]) -> frozenset[str]:
        """The statuses of the columns called `names`; a name no column has is a status."""
        wanted = set(names)
        columns = {column.name: column.statuses for column in self.columns}
        return frozenset(
            status for name in wanted for status in columns.get(name, frozenset({name}))
        )

    @property
    def first_started(self) -> int | None:
        """The first column that is not 'to do': entering it (or beyond) starts the clock."""
        return next(
            (
                i
                for i, category in enumerate(self.categories)
                if category is not StatusCategory.TO_DO
            ),
            None,
        )

    # ----------------------------------------------------------------------
    # An item's way across the board

    def entry_times(
        self, item: WorkItem, transitions: Sequence[Transition] | None = None
    ) -> list[datetime | None]:
        """Per column, when the item entered it (the rule in the module docstring).

        `transitions`, if given, are `ordered_transitions(item)`, saving the work.
        """
        times: list[datetime | None] = [None] * len(self.columns)
        current = self.positions.get(item.status)
        if current is None:
            return times
        earliest: list[datetime | None] = [None] * len(self.columns)
        for transition in transitions or ordered_transitions(item):
            index = self.positions.get(transition.to_status)
            if index is not None and earliest[index] is None:
                earliest[index] = transition.at
        running: datetime | None = None
        for index in range(len(self.columns) - 1, -1, -1):
            entered = earliest[index]
            if entered is not None and (running is None or entered < running):
                running = entered
            if index <= current:
                times[index] = running
        return times

    def started_at(
        self, item: WorkItem, transitions: Sequence[Transition] | None = None
    ) -> datetime | None:
        """When the item entered its first column past 'to do'; None if it has not."""
        start = self.first_started
        current = self.positions.get(item.status)
        if start is None or current is None or current < start:
            return None
        return self.entry_times(item, transitions)[start]

    def finished_at(
        self, item: WorkItem, transitions: Sequence[Transition] | None = None
    ) -> datetime | None:
        """When the item last moved into a 'done' column, if it stands in one now."""
        if not self.is_done(item):
            return None
        done_since: datetime | None = None
        for transition in transitions or ordered_transitions(item):
            if self.category_of(transition.to_status) is StatusCategory.DONE:
                done_since = done_since or transition.at
            else:
                done_since = None
        return done_since


def _most_common(counts: Counter[StatusCategory]) -> StatusCategory | None:
    if not counts:
        return None
    # Ties go to the category that comes first (to do, in progress, done): deterministic.
    return max(
        StatusCategory,
        key=lambda category: (counts[category], -list(StatusCategory).index(category)),
    )


def _by_position(index: int, count: int) -> StatusCategory:
    if index == 0:
        return StatusCategory.TO_DO
    return StatusCategory.DONE if index == count - 1 else StatusCategory.IN_PROGRESS
