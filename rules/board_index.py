"""One board's reading of the timeline index: where each item stands, and since when.

The same answers as `rules.board.Board` gives one item at a time (its
module docstring has the rules: entry times back-filled and never
decreasing, started at the first column past "to do", finished at the last
move into a "done" column), for every item at once, as indices into the
timeline's transitions (-1 for "none"). A rule turns an index into a time
(`timeline.times`) or into the `datetime` the history holds
(`timeline.moments`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property

import numpy as np

from art.model import StatusCategory, WorkItem
from rules.board import Board
from rules.timeline_index import Flags, Ints, TimelineIndex

NONE = -1
_CATEGORY_CODES = {
    StatusCategory.TO_DO: 0,
    StatusCategory.IN_PROGRESS: 1,
    StatusCategory.DONE: 2,
}
IN_PROGRESS = _CATEGORY_CODES[StatusCategory.IN_PROGRESS]
DONE = _CATEGORY_CODES[StatusCategory.DONE]


class BoardIndex:
    """`board` over `timeline`; entry, start and finish are worked out for `scope`'s items."""

    def __init__(self, timeline: TimelineIndex, board: Board, scope: Flags | None = None):
        self.timeline = timeline
        self.board = board
        column_of_code = np.full(len(timeline.statuses), NONE, np.int64)
        for code, status in enumerate(timeline.statuses):
            column_of_code[code] = board.positions.get(status, NONE)
        self.column_of_code = column_of_code
        self.categories = np.array([_CATEGORY_CODES[c] for c in board.categories], np.int64)
        self.current = column_of_code[timeline.item_status]  # each item's column
        self.scope = np.ones(len(timeline), np.bool_) if scope is None else scope

    @classmethod
    def at_level(cls, items: Iterable[WorkItem], board: Board, level: str) -> BoardIndex:
        """`board` over a new index of `items`, with the items at `level` in scope."""
        timeline = TimelineIndex.of(items)
        return cls(timeline, board, timeline.level_mask(level))

    # ----------------------------------------------------------------------
    # Where items stand

    @cached_property
    def holds(self) -> Flags:
        return self.current != NONE

    @cached_property
    def current_category(self) -> Ints:
        return self._category(self.current)

    @cached_property
    def in_progress(self) -> Flags:
        return self.current_category == IN_PROGRESS

    @cached_property
    def done(self) -> Flags:
        return self.current_category == DONE

    @cached_property
    def columns(self) -> Ints:
        """Each transition's column (NONE for a status on no column)."""
        return self.column_of_code[self.timeline.codes]

    # ----------------------------------------------------------------------
    # When they got there

    @cached_property
    def entries(self) -> Ints:
        """Per item and column, the transition that counts as entering it (`Board.entry_times`)."""
        timeline, width = self.timeline, len(self.board.columns)
        count = len(timeline)
        entries = np.full((count, width), NONE, np.int64)
        if not width:
            return entries
        chosen = self.scope & self.holds
        columns = self.columns
        picked = np.flatnonzero(chosen[timeline.owner] & (columns != NONE))
        firsts = np.full(count * width, len(timeline.times), np.int64)
        np.minimum.at(firsts, timeline.owner[picked] * width + columns[picked], picked)
        earliest = firsts.reshape(count, width)
        earliest[earliest == len(timeline.times)] = NONE
        times = np.append(timeline.times, 0)  # index NONE reads this padding
        running = np.full(count, NONE, np.int64)
        for index in range(width - 1, -1, -1):
            entered = earliest[:, index]
            sooner = (entered != NONE) & ((running == NONE) | (times[entered] < times[running]))
            running = np.where(sooner, entered, running)
            entries[:, index] = np.where(chosen & (index <= self.current), running, NONE)
        return entries

    @cached_property
    def started(self) -> Ints:
        """The transition that started each item (`Board.started_at`), or NONE."""
        first = self.board.first_started
        if first is None:
            return np.full(len(self.timeline), NONE, np.int64)
        return np.where(self.current >= first, self.entries[:, first], NONE)

    @cached_property
    def finished(self) -> Ints:
        """The transition that finished each item (`Board.finished_at`), or NONE."""
        timeline = self.timeline
        columns = self.columns
        done_move = self._category(columns) == DONE
        positions = np.arange(len(timeline.times), dtype=np.int64)
        last_other = np.maximum.accumulate(np.where(done_move, NONE, positions))
        first_of_run = np.maximum(last_other[timeline.last] + 1, timeline.starts[:-1])
        return np.where(self.scope & self.done, first_of_run, NONE)

    def _category(self, columns: Ints) -> Ints:
        """The category of each column in `columns` (NONE stays NONE)."""
        padded = np.append(self.categories, NONE)  # index NONE reads the padding
        return padded[columns]

    def moment(self, transition: int) -> datetime | None:
        return None if transition == NONE else self.timeline.moments[transition]

    @cached_property
    def state_names(self) -> list[str | None]:
        """Each item's state (its column's name), None off the board."""
        names = [column.name for column in self.board.columns]
        return [names[c] if c != NONE else None for c in self.current.tolist()]
