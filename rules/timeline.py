"""An item's history as the flow rules read it, and the clock arithmetic they share.

The model promises transitions but not that every source delivers them
tidy: a history can arrive unsorted, lack the creation entry, or end in a
status other than the current one (a truncated changelog). Rules read
histories only through `ordered_transitions`, which fixes exactly those
three things and nothing else, so each rule need not guess on its own.

"Now" is a parameter everywhere. A check run as of an earlier day (the
demo, a re-run) measures ages at the end of that day in the ART's time zone,
not at the wall clock, which may even lie before the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import attrgetter

from art.model import Transition, WorkItem

DAY = timedelta(days=1)
_AT = attrgetter("at")

Interval = tuple[datetime, datetime]


def ordered_transitions(item: WorkItem) -> tuple[Transition, ...]:
    """The item's status changes in time order, from its creation to its current status.

    Adds a creation entry when the history has none (the item was created in
    the status its first change left), and a closing entry when the history
    ends elsewhere than `item.status` (Jira's current status wins, at the
    last update). Same-instant changes keep the order they were given in.
    """
    transitions = sorted(item.transitions, key=_AT)
    if not transitions:
        return (Transition(item.created, None, item.status),)
    first = transitions[0]
    if first.from_status is not None:
        transitions.insert(0, Transition(min(item.created, first.at), None, first.from_status))
    last = transitions[-1]
    if last.to_status != item.status:
        closed_at = max(last.at, item.updated or last.at)
        transitions.append(Transition(closed_at, last.to_status, item.status))
    return tuple(transitions)


def status_segments(
    transitions: Sequence[Transition], now: datetime
) -> Iterator[tuple[datetime, datetime, str]]:
    """(from, to, status) for each stay, the last one open until `now`."""
    for index, transition in enumerate(transitions):
        end = transitions[index + 1].at if index + 1 < len(transitions) else now
        if end > transition.at:
            yield transition.at, min(end, now), transition.to_status


def last_change(item: WorkItem, transitions: Sequence[Transition]) -> datetime:
    """The latest status change or update, whichever is later."""
    return max(transitions[-1].at, item.updated or item.created)


# --------------------------------------------------------------------------
# Intervals


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """The union of `intervals` as sorted, disjoint intervals (empty ones dropped)."""
    result: list[Interval] = []
    for start, end in sorted(interval for interval in intervals if interval[1] > interval[0]):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def clipped(intervals: Iterable[Interval], start: datetime, end: datetime) -> Iterator[Interval]:
    for low, high in intervals:
        if high > start and low < end:
            yield max(low, start), min(high, end)


def covered(intervals: Iterable[Interval]) -> timedelta:
    """The total length of the union of `intervals`."""
    return sum((end - start for start, end in merged(intervals)), timedelta())


# --------------------------------------------------------------------------
# Days and the ART's calendar


def in_days(delta: timedelta) -> float:
    return delta.total_seconds() / 86400


def local_date(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The UTC instant the ART's `day` begins (a local midnight, daylight saving included)."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def end_of_day(day: date, zone: tzinfo) -> datetime:
    return start_of_day(day + DAY, zone)


def as_of_moment(today: date, zone: tzinfo, clock: datetime) -> datetime:
    """'Now' for a check as of `today`: the clock when it is `today` in the ART, else day's end."""
    if local_date(clock, zone) == today:
        return clock
    return end_of_day(today, zone)
