"""Approving significant initiatives, SAFe's third Lean budget guardrail.

SAFe asks "that significant investments are approved appropriately": an
epic whose forecast cost exceeds the portfolio's epic threshold needs the
Lean Portfolio Management's "go", shown on the Portfolio Kanban by the
states of `budgets.epic_approved_statuses`. The forecast cost is the epic's
rolled-up forecast points (the larger of its own estimate and its
features') times the cost of a point: `budgets.cost_per_point`, or what the
teams cost per point of capacity. An open epic above the threshold and not
approved is an `epic-approval` finding, critical once work below it has
started: money is being spent before the decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from art.config import BudgetConfig, TeamConfig
from art.formatting import money, points
from art.model import Finding, Severity, StatusCategory
from rules.hierarchy import Hierarchy
from rules.rollup import RollupRow
from rules.spend import value_stream_of

RULE = "epic-approval"


@dataclass(frozen=True, slots=True)
class EpicCost:
    """An epic's forecast cost and where it stands on the Portfolio Kanban."""

    key: str
    summary: str
    status: str
    value_stream: str | None
    forecast_points: float
    cost: float
    approved: bool
    started: bool  # some work below it is in progress or done


def cost_per_point(budgets: BudgetConfig, teams: Sequence[TeamConfig]) -> float | None:
    """The configured cost of a point, else what the teams cost per point of capacity."""
    if budgets.cost_per_point is not None:
        return budgets.cost_per_point
    priced = [
        team
        for team in teams
        if team.cost_per_iteration is not None and team.capacity_per_iteration
    ]
    capacity = sum(team.capacity_per_iteration or 0.0 for team in priced)
    if not capacity:
        return None
    return round(sum(team.cost_per_iteration or 0.0 for team in priced) / capacity, 2)


def epic_costs(
    rows: Iterable[RollupRow],
    hierarchy: Hierarchy,
    *,
    price: float,
    approved_statuses: Sequence[str],
) -> list[EpicCost]:
    """The top level's forecast cost, for each item of it still open."""
    top = hierarchy.levels[-1]
    costs = []
    for row in rows:
        if row.level != top or row.finished:
            continue
        item = hierarchy.items[row.key]
        costs.append(
            EpicCost(
                key=row.key,
                summary=row.summary,
                status=row.status,
                value_stream=value_stream_of(item, hierarchy),
                forecast_points=row.forecast,
                cost=round(row.forecast * price, 2),
                approved=row.status in approved_statuses,
                started=any(
                    leaf.status_category is not StatusCategory.TO_DO
                    for leaf in hierarchy.leaves_under(row.key)
                ),
            )
        )
    return costs


def epic_approval_findings(
    costs: Iterable[EpicCost], *, threshold: float, currency: str
) -> list[Finding]:
    """Epics above the threshold that the portfolio has not approved."""
    findings = []
    for epic in costs:
        if epic.approved or epic.cost <= threshold:
            continue
        findings.append(
            Finding(
                rule=RULE,
                # Money spent before the Go decision is the case the guardrail exists for.
                severity=Severity.CRITICAL if epic.started else Severity.WARNING,
                subject=epic.key,
                message=(
                    f"forecast cost {money(epic.cost, currency)} ({points(epic.forecast_points)} "
                    f"points) exceeds the epic threshold of {money(threshold, currency)}, but it "
                    f"is in '{epic.status}', not approved"
                    + ("; work below it has already started" if epic.started else "")
                ),
                data={
                    "cost": epic.cost,
                    "forecast_points": epic.forecast_points,
                    "threshold": threshold,
                    "status": epic.status,
                    "started": epic.started,
                    "currency": currency,
                },
            )
        )
    return findings
