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

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, tzinfo

from art.model import WorkItem
from rules.board import Board
from rules.timeline import DAY, end_of_day, ordered_transitions


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
    days = [start + n * DAY for n in range((end - start).days + 1)] if start <= end else []
    boundaries = [end_of_day(day, zone) for day in days]  # UTC instants, one per day
    deltas = [[0] * len(board.columns) for _ in days]
    for item in items:
        position: int | None = None
        for transition in ordered_transitions(item):
            day_index = bisect_right(boundaries, transition.at)  # the first day ending after it
            if day_index >= len(days):
                break
            new = board.positions.get(transition.to_status)
            if new == position:
                continue
            if position is not None:
                deltas[day_index][position] -= 1
            if new is not None:
                deltas[day_index][new] += 1
            position = new
    counts = {column.name: [0] * len(days) for column in board.columns}
    running = [0] * len(board.columns)
    for day_index, changes in enumerate(deltas):
        for index, change in enumerate(changes):
            running[index] += change
            counts[board.columns[index].name][day_index] = running[index]
    return CumulativeFlow(
        level,
        tuple(days),
        tuple(column.name for column in board.columns),
        {state: tuple(per_day) for state, per_day in counts.items()},
    )
