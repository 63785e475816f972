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

from art.model import Finding, Severity, WorkItem
from rules.board import Board
from rules.percentiles import Percentiles, percentile, summary
from rules.timeline import in_days, ordered_transitions

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
        return [
            _finding(aged, self.level, self.percentile, aged.reference)
            for aged in self.wip
            if aged.reference is not None and aged.age_days > aged.reference.threshold
        ]

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
    window_start = now - timedelta(days=window_days)
    by_type: dict[str, list[float]] = {}
    in_progress = []
    for item in items:
        if item.level != level or not board.holds(item):
            continue
        if board.is_in_progress(item):
            in_progress.append(item)
            continue
        transitions = ordered_transitions(item)
        finished = board.finished_at(item, transitions)
        if finished is not None and window_start < finished <= now:
            began = board.started_at(item, transitions) or finished
            cycle = round(max(in_days(finished - began), 0.0), 2)
            by_type.setdefault(item.issue_type, []).append(cycle)
    pooled = [cycle for cycles in by_type.values() for cycle in cycles]
    everything = Reference.of(pooled_label(level), pooled, percentile) if pooled else None
    references = {
        issue_type: Reference.of(issue_type, cycles, percentile)
        for issue_type, cycles in by_type.items()
        if len(cycles) >= MIN_SAMPLE
    }
    wip = []
    for item in in_progress:
        entered = board.entry_times(item)
        start = board.first_started
        started = (entered[start] if start is not None else None) or entered[
            board.positions[item.status]
        ]
        assert started is not None  # an item on the board has entered its own column
        age = max(in_days(now - started), 0.0)
        reference = references.get(item.issue_type) or everything
        wip.append(AgedItem(item, board.state_of(item) or item.status, started, age, reference))
    wip.sort(key=lambda aged: (-aged.age_days, aged.item.key))
    if everything is not None:
        references = {**references, everything.label: everything}
    return Aging(level, percentile, window_days, tuple(wip), references)


def _finding(aged: AgedItem, level: str, p: float, reference: Reference | None) -> Finding:
    assert reference is not None
    threshold = reference.threshold
    severity = (
        Severity.CRITICAL if aged.age_days > CRITICAL_FACTOR * threshold else Severity.WARNING
    )
    return Finding(
        rule=RULE,
        severity=severity,
        subject=aged.item.key,
        message=(
            f"in progress for {aged.age_days:.0f} days (now in '{aged.state}'), past the "
            f"{p:g}th percentile cycle time ({threshold:.1f} days) of "
            f"{len(reference.cycle_days)} finished items ({reference.label})"
        ),
        data={
            "level": level,
            "type": aged.item.issue_type,
            "team": aged.item.team,
            "state": aged.state,
            "started": aged.started,
            "age_days": aged.rounded_age_days,
            "percentile": p,
            "threshold_days": round(threshold, 2),
            "reference": reference.label,
            "sample_size": len(reference.cycle_days),
            "over_by_days": round(aged.age_days - threshold, 2),
        },
    )
