"""Aging work in progress: items older than most items of their kind ever got.

SAFe and Kanban both read WIP age against the train's own history: if 85 %
of finished stories took at most 9 days from start to done, a story in
progress for 12 days is unlikely to be a normal one and deserves a look at
the next sync, before it becomes the item that misses the PI.

The reference is the configured percentile (nearest rank, see
`rules.percentiles`) of the cycle times of items of the same issue type and
level that finished within the window before now. With fewer than
`MIN_SAMPLE` such items, all finished items of the level stand in, and the
finding says so. The threshold is at least a day, so a history of
same-day items does not turn every started item into a finding. Past twice
the threshold a finding is critical.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import repeat

import numpy as np
import numpy.typing as npt

from art.model import Finding, Severity, WorkItem
from rules.board import Board
from rules.board_index import NONE, BoardIndex
from rules.percentiles import Percentiles, percentile, summary
from rules.timeline_index import Ints, microseconds_of

RULE = "aging-wip"
MIN_SAMPLE = 5
MIN_THRESHOLD_DAYS = 1.0
CRITICAL_FACTOR = 2


def pooled_label(level: str) -> str:
    """The label of the reference that pools every finished item of `level`."""
    return f"all {level} items"


@dataclass(frozen=True, slots=True)
class Reference:
    """The cycle-time distribution an item's age is compared with."""

    label: str  # the issue type, or "all <level> items" when its own sample was too small
    cycle_days: tuple[float, ...]  # sorted
    threshold: float  # its percentile, at least MIN_THRESHOLD_DAYS

    @classmethod
    def of(cls, label: str, cycle_days: Iterable[float], p: float) -> Reference:
        ordered = tuple(sorted(cycle_days))
        return cls(label, ordered, max(percentile(ordered, p), MIN_THRESHOLD_DAYS))


@dataclass(frozen=True, slots=True)
class AgedItem:
    item: WorkItem
    state: str
    started: datetime
    age_days: float
    reference: Reference | None

    @property
    def rounded_age_days(self) -> float:
        """The age as findings and reports give it: days to the hundredth."""
        return round(self.age_days, 2)

    @property
    def threshold_days(self) -> float | None:
        """The reference's threshold to the hundredth; None without a reference."""
        return round(self.reference.threshold, 2) if self.reference else None


@dataclass(frozen=True, slots=True)
class Aging:
    """The age of every item in progress at one level, oldest first, with its references."""

    level: str
    percentile: float
    window_days: int
    wip: tuple[AgedItem, ...]
    references: Mapping[str, Reference]

    def findings(self) -> list[Finding]:
        """One finding per item past its threshold, oldest first."""
        wording: dict[int, _Wording] = {}  # what a reference's findings share, by reference
        found = []
        for aged in self.wip:
            reference = aged.reference
            if reference is None or not aged.age_days > reference.threshold:
                continue
            words = wording.get(id(reference))
            if words is None:
                words = wording[id(reference)] = _Wording.of(reference, self.percentile)
            found.append(_finding(aged, self.level, self.percentile, words))
        return found

    def reference_percentiles(self) -> dict[str, Percentiles]:
        """Each reference's median, 85th, 95th and configured percentile, by label."""
        ps = sorted({50, 85, 95, self.percentile})
        return {
            label: summary(ref.cycle_days, ps) for label, ref in sorted(self.references.items())
        }


def aging_wip(
    items: Iterable[WorkItem],
    board: Board,
    *,
    level: str,
    now: datetime,
    percentile: float,
    window_days: int,
) -> Aging:
    """Ages of the level's items in progress, each with the cycle times it is compared with."""
    return aging_on(
        BoardIndex.at_level(items, board, level),
        level=level,
        now=now,
        percentile=percentile,
        window_days=window_days,
    )


