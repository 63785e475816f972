"""SAFe's flow metrics for one scope (the ART, or a team) over the PI and its iterations.

SAFe 6 measures flow with six metrics; five come from the work items
(predictability comes from the PI objectives):

- flow distribution: the finished items per work type, counted and in points;
- flow velocity: how many items (and points) were finished;
- flow time: the cycle time of the finished items, start to done, by issue
  type: median, 85th and 95th percentile (nearest rank, `rules.percentiles`);
- flow load: the items in progress, per board state, at the period's end;
- flow efficiency: of the finished items' flow time, the share not spent
  waiting. Waiting is being in a wait state (`rules.wait_states`, state or
  status names) or flagged; the two are united, never counted twice.

An item counts for a period when it finished within it (its finishing day
in the ART's time zone); start, finish and states follow `rules.board`.
The periods are the current PI to date and each of its finished iterations.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

import numpy as np

from art.model import PI, StatusCategory, Transition, WorkItem
from rules.board import Board
from rules.board_index import IN_PROGRESS, NONE, BoardIndex
from rules.percentiles import Percentiles, summary
from rules.timeline import DAY, clipped, covered, end_of_day, in_days, start_of_day, status_segments
from rules.timeline_index import (
    Flags,
    Ints,
    TimelineIndex,
    date_of,
    day_number,
    local_days,
    microseconds_of,
)

UNCLASSIFIED = "unclassified"


@dataclass(frozen=True, slots=True)
class Period:
    name: str
    kind: str  # "pi" or "iteration"
    start: date
    end: date  # inclusive


def reporting_periods(pis: Sequence[PI], today: date) -> tuple[Period, ...]:
    """The latest PI begun by `today` (to date) and each of its iterations already over."""
    begun = [pi for pi in pis if pi.start <= today]
    if not begun:
        return ()
    pi = max(begun, key=lambda candidate: candidate.start)
    running = today <= pi.end
    periods = [
        Period(f"{pi.name} to date" if running else pi.name, "pi", pi.start, min(today, pi.end))
    ]
    periods += [
        Period(iteration.name, "iteration", iteration.start, iteration.end)
        for iteration in pi.iterations
        if iteration.end < today
    ]
    return tuple(periods)


@dataclass(frozen=True, slots=True)
class WorkTypeShare:
    """Flow distribution: the finished items of one work type, and their share of all."""

    count: int
    share: float  # of the items finished in the period, 0 to 1
    points: float


@dataclass(frozen=True, slots=True)
class Velocity:
    items: int
    points: float


@dataclass(frozen=True, slots=True)
class Load:
    """Flow load: the items in progress per in-progress state at one moment."""

    states: Mapping[str, int]
    total: int


@dataclass(frozen=True, slots=True)
class Efficiency:
    """Flow efficiency: of the finished items' flow time, the days not spent waiting."""

    items: int
    active_days: float
    total_days: float
    ratio: float | None  # None when no time passed at all


@dataclass(frozen=True, slots=True)
class PeriodFlow:
    """The five flow metrics of one scope over one period."""

    period: Period
    distribution: Mapping[str, WorkTypeShare]  # by work type, sorted
    velocity: Velocity
    time: Percentiles  # flow time in days of every item finished
    time_by_type: Mapping[str, Percentiles]  # the same by issue type, sorted
    load: Load  # at the period's end
    efficiency: Efficiency


@dataclass(frozen=True, slots=True)
class ScopeFlow:
    """The flow of one scope (the ART, or a team) at one level, per period name."""

    level: str
    scope: str
    by_period: Mapping[str, PeriodFlow]


@dataclass(frozen=True, slots=True)
class FlowMetrics:
    """Every scope's flow over the reporting periods (the first is the PI)."""

    periods: tuple[Period, ...]
    scopes: tuple[ScopeFlow, ...]


@dataclass(frozen=True, slots=True)
class _Finished:
    """What the metrics need of one finished item."""

    item: WorkItem
    on: date
    flow_time: timedelta
    waiting: timedelta


def flow_metrics(
    items: Iterable[WorkItem],
    board: Board,
    periods: Sequence[Period],
    *,
    zone: tzinfo,
    now: datetime,
    wait_states: Collection[str],
) -> dict[str, PeriodFlow]:
    """Distribution, velocity, time, load and efficiency of `items`, per period name."""
    timeline = TimelineIndex.of(items)
    board_flow = BoardFlow(
        BoardIndex(timeline, board), periods, zone=zone, now=now, wait_states=wait_states
    )
    return board_flow.of(np.ones(len(timeline), np.bool_))


class BoardFlow:
    """The flow metrics of any scope of one board's items, from what all scopes share:
    each finished item's flow time and waiting, and each item's state at each period's end."""

    def __init__(
        self,
        index: BoardIndex,
        periods: Sequence[Period],
        *,
        zone: tzinfo,
        now: datetime,
        wait_states: Collection[str],
    ) -> None:
        self.index = index
        self.periods = tuple(periods)
        moments = [min(end_of_day(p.end, zone), now) for p in self.periods]
        self.states = [_states_at(index, microseconds_of(moment)) for moment in moments]
        self.finished = _finished_items(index, self.periods, zone, now, wait_states)
        self._finished_at = np.array(list(self.finished), np.int64)  # ascending
        self._records = list(self.finished.values())

    def of(self, scope: Flags) -> dict[str, PeriodFlow]:
        """The metrics of the items in `scope` (a mask over the index's items)."""
        mine = scope & self.index.scope
        chosen = mine[self._finished_at].tolist()
        finished = [record for record, kept in zip(self._records, chosen, strict=True) if kept]
        result = {}
        for period, states in zip(self.periods, self.states, strict=True):
            done_in = [f for f in finished if period.start <= f.on <= period.end]
            by_type = _flow_times(done_in)
            result[period.name] = PeriodFlow(
                period=period,
                distribution=_distribution(done_in),
                velocity=Velocity(len(done_in), _points(done_in)),
                time=summary(value for values in by_type.values() for value in values),
                time_by_type={
                    issue_type: summary(values) for issue_type, values in by_type.items()
                },
                load=_load(self.index.board, states[mine]),
                efficiency=_efficiency(done_in),
            )
        return result


