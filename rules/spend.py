"""Spend against the Lean budget: each value stream's share of the teams' cost.

SAFe funds value streams, not projects: "the portfolio's total budget is
allocated to individual value streams", and the RTE "operates within Lean
Budgets". A team costs what it costs whatever it finishes, so each team's
cost to date (`cost_per_iteration`, pro rata by the days of the PI gone) is
spread over the value streams of the work it finished in the PI (the Value
Stream of the epic above it), in proportion to the points. At the same burn
the PI ends at spent x PI days / days gone; a forecast above the value
stream's `pi_budget` is a `budget` finding, critical once the spend alone
is above it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from art.config import BudgetConfig, TeamConfig
from art.formatting import money
from art.model import PI, Finding, Severity, WorkItem
from rules.hierarchy import Hierarchy
from rules.pi_work import finished_in, share

RULE = "budget"
UNATTRIBUTED = "(unattributed)"


@dataclass(frozen=True, slots=True)
class SpendRow:
    """A value stream's spend in the PI so far, its forecast to the PI's end, its budget."""

    value_stream: str
    budget: float | None
    points: float  # finished in the PI, the basis of the spread
    spent: float
    forecast: float
    forecast_pct: float | None  # of the budget


@dataclass(frozen=True, slots=True)
class Spend:
    rows: tuple[SpendRow, ...]
    days_gone: int
    pi_days: int
    teams_without_cost: tuple[str, ...]


def value_stream_of(item: WorkItem, hierarchy: Hierarchy) -> str | None:
    """The value stream of the highest item above (the epic) that names one."""
    found = None
    for node in (item, *hierarchy.ancestors(item.key)):
        stream = node.fields.get("value_stream")
        if isinstance(stream, str) and stream:
            found = stream
    return found


def spend_by_value_stream(
    hierarchy: Hierarchy,
    teams: Sequence[TeamConfig],
    budgets: BudgetConfig,
    pi: PI,
    *,
    today: date,
    zone: ZoneInfo,
) -> Spend:
    """Each team's cost to date spread over the value streams of the work it finished."""
    pi_days = (pi.end - pi.start).days + 1
    days_gone = max(0, (min(today, pi.end) - pi.start).days + 1)
    iteration_days = pi_days / len(pi.iterations)
    finished = [story for story in hierarchy.at_rank(0) if finished_in(story, pi, today, zone)]
    spent: dict[str, float] = {}
    done_points: dict[str, float] = {}
    for team in teams:
        if team.cost_per_iteration is None:
            continue
        cost = team.cost_per_iteration * days_gone / iteration_days
        weights = _team_weights([s for s in finished if s.team == team.team_value], hierarchy)
        whole = sum(weights.values())
        if not whole:
            spent[UNATTRIBUTED] = spent.get(UNATTRIBUTED, 0.0) + cost
            continue
        for stream, weight in weights.items():
            spent[stream] = spent.get(stream, 0.0) + cost * weight / whole
    for story in finished:
        stream = value_stream_of(story, hierarchy) or UNATTRIBUTED
        done_points[stream] = done_points.get(stream, 0.0) + (story.estimate or 0.0)
    budget_of = {stream.name: stream.pi_budget for stream in budgets.value_streams}
    names = list(budget_of) + sorted(
        name
        for name in set(spent) | set(done_points)
        if name not in budget_of and (spent.get(name) or done_points.get(name))
    )
    rows = []
    for name in names:
        cost = spent.get(name, 0.0)
        forecast = cost * pi_days / days_gone if days_gone else 0.0
        budget = budget_of.get(name)
        rows.append(
            SpendRow(
                value_stream=name,
                budget=budget,
                points=done_points.get(name, 0.0),
                spent=round(cost, 2),
                forecast=round(forecast, 2),
                forecast_pct=share(forecast, budget) if budget else None,
            )
        )
    return Spend(
        rows=tuple(rows),
        days_gone=days_gone,
        pi_days=pi_days,
        teams_without_cost=tuple(t.name for t in teams if t.cost_per_iteration is None),
    )


def _team_weights(stories: Sequence[WorkItem], hierarchy: Hierarchy) -> dict[str, float]:
    """Points per value stream; counts instead when none of the stories is estimated."""
    by_points = any(story.estimate for story in stories)
    weights: dict[str, float] = {}
    for story in stories:
        stream = value_stream_of(story, hierarchy) or UNATTRIBUTED
        weight = (story.estimate or 0.0) if by_points else 1.0
        weights[stream] = weights.get(stream, 0.0) + weight
    return weights


def budget_findings(spend: Spend, *, pi: PI, currency: str) -> list[Finding]:
    """A value stream that has spent its budget, or will at the current burn."""
    findings = []
    for row in spend.rows:
        if row.budget is None or row.forecast <= row.budget:
            continue
        already = row.spent > row.budget
        message = (
            f"has spent {money(row.spent, currency)} of its {pi.name} budget of "
            f"{money(row.budget, currency)} after {spend.days_gone} of {spend.pi_days} days"
            if already
            else f"at the current burn will spend {money(row.forecast, currency)} by the end of "
            f"{pi.name}, {row.forecast_pct:g}% of its budget of {money(row.budget, currency)}"
        )
        findings.append(
            Finding(
                rule=RULE,
                severity=Severity.CRITICAL if already else Severity.WARNING,
                subject=f"value stream '{row.value_stream}'",
                message=message,
                data={
                    "pi": pi.name,
                    "budget": row.budget,
                    "spent": row.spent,
                    "forecast": row.forecast,
                    "forecast_pct": row.forecast_pct,
                    "currency": currency,
                },
            )
        )
    return findings
