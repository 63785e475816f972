"""The data of a cumulative flow diagram: items per board state at the end of each day.

Stacked with the last state at the bottom, the bands are the classic CFD:
the top edge is everything that has arrived, the gap between two edges is
the work standing in a state, and a band that widens is a queue that grows.
Counting where each item stood at each day's end (in the ART's time zone)
rather than summing arrivals keeps the picture honest when items move back:
a state's band shrinks instead of the bands crossing.

Each item adds one at the day it enters a state and takes one off at the
day it leaves, then a running sum per state gives the counts: one pass over
the transitions and one over the days, whatever the number of items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, tzinfo

import numpy as np

from art.model import WorkItem
from rules.board import Board
from rules.board_index import NONE, BoardIndex
from rules.timeline import DAY, end_of_day
from rules.timeline_index import TimelineIndex, microseconds_of


@dataclass(frozen=True, slots=True)
class CumulativeFlow:
    """The board's states in order, and per state its item count at the end of each day."""

    level: str
    days: tuple[date, ...]
    states: tuple[str, ...]
    counts: Mapping[str, tuple[int, ...]]  # by state, one count per day


def cumulative_flow(
    items: Iterable[WorkItem], board: Board, *, level: str, start: date, end: date, zone: tzinfo
) -> CumulativeFlow:
    """Per state, the count of items standing in it at the end of each day from start to end."""
    index = BoardIndex(TimelineIndex.of(items), board)
    return cumulative_flow_on(index, level=level, start=start, end=end, zone=zone)


def cumulative_flow_on(
    index: BoardIndex, *, level: str, start: date, end: date, zone: tzinfo
) -> CumulativeFlow:
    """`cumulative_flow` of the board index's items (its scope)."""
    timeline, board = index.timeline, index.board
    width = len(board.columns)
    days = [start + n * DAY for n in range((end - start).days + 1)] if start <= end else []
    boundaries = np.array([microseconds_of(end_of_day(day, zone)) for day in days], np.int64)
    day_of = np.searchsorted(boundaries, timeline.times, side="right")  # the first day ending after
    kept = np.flatnonzero(index.scope[timeline.owner] & (day_of < len(days)))
    owners, columns, on = timeline.owner[kept], index.columns[kept], day_of[kept]
    before = np.full(len(kept), NONE, np.int64)  # where the item stood before each move
    if len(kept):
        same_item = owners[1:] == owners[:-1]
        before[1:] = np.where(same_item, columns[:-1], NONE)
    moved = columns != before
    left = moved & (before != NONE)
    entered = moved & (columns != NONE)
    deltas = np.zeros(len(days) * width, np.int64)
    np.subtract.at(deltas, on[left] * width + before[left], 1)
    np.add.at(deltas, on[entered] * width + columns[entered], 1)
    running = np.cumsum(deltas.reshape(len(days), width), axis=0)
    return CumulativeFlow(
        level,
        tuple(days),
        tuple(column.name for column in board.columns),
        {
            column.name: tuple(running[:, position].tolist())
            for position, column in enumerate(board.columns)
        },
    )