def _finished_items(
    index: BoardIndex,
    periods: Sequence[Period],
    zone: tzinfo,
    now: datetime,
    wait_states: Collection[str],
) -> dict[int, _Finished]:
    """What the metrics need of each item finished by `now` on a day of the periods."""
    if not periods:
        return {}
    timeline, board = index.timeline, index.board
    wait = board.statuses_named(wait_states)
    start = min(period.start for period in periods)
    end = max(period.end for period in periods)
    done_at = timeline.times[index.finished]
    # a day's local bounds lie within a day of its UTC ones: only these can be on the days
    near = (
        (index.finished != NONE)
        & (done_at <= microseconds_of(now))
        & (done_at >= microseconds_of(start_of_day(start, zone) - DAY))
        & (done_at < microseconds_of(end_of_day(end, zone) + DAY))
    )
    finished = np.flatnonzero(near)
    days = local_days(done_at[finished], zone)
    kept = (day_number(start) <= days) & (days <= day_number(end))
    waited = timeline.ever_in(wait)
    items, moments = timeline.items, timeline.moments
    records = {}
    for i, on, done_index, start_index in zip(
        finished[kept].tolist(),
        days[kept].tolist(),
        index.finished[finished[kept]].tolist(),
        index.started[finished[kept]].tolist(),
        strict=True,
    ):
        item = items[i]
        done = moments[done_index]
        started = min(moments[start_index] if start_index != NONE else done, done)
        waiting = timedelta()
        if waited[i] or item.flagged:
            waiting = _waiting(item, timeline.transitions_of(i), started, done, wait, now)
        records[i] = _Finished(item, date_of(on), done - started, waiting)
    return records


def _waiting(
    item: WorkItem,
    transitions: Sequence[Transition],
    started: datetime,
    done: datetime,
    wait: Collection[str],
    now: datetime,
) -> timedelta:
    """The time between start and finish spent in a wait state or flagged."""
    waits = [
        (start, end) for start, end, status in status_segments(transitions, done) if status in wait
    ]
    waits += [(flag.start, flag.end or now) for flag in item.flagged]
    return covered(clipped(waits, started, done))


def _states_at(index: BoardIndex, moment: int) -> Ints:
    """Each item's in-progress column at `moment` (NONE when it stood elsewhere, or nowhere)."""
    timeline = index.timeline
    seen = np.add.reduceat((timeline.times <= moment).astype(np.int64), timeline.starts[:-1])
    latest = timeline.starts[:-1] + seen - 1
    columns = np.where(seen > 0, index.columns[latest], NONE)
    in_progress = np.append(index.categories == IN_PROGRESS, False)  # NONE reads the padding
    return np.where(in_progress[columns], columns, NONE)


def _load(board: Board, states: Ints) -> Load:
    """WIP per in-progress state, from the in-progress column of each item."""
    counts = np.bincount(states[states != NONE], minlength=len(board.columns)).tolist()
    names = {
        column.name: 0
        for column, category in zip(board.columns, board.categories, strict=True)
        if category is StatusCategory.IN_PROGRESS
    }
    for column, count in zip(board.columns, counts, strict=False):
        if column.name in names and count:
            names[column.name] += count
    return Load(names, sum(names.values()))


def _points(finished: Sequence[_Finished]) -> float:
    return round(sum(f.item.estimate or 0.0 for f in finished), 2)


def _distribution(finished: Sequence[_Finished]) -> dict[str, WorkTypeShare]:
    by_type: dict[str, list[_Finished]] = {}
    for f in finished:
        by_type.setdefault(f.item.work_type or UNCLASSIFIED, []).append(f)
    total = len(finished)
    return {
        work_type: WorkTypeShare(len(group), round(len(group) / total, 4), _points(group))
        for work_type, group in sorted(by_type.items())
    }


def _flow_times(finished: Sequence[_Finished]) -> dict[str, list[float]]:
    """The flow times in days (to the hundredth) by issue type, sorted by type."""
    by_type: dict[str, list[float]] = {}
    for f in finished:
        by_type.setdefault(f.item.issue_type, []).append(round(in_days(f.flow_time), 2))
    return dict(sorted(by_type.items()))


def _efficiency(finished: Sequence[_Finished]) -> Efficiency:
    total = sum((f.flow_time for f in finished), timedelta())
    waiting = sum((f.waiting for f in finished), timedelta())
    active = total - waiting
    return Efficiency(
        items=len(finished),
        active_days=round(in_days(active), 2),
        total_days=round(in_days(total), 2),
        ratio=round(active / total, 4) if total > timedelta() else None,
    )
