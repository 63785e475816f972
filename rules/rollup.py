"""Estimates rolled up the hierarchy: stories to features, features to epics.

SAFe's RTE "assists with economic decision-making by facilitating feature and
capability estimation and the roll-up to Epics". Two estimates meet at every
parent: its own (top-down, from the Lean business case or the feature's
sizing) and the sum of the story points below it (bottom-up). Where they part
by more than `rules.rollup_variance_pct`, the train is deciding on numbers
that no longer describe the work (`rollup-variance`); where stories carry no
estimate at all, the sum is short by an unknown amount (`unestimated`).

For each parent the roll-up gives the bottom-up total, done and remaining
points, its children, the children that lack an estimate, the percent
complete, the variance against its own estimate and a forecast. The total is
conserved: every estimated story counts once, under every ancestor it has,
and nowhere else. The forecast is the larger of the two estimates at each
level, because a guardrail that decides on cost should not wait for the last
story to be written before it sees the size of an epic.

Findings are raised only for parents still open: a finished feature's
variance is a lesson for the Inspect & Adapt, not a decision for tonight
(the table still shows it).

`plan_write_back` is the pure half of `rte rollup --write-back`: the parents
whose rolled-up field in Jira differs from the total, so an unchanged parent
costs no request.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from art.config import ArtConfig
from art.formatting import points
from art.model import Finding, Severity, StatusCategory, WorkItem
from art.numbers import as_number
from rules.hierarchy import Hierarchy, build_hierarchy, hierarchy_findings, key_order

VARIANCE_RULE = "rollup-variance"
UNESTIMATED_RULE = "unestimated"
ROLLUP_FIELD = "rollup_points"  # the WorkItem.fields key of jira.fields.rollup_points


@dataclass(frozen=True, slots=True)
class RollupReport:
    """The roll-up of one snapshot: the tree it walked, a row per parent, the findings."""

    hierarchy: Hierarchy
    rows: tuple[RollupRow, ...]
    findings: tuple[Finding, ...]

    @property
    def top_rows(self) -> tuple[RollupRow, ...]:
        """The rows of the hierarchy's highest level (the epics): together, the whole train."""
        return tuple(row for row in self.rows if row.level == self.hierarchy.levels[-1])

    @property
    def top_total(self) -> float:
        return sum(row.total for row in self.top_rows)

    @property
    def top_done(self) -> float:
        return sum(row.done for row in self.top_rows)


def evaluate_rollup(items: Iterable[WorkItem], config: ArtConfig) -> RollupReport:
    """Build the hierarchy of `jira.hierarchy`, roll it up and judge it."""
    hierarchy = build_hierarchy(items, [level.level for level in config.jira.hierarchy])
    rows = roll_up(hierarchy)
    findings = [
        *hierarchy_findings(hierarchy),
        *rollup_findings(rows, hierarchy, variance_pct=config.rules.rollup_variance_pct),
    ]
    return RollupReport(hierarchy, rows, tuple(findings))


@dataclass(frozen=True, slots=True)
class RollupRow:
    """One parent's roll-up: points are story points summed over the stories below it."""

    key: str
    level: str
    summary: str
    status: str
    parent: str | None
    finished: bool
    estimate: float | None  # the parent's own estimate
    total: float
    done: float
    remaining: float
    children: int
    estimated_stories: int
    unestimated: tuple[str, ...]  # direct children without any estimate
    percent_complete: float | None
    variance_pct: float | None  # (total - estimate) / estimate; None without both
    forecast: float


def roll_up(hierarchy: Hierarchy) -> tuple[RollupRow, ...]:
    """Every parent's roll-up, in tree order (each top item, then what is under it)."""
    forecast = _forecasts(hierarchy)
    rows = []
    for item in _tree_order(hierarchy):
        leaves = list(hierarchy.leaves_under(item.key))
        estimated = [leaf for leaf in leaves if leaf.estimate is not None]
        total = sum(leaf.estimate for leaf in estimated if leaf.estimate is not None)
        done = sum(
            leaf.estimate
            for leaf in estimated
            if leaf.estimate is not None and leaf.status_category is StatusCategory.DONE
        )
        children = hierarchy.children(item.key)
        rows.append(
            RollupRow(
                key=item.key,
                level=item.level or "",
                summary=item.summary,
                status=item.status,
                parent=hierarchy.parent_of.get(item.key),
                finished=item.status_category is StatusCategory.DONE,
                estimate=item.estimate,
                total=total,
                done=done,
                remaining=total - done,
                children=len(children),
                estimated_stories=len(estimated),
                unestimated=tuple(
                    child.key for child in children if _lacks_estimate(hierarchy, child)
                ),
                percent_complete=_percent(done, total) if total > 0 else None,
                variance_pct=(
                    _percent(total - item.estimate, item.estimate)
                    if estimated and item.estimate
                    else None
                ),
                forecast=forecast[item.key],
            )
        )
    return tuple(rows)