def aging_on(
    index: BoardIndex, *, level: str, now: datetime, percentile: float, window_days: int
) -> Aging:
    """`aging_wip` of the board index's items (its scope: the items at `level`)."""
    timeline, board = index.timeline, index.board
    times = np.append(timeline.times, 0)  # index NONE reads this padding
    on_board = index.scope & index.holds
    finished = index.finished
    finish_times = times[finished]
    window_start = microseconds_of(now - timedelta(days=window_days))
    recent = (
        on_board
        & ~index.in_progress
        & (finished != NONE)
        & (window_start < finish_times)
        & (finish_times <= microseconds_of(now))
    )
    began = np.where(index.started != NONE, index.started, finished)
    chosen = np.flatnonzero(recent)
    # a cycle time never below zero (a difference of whole microseconds is never -0.0)
    days = np.maximum((finish_times - times[began])[chosen] / 1e6 / 86400, 0.0).tolist()
    by_type: dict[str, list[float]] = {}
    for i, cycle in zip(chosen.tolist(), map(round, days, repeat(2)), strict=True):
        by_type.setdefault(timeline.items[i].issue_type, []).append(cycle)
    pooled = [cycle for cycles in by_type.values() for cycle in cycles]
    everything = Reference.of(pooled_label(level), pooled, percentile) if pooled else None
    references = {
        issue_type: Reference.of(issue_type, cycles, percentile)
        for issue_type, cycles in by_type.items()
        if len(cycles) >= MIN_SAMPLE
    }
    in_progress = np.flatnonzero(on_board & index.in_progress)
    entries = index.entries[in_progress]
    first = board.first_started
    started = entries[:, first] if first is not None else np.full(len(in_progress), NONE)
    own = entries[np.arange(len(in_progress)), index.current[in_progress]]
    started = np.where(started != NONE, started, own)
    # an age is never below zero (a difference of whole microseconds is never -0.0)
    ages = np.maximum((microseconds_of(now) - times[started]) / 1e6 / 86400, 0.0)
    order = by_age_then_key(ages, [timeline.keys[i] for i in in_progress.tolist()])
    positions = in_progress[order].tolist()
    items, moments, states = timeline.items, timeline.moments, index.state_names
    oldest_first = [items[i] for i in positions]
    wip = list(
        map(
            AgedItem,
            oldest_first,
            [states[i] or items[i].status for i in positions],
            [moments[j] for j in started[order].tolist()],
            ages[order].tolist(),
            [references.get(item.issue_type) or everything for item in oldest_first],
        )
    )
    if everything is not None:
        references = {**references, everything.label: everything}
    return Aging(level, percentile, window_days, tuple(wip), references)


def by_age_then_key(ages: npt.NDArray[np.float64], keys: list[str]) -> Ints:
    """The order of `ages` from the oldest, equal ages by key, as a stable sort by
    (-age, key) gives it (lexsort's last key is its primary one)."""
    return np.lexsort((np.array(keys), -ages))


@dataclass(frozen=True, slots=True)
class _Wording:
    """The part of an aging finding that depends on its reference only."""

    threshold: float
    critical: float
    rounded: float
    sample_size: int
    label: str
    tail: str  # the message after the item's own words

    @classmethod
    def of(cls, reference: Reference, p: float) -> _Wording:
        threshold, size = reference.threshold, len(reference.cycle_days)
        tail = (
            f"past the {p:g}th percentile cycle time ({threshold:.1f} days) of "
            f"{size} finished items ({reference.label})"
        )
        return cls(
            threshold, CRITICAL_FACTOR * threshold, round(threshold, 2), size, reference.label, tail
        )


def _finding(aged: AgedItem, level: str, p: float, words: _Wording) -> Finding:
    age, item = aged.age_days, aged.item
    return Finding(
        RULE,
        Severity.CRITICAL if age > words.critical else Severity.WARNING,
        item.key,
        f"in progress for {age:.0f} days (now in '{aged.state}'), {words.tail}",
        {
            "level": level,
            "type": item.issue_type,
            "team": item.team,
            "state": aged.state,
            "started": aged.started,
            "age_days": round(age, 2),
            "percentile": p,
            "threshold_days": words.rounded,
            "reference": words.label,
            "sample_size": words.sample_size,
            "over_by_days": round(age - words.threshold, 2),
        },
    )
