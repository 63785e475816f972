"""Every item's history once, as arrays: the index the flow rules of one run share.

`rules.timeline.ordered_transitions` reads one history as the rules need it
(sorted, with its creation and its current status). Reading 100,000
histories that way once per rule and board costs seconds; reading them once
into flat numpy arrays costs a fraction of that, and then every rule asks
the arrays instead of walking the histories again:

- `times[j]`: the instant of transition `j` in microseconds since the epoch
  (UTC), exact, so differences are the same `timedelta`s the rules computed
  from `datetime`s;
- `codes[j]`: its status, as a code into `statuses`;
- `moments[j]`: the `datetime` itself, so a rule hands back the very object
  a history holds (its UTC offset included, as findings show it);
- item `i`'s transitions are `starts[i]` to `starts[i + 1]`, in the order of
  `ordered_transitions(items[i])`, which is also the order of time.

Histories that are already in order, begin with their creation and end in
the current status (what the Jira parser delivers) are taken as they are;
any other history goes through `ordered_transitions` itself, so the index
never reads a history differently from the function it stands in for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cached_property
from itertools import chain, count
from operator import attrgetter

import numpy as np
import numpy.typing as npt

from art.model import Transition, WorkItem
from rules.timeline import ordered_transitions

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
US_PER_DAY = 86_400_000_000
# A float timestamp turns back into exact microseconds below 2**31 s (1901 to 2038);
# further out, each instant is converted the slow, exact way.
_EXACT_SECONDS = 2.0**31
# Offsets of a time zone are read per quarter day: no zone changes its offset twice in that.
_ZONE_PROBE_US = 6 * 3_600_000_000

_TRANSITIONS = attrgetter("transitions")
_AT = attrgetter("at")
_TO = attrgetter("to_status")
_STATUS = attrgetter("status")
_LEVEL = attrgetter("level")
_KEY = attrgetter("key")
_FLAGGED = attrgetter("flagged")
_LINKS = attrgetter("links")
_TEAM = attrgetter("team")
_PARENT = attrgetter("parent")


def microseconds(moments: Sequence[datetime]) -> Ints:
    """Each aware `datetime` as exact microseconds since the epoch (UTC)."""
    seconds = np.fromiter(map(datetime.timestamp, moments), np.float64, len(moments))
    result = np.rint(seconds * 1e6).astype(np.int64)
    for j in np.flatnonzero(np.abs(seconds) >= _EXACT_SECONDS).tolist():
        result[j] = (moments[j] - EPOCH) // MICROSECOND
    return result


def microseconds_of(moment: datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


def local_days(instants: Ints, zone: tzinfo) -> Ints:
    """The day in `zone` of each instant (days since 1970-01-01): what `local_date` says."""
    flat = instants.ravel()
    if len(flat) == 0:
        return instants.copy()
    offsets = _offsets(flat, zone)
    return np.floor_divide(flat + offsets, US_PER_DAY).reshape(instants.shape)


def day_number(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def date_of(number: int) -> date:
    return date(1970, 1, 1) + timedelta(days=number)


def _offset_at(instant: int, zone: tzinfo) -> int:
    offset = (EPOCH + timedelta(microseconds=instant)).astimezone(zone).utcoffset()
    return offset // MICROSECOND if offset is not None else 0


def _offsets(instants: Ints, zone: tzinfo) -> Ints:
    """The UTC offset of `zone` at each instant, in microseconds.

    A fixed zone has one. Any other is asked at both ends of each quarter day
    the instants fall in; where the two answers differ, the instant of the
    change is found by halving, so every instant gets the offset `astimezone`
    would give it.
    """
    if zone is UTC or isinstance(zone, timezone):
        return np.full(len(instants), _offset_at(0, zone), np.int64)
    buckets, where = np.unique(np.floor_divide(instants, _ZONE_PROBE_US), return_inverse=True)
    result = np.empty(len(instants), np.int64)
    for number, bucket in enumerate(buckets.tolist()):
        low, high = bucket * _ZONE_PROBE_US, (bucket + 1) * _ZONE_PROBE_US
        before, after = _offset_at(low, zone), _offset_at(high, zone)
        mine = where == number
        if before == after:
            result[mine] = before
            continue
        while high - low > 1:  # the change happens in (low, high]: find its first instant
            middle = (low + high) // 2
            if _offset_at(middle, zone) == before:
                low = middle
            else:
                high = middle
        result[mine] = np.where(instants[mine] >= high, after, before)
    return result


@dataclass(frozen=True, eq=False)
class TimelineIndex:
    """The histories of `items`, flat, in the order `ordered_transitions` gives them."""

    items: tuple[WorkItem, ...]
    starts: Ints  # item i's transitions are starts[i]:starts[i + 1]
    times: Ints  # microseconds since the epoch
    codes: Ints  # status codes
    moments: list[datetime]  # the instants as the histories hold them
    statuses: tuple[str, ...]  # status by code
    item_status: Ints  # each item's current status, as a code

    @classmethod
    def of(cls, items: Iterable[WorkItem]) -> TimelineIndex:
        """Index `items`' histories (each as `ordered_transitions` reads it)."""
        held = tuple(items)
        histories: list[tuple[Transition, ...]] = list(map(_TRANSITIONS, held))
        lengths = np.fromiter(map(len, histories), np.int64, len(held))
        flat = list(chain.from_iterable(histories))
        moments = list(map(_AT, flat))
        times = microseconds(moments)
        table: defaultdict[str, int] = defaultdict(count().__next__)
        codes = np.fromiter(map(table.__getitem__, map(_TO, flat)), np.int64, len(flat))
        item_status = np.fromiter(map(table.__getitem__, map(_STATUS, held)), np.int64, len(held))
        starts = np.zeros(len(held) + 1, np.int64)
        np.cumsum(lengths, out=starts[1:])
        irregular = _irregular(held, histories, lengths, starts, times, codes, item_status)
        if len(irregular):
            ordered = {i: ordered_transitions(held[i]) for i in irregular.tolist()}
            starts, times, codes, moments = _spliced(
                ordered, lengths, starts, times, codes, moments, table
            )
        statuses = tuple(sorted(table, key=table.__getitem__))
        return cls(held, starts, times, codes, moments, statuses, item_status)

    def __len__(self) -> int:
        return len(self.items)

    @cached_property
    def lengths(self) -> Ints:
        return np.diff(self.starts)

    @cached_property
    def owner(self) -> Ints:
        """The item each transition belongs to."""
        return np.repeat(np.arange(len(self.items), dtype=np.int64), self.lengths)

    @cached_property
    def last(self) -> Ints:
        """Each item's latest transition (every indexed history has at least one)."""
        return self.starts[1:] - 1

    @cached_property
    def lasts(self) -> list[int]:
        """`last` as a list, for loops that read it item by item."""
        positions: list[int] = self.last.tolist()
        return positions

    @cached_property
    def keys(self) -> list[str]:
        return list(map(_KEY, self.items))

    @cached_property
    def parents(self) -> list[str | None]:
        return list(map(_PARENT, self.items))

    @cached_property
    def touched(self) -> list[datetime]:
        """Each item's last update, or its creation when Jira gives none."""
        return [item.updated or item.created for item in self.items]

    @cached_property
    def last_change(self) -> Ints:
        """`rules.timeline.last_change` of each item, in microseconds."""
        return np.maximum(self.times[self.last], microseconds(self.touched))

    def last_change_moment(self, i: int) -> datetime:
        """`rules.timeline.last_change` of item `i`, the `datetime` it picks."""
        return max(self.moments[self.lasts[i]], self.touched[i])

    @cached_property
    def _levels(self) -> tuple[dict[str | None, int], Ints]:
        codes: dict[str | None, int] = {}
        level_of = np.fromiter(
            (codes.setdefault(level, len(codes)) for level in map(_LEVEL, self.items)),
            np.int64,
            len(self),
        )
        return codes, level_of

    def level_mask(self, level: str | None) -> Flags:
        """The items at `level`."""
        codes, level_of = self._levels
        return level_of == codes[level] if level in codes else np.zeros(len(self), np.bool_)

    @cached_property
    def flagged(self) -> Flags:
        """The items that were ever flagged."""
        return np.fromiter(map(len, map(_FLAGGED, self.items)), np.int64, len(self)) > 0

    @cached_property
    def flagged_now(self) -> Flags:
        """The items flagged now (an interval still open)."""
        now = np.zeros(len(self), np.bool_)
        marked = np.flatnonzero(self.flagged).tolist()
        now[marked] = [self.items[i].is_flagged() for i in marked]
        return now

    @cached_property
    def linked(self) -> Flags:
        """The items that hold a link."""
        return np.fromiter(map(len, map(_LINKS, self.items)), np.int64, len(self)) > 0

    def team_masks(self, values: Iterable[str]) -> dict[str, Flags]:
        """Per team value (as Jira holds it), which items carry it."""
        codes = {value: code for code, value in enumerate(values)}
        team_of = np.fromiter(
            (codes.get(team, -1) for team in map(_TEAM, self.items)), np.int64, len(self)
        )
        return {value: team_of == code for value, code in codes.items()}

    def code_mask(self, statuses: Iterable[str]) -> Flags:
        """Per status code: is it one of `statuses`."""
        wanted = set(statuses)
        return np.fromiter((s in wanted for s in self.statuses), np.bool_, len(self.statuses))

    def ever_in(self, statuses: Iterable[str]) -> Flags:
        """The items whose history holds a transition into one of `statuses`."""
        hits = self.code_mask(statuses)[self.codes]
        return np.logical_or.reduceat(hits, self.starts[:-1]) if len(hits) else hits

    def transitions_of(self, i: int) -> tuple[Transition, ...]:
        """Item `i`'s history as `ordered_transitions` gives it."""
        return ordered_transitions(self.items[i])


