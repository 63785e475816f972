"""Capacity allocation, SAFe's second Lean budget guardrail, measured on the PI.

SAFe: "Applying capacity allocation to optimize value and solution
integrity", so that "investments in technology, infrastructure, and
maintenance aren't routinely ignored". The agreement is a percentage per
work type (`budgets.capacity_allocation`, e.g. business, enabler,
maintenance); the measure is the PI's story points (finished in it so far,
plus planned into a sprint) by work type, with item counts beside them. A
share further from its agreement than `budgets.tolerance_pct` percentage
points is a `capacity-allocation` finding, critical beyond twice that.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from art.config import BudgetConfig
from art.model import PI, Finding, Severity, WorkItem
from rules.hierarchy import Hierarchy
from rules.pi_work import finished_in, planned, share

RULE = "capacity-allocation"
UNCLASSIFIED = "(unclassified)"


@dataclass(frozen=True, slots=True)
class AllocationRow:
    """One work type's part of the PI: points and items, finished and planned."""

    work_type: str
    target_pct: float | None
    completed_points: float
    planned_points: float
    points: float
    points_pct: float | None
    items: int
    items_pct: float | None
    deviation_pp: float | None  # actual share minus target, in percentage points


def work_type_of(item: WorkItem, hierarchy: Hierarchy, by_issue_type: Mapping[str, str]) -> str:
    """The item's own work type, else its issue type's, else the nearest ancestor's."""
    if item.work_type:
        return item.work_type
    if item.issue_type in by_issue_type:
        return by_issue_type[item.issue_type]
    inherited = next((a.work_type for a in hierarchy.ancestors(item.key) if a.work_type), None)
    return inherited or UNCLASSIFIED


def capacity_allocation(
    hierarchy: Hierarchy, budgets: BudgetConfig, pi: PI, *, today: date, zone: ZoneInfo
) -> list[AllocationRow]:
    """The PI's stories (finished in it so far, or planned in a sprint) by work type."""
    completed: dict[str, float] = {}
    to_come: dict[str, float] = {}
    counts: dict[str, int] = {}
    for story in hierarchy.at_rank(0):
        finished = finished_in(story, pi, today, zone)
        if not finished and not planned(story):
            continue
        kind = work_type_of(story, hierarchy, budgets.work_types_by_issue_type)
        bucket = completed if finished else to_come
        bucket[kind] = bucket.get(kind, 0.0) + (story.estimate or 0.0)
        counts[kind] = counts.get(kind, 0) + 1
    kinds = list(budgets.capacity_allocation) + sorted(
        kind for kind in counts if kind not in budgets.capacity_allocation
    )
    all_points = sum(completed.values()) + sum(to_come.values())
    all_items = sum(counts.values())
    rows = []
    for kind in kinds:
        total = completed.get(kind, 0.0) + to_come.get(kind, 0.0)
        points_pct = share(total, all_points)
        items_pct = share(counts.get(kind, 0), all_items)
        actual = points_pct if all_points else items_pct
        target = budgets.capacity_allocation.get(kind)
        rows.append(
            AllocationRow(
                work_type=kind,
                target_pct=target,
                completed_points=completed.get(kind, 0.0),
                planned_points=to_come.get(kind, 0.0),
                points=total,
                points_pct=points_pct,
                items=counts.get(kind, 0),
                items_pct=items_pct,
                deviation_pp=(
                    round(actual - target, 1) if actual is not None and target is not None else None
                ),
            )
        )
    return rows


def allocation_findings(
    rows: Iterable[AllocationRow], *, pi: PI, tolerance_pct: float
) -> list[Finding]:
    """A finding for each agreed work type whose share is outside the tolerance."""
    findings = []
    for row in rows:
        if row.deviation_pp is None or abs(row.deviation_pp) <= tolerance_pct:
            continue
        actual = row.points_pct if row.points_pct is not None else row.items_pct
        findings.append(
            Finding(
                rule=RULE,
                severity=(
                    Severity.CRITICAL
                    if abs(row.deviation_pp) > 2 * tolerance_pct
                    else Severity.WARNING
                ),
                subject=f"work type '{row.work_type}'",
                message=(
                    f"{row.work_type} work is {actual:g}% of {pi.name}'s points, "
                    f"{'over' if row.deviation_pp > 0 else 'under'} the agreed "
                    f"{row.target_pct:g}% by {abs(row.deviation_pp):g} points "
                    f"(tolerance {tolerance_pct:g})"
                ),
                data={
                    "pi": pi.name,
                    "share_pct": actual,
                    "target_pct": row.target_pct,
                    "deviation_pp": row.deviation_pp,
                    "tolerance_pp": tolerance_pct,
                    "points": row.points,
                    "items": row.items,
                },
            )
        )
    return findings
