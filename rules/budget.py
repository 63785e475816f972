"""Lean budget guardrails: capacity allocation, spend per value stream, epic approval.

SAFe: "Lean Budget Guardrails describe the policies and practices for
budgeting, spending, and governance for a specific portfolio", so "that
investments in technology, infrastructure, and maintenance aren't routinely
ignored, and that significant investments are approved appropriately"; the
RTE "operates within Lean Budgets and ensures adherence to the guardrails".
Three of the four guardrails can be read off Jira, one module each:
`rules.capacity_allocation` (guardrail 2), `rules.spend` (the value
streams' budgets) and `rules.epic_approval` (guardrail 3). This module runs
them as the health check and `rte budget` need them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from art.cadence import pi_at, planning_intervals
from art.config import ArtConfig
from art.model import PI, Finding
from rules.capacity_allocation import AllocationRow, allocation_findings, capacity_allocation
from rules.epic_approval import EpicCost, cost_per_point, epic_approval_findings, epic_costs
from rules.rollup import RollupReport
from rules.spend import Spend, budget_findings, spend_by_value_stream


@dataclass(frozen=True, slots=True)
class GuardrailReport:
    """The guardrails of one snapshot; `pi` is None between PIs (no allocation, no spend).

    The budget settings it was judged by travel with it, so a report shows them
    without reading `art.yaml` again.
    """

    pi: PI | None
    currency: str
    tolerance_pct: float  # how far a work type's share may stray, in percentage points
    allocation: tuple[AllocationRow, ...]
    spend: Spend | None
    price: float | None  # cost of a point
    epic_threshold: float | None
    approved_statuses: tuple[str, ...]  # the Portfolio Kanban states that mean "approved"
    epics: tuple[EpicCost, ...]
    findings: tuple[Finding, ...]


def evaluate_guardrails(rollup: RollupReport, config: ArtConfig, *, today: date) -> GuardrailReport:
    """Capacity allocation and spend for the PI running `today`; epic approval always."""
    budgets, hierarchy = config.budgets, rollup.hierarchy
    zone = ZoneInfo(config.art.timezone)
    pi = pi_at(planning_intervals(config.cadence), today)
    findings: list[Finding] = []
    allocation: list[AllocationRow] = []
    spend = None
    if pi is not None:
        allocation = capacity_allocation(hierarchy, budgets, pi, today=today, zone=zone)
        if budgets.capacity_allocation:
            findings += allocation_findings(allocation, pi=pi, tolerance_pct=budgets.tolerance_pct)
        spend = spend_by_value_stream(hierarchy, config.teams, budgets, pi, today=today, zone=zone)
        findings += budget_findings(spend, pi=pi, currency=budgets.currency)
    price = cost_per_point(budgets, config.teams)
    epics: list[EpicCost] = []
    if price is not None:
        epics = epic_costs(
            rollup.rows, hierarchy, price=price, approved_statuses=budgets.epic_approved_statuses
        )
        # Without approval states configured, no epic can show that it passed.
        if budgets.epic_threshold is not None and budgets.epic_approved_statuses:
            findings += epic_approval_findings(
                epics, threshold=budgets.epic_threshold, currency=budgets.currency
            )
    return GuardrailReport(
        pi=pi,
        currency=budgets.currency,
        tolerance_pct=budgets.tolerance_pct,
        allocation=tuple(allocation),
        spend=spend,
        price=price,
        epic_threshold=budgets.epic_threshold,
        approved_statuses=tuple(budgets.epic_approved_statuses),
        epics=tuple(epics),
        findings=tuple(findings),
    )