def _irregular(
    items: tuple[WorkItem, ...],
    histories: list[tuple[Transition, ...]],
    lengths: Ints,
    starts: Ints,
    times: Ints,
    codes: Ints,
    item_status: Ints,
) -> Ints:
    """The items whose history `ordered_transitions` would change: empty, out of order,
    without its creation first, or ending elsewhere than the current status."""
    empty = lengths == 0
    later = times[1:] < times[:-1]  # a step back in time, within or between histories
    within = np.ones(len(times), np.bool_)
    within[starts[:-1][~empty]] = False  # the first of a history follows another's last
    backwards = np.zeros(len(items), np.bool_)
    if len(later):
        stepped = np.flatnonzero(later & within[1:]) + 1
        backwards[np.searchsorted(starts, stepped, side="right") - 1] = True
    firsts = [history[0].from_status is not None for history in histories if history]
    created = np.zeros(len(items), np.bool_)
    created[~empty] = np.fromiter(firsts, np.bool_, len(firsts))
    ends = np.zeros(len(items), np.bool_)
    ends[~empty] = codes[starts[1:][~empty] - 1] != item_status[~empty]
    return np.flatnonzero(empty | backwards | created | ends)


def _spliced(
    ordered: dict[int, tuple[Transition, ...]],
    lengths: Ints,
    starts: Ints,
    times: Ints,
    codes: Ints,
    moments: list[datetime],
    table: defaultdict[str, int],
) -> tuple[Ints, Ints, Ints, list[datetime]]:
    """The flat arrays with the histories in `ordered` replaced by their ordered versions."""
    time_parts, code_parts, moment_parts = [], [], []
    done = 0
    for i, history in sorted(ordered.items()):
        time_parts.append(times[done : starts[i]])
        code_parts.append(codes[done : starts[i]])
        moment_parts.append(moments[done : starts[i]])
        mine = [transition.at for transition in history]
        time_parts.append(microseconds(mine))
        code_parts.append(np.array([table[t.to_status] for t in history], np.int64))
        moment_parts.append(mine)
        done = int(starts[i + 1])
    time_parts.append(times[done:])
    code_parts.append(codes[done:])
    moment_parts.append(moments[done:])
    new_lengths = lengths.copy()
    for i, history in ordered.items():
        new_lengths[i] = len(history)
    new_starts = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(new_lengths, out=new_starts[1:])
    return (
        new_starts,
        np.concatenate(time_parts),
        np.concatenate(code_parts),
        list(chain.from_iterable(moment_parts)),
    )