def _tree_order(hierarchy: Hierarchy) -> list[WorkItem]:
    roots = [
        item
        for item in hierarchy.items.values()
        if hierarchy.rank(item) > 0 and item.key not in hierarchy.parent_of
    ]
    roots.sort(key=lambda item: (-hierarchy.rank(item), key_order(item.key)))
    ordered: list[WorkItem] = []
    stack = list(reversed(roots))
    while stack:
        item = stack.pop()
        ordered.append(item)
        below = [child for child in hierarchy.children(item.key) if hierarchy.rank(child) > 0]
        stack.extend(sorted(below, key=lambda child: key_order(child.key), reverse=True))
    return ordered


def _forecasts(hierarchy: Hierarchy) -> dict[str, float]:
    """The larger of own estimate and the children's forecasts, lowest level first."""
    forecast: dict[str, float] = {}
    for rank in range(len(hierarchy.levels)):
        for item in hierarchy.at_rank(rank):
            below = sum(forecast[child.key] for child in hierarchy.children(item.key))
            forecast[item.key] = max(item.estimate or 0.0, below)
    return forecast


def _lacks_estimate(hierarchy: Hierarchy, child: WorkItem) -> bool:
    if child.estimate is not None:
        return False
    return hierarchy.rank(child) == 0 or not any(
        leaf.estimate is not None for leaf in hierarchy.leaves_under(child.key)
    )


def _percent(part: float, whole: float) -> float:
    return round(part / whole * 100, 1)


# --------------------------------------------------------------------------
# Findings


def rollup_findings(
    rows: Iterable[RollupRow], hierarchy: Hierarchy, *, variance_pct: float
) -> list[Finding]:
    """`rollup-variance` and `unestimated` findings for the parents still open."""
    findings = []
    for row in rows:
        if row.finished:
            continue
        if row.variance_pct is not None and abs(row.variance_pct) > variance_pct:
            findings.append(_variance_finding(row, variance_pct))
        if row.unestimated:
            findings.append(_unestimated_finding(row, hierarchy))
    return findings


def _variance_finding(row: RollupRow, threshold: float) -> Finding:
    over = row.variance_pct is not None and row.variance_pct > 0
    assert row.variance_pct is not None and row.estimate is not None
    return Finding(
        rule=VARIANCE_RULE,
        # Grown scope changes what the train can commit to; a shortfall may
        # only mean the stories are not all written yet.
        severity=Severity.WARNING if over else Severity.INFO,
        subject=row.key,
        message=(
            f"the stories below this {row.level} add up to {points(row.total)} points, "
            f"{abs(row.variance_pct):g}% {'above' if over else 'below'} its own estimate of "
            f"{points(row.estimate)} (threshold {threshold:g}%)"
        ),
        data={
            "level": row.level,
            "total": row.total,
            "estimate": row.estimate,
            "variance_pct": row.variance_pct,
            "threshold_pct": threshold,
        },
    )


def _unestimated_finding(row: RollupRow, hierarchy: Hierarchy) -> Finding:
    item = hierarchy.items[row.key]
    open_children = [
        key
        for key in row.unestimated
        if hierarchy.items[key].status_category is not StatusCategory.DONE
    ]
    urgent = item.status_category is StatusCategory.IN_PROGRESS and bool(open_children)
    shown = ", ".join(row.unestimated[:10]) + (" ..." if len(row.unestimated) > 10 else "")
    return Finding(
        rule=UNESTIMATED_RULE,
        # Open work without an estimate in a started parent makes today's forecast
        # wrong; finished ones only blur history, and unstarted ones await refinement.
        severity=Severity.WARNING if urgent else Severity.INFO,
        subject=row.key,
        message=(
            f"{len(row.unestimated)} of its {row.children} children have no estimate, "
            f"so its roll-up is short by an unknown amount: {shown}"
        ),
        data={
            "level": row.level,
            "children": row.children,
            "items": list(row.unestimated),
            "open": open_children,
        },
    )


# --------------------------------------------------------------------------
# Write-back plan


@dataclass(frozen=True, slots=True)
class RollupWrite:
    """One parent whose rolled-up field in Jira must change."""

    key: str
    current: float | None
    value: float


def plan_write_back(
    rows: Sequence[RollupRow], items: Mapping[str, WorkItem]
) -> tuple[RollupWrite, ...]:
    """The parents whose field `rollup_points` differs from the rolled-up total.

    A reconcile: parents already showing their total are left out, so a
    second run after a successful write plans nothing.
    """
    writes = []
    for row in rows:
        current = as_number(items[row.key].fields.get(ROLLUP_FIELD))
        if current is None or not math.isclose(current, row.total, rel_tol=0, abs_tol=1e-9):
            writes.append(RollupWrite(row.key, current, row.total))
    return tuple(writes)
