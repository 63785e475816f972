"""The health page's economic sections: estimate roll-up, budget guardrails, PI readiness.

Each section holds the table of its rule's report and the findings of its
rules, laid out by the same section templates as the flow sections
(`reports.health_sections`); `rte rollup`, `rte budget` and `rte readiness`
print the same tables. A report with nothing to show (no parents to roll up,
no PI to plan) has no section.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TypeVar

from art.formatting import MISSING, money, number
from art.model import Finding
from reports.health_json import sort_findings
from reports.health_sections import Row, Section, Table, figure
from rules.budget import GuardrailReport
from rules.capacity_allocation import AllocationRow
from rules.epic_approval import EpicCost
from rules.health import HealthReport
from rules.readiness import FeatureReadiness, ReadinessReport
from rules.rollup import RollupReport, RollupRow
from rules.spend import SpendRow

# The rules shown here, so the generic findings list leaves them out.
ROLLUP_RULES = ("rollup-variance", "unestimated")
GUARDRAIL_RULES = ("capacity-allocation", "budget", "epic-approval")
READINESS_RULES = ("readiness",)
ECONOMIC_RULES = frozenset(ROLLUP_RULES + GUARDRAIL_RULES + READINESS_RULES)

T = TypeVar("T")
Column = tuple[str, Callable[[T], str]]  # a header, and how a row shows in it


def economic_sections(report: HealthReport) -> list[Section]:
    """The sections this report has data for, in reading order."""
    economics = report.metrics.economics
    built = (
        rollup_section(economics.rollup, report.findings),
        guardrail_section(economics.guardrails, report.findings),
        readiness_section(economics.readiness, report.findings),
    )
    return [section for section in built if section is not None]


ROLLUP_COLUMNS: tuple[Column[RollupRow], ...] = (
    ("Item", lambda row: _text(row.key)),
    ("Level", lambda row: _text(row.level)),
    ("Summary", lambda row: _text(row.summary)),
    ("Status", lambda row: _text(row.status)),
    ("Own estimate", figure(lambda row: number(row.estimate))),
    ("Stories' total", figure(lambda row: number(row.total))),
    ("Done", figure(lambda row: number(row.done))),
    ("Remaining", figure(lambda row: number(row.remaining))),
    ("Done %", figure(lambda row: _percent(row.percent_complete))),
    ("Variance", figure(lambda row: number(row.variance_pct, "+g", " %"))),
    ("Unestimated", figure(lambda row: str(len(row.unestimated) or MISSING))),
    ("Forecast", figure(lambda row: number(row.forecast))),
)


def rollup_section(rollup: RollupReport, findings: Sequence[Finding]) -> Section | None:
    if not rollup.rows:
        return None
    table = _table("Story points by parent", rollup.rows, ROLLUP_COLUMNS)
    intro = (
        "Story estimates rolled up to features and epics against each parent's own "
        "estimate; the forecast is the larger of the two at every level."
    )
    return Section("Estimate roll-up", intro, (table, *_finding_tables(findings, ROLLUP_RULES)))


ALLOCATION_COLUMNS: tuple[Column[AllocationRow], ...] = (
    ("Work type", lambda row: _text(row.work_type)),
    ("Agreed", figure(lambda row: _percent(row.target_pct))),
    ("Share of points", figure(lambda row: _percent(row.points_pct))),
    ("Points finished", figure(lambda row: number(row.completed_points))),
    ("Points planned", figure(lambda row: number(row.planned_points))),
    ("Items", figure(lambda row: _text(row.items))),
    ("Deviation", figure(lambda row: number(row.deviation_pp, "+g"))),
)


def guardrail_section(guardrails: GuardrailReport, findings: Sequence[Finding]) -> Section | None:
    in_currency = partial(money, currency=guardrails.currency)
    pi = guardrails.pi.name if guardrails.pi else MISSING
    tables = []
    if guardrails.allocation:
        tables.append(
            _table(
                f"Capacity allocation, {pi} (tolerance {number(guardrails.tolerance_pct)} points)",
                guardrails.allocation,
                ALLOCATION_COLUMNS,
            )
        )
    spend = guardrails.spend
    if spend is not None and spend.rows:
        spend_columns: tuple[Column[SpendRow], ...] = (
            ("Value stream", lambda row: _text(row.value_stream)),
            ("PI budget", figure(lambda row: in_currency(row.budget))),
            ("Spent so far", figure(lambda row: in_currency(row.spent))),
            ("Forecast at PI end", figure(lambda row: in_currency(row.forecast))),
            ("Of budget", figure(lambda row: _percent(row.forecast_pct))),
            ("Points finished", figure(lambda row: number(row.points))),
        )
        tables.append(
            _table(
                f"Spend per value stream, {pi} (day {spend.days_gone} of {spend.pi_days})",
                spend.rows,
                spend_columns,
            )
        )
    if guardrails.epics:
        epic_columns: tuple[Column[EpicCost], ...] = (
            ("Epic", lambda epic: _text(epic.key)),
            ("Summary", lambda epic: _text(epic.summary)),
            ("Status", lambda epic: _text(epic.status)),
            ("Value stream", lambda epic: _text(epic.value_stream)),
            ("Forecast points", figure(lambda epic: number(epic.forecast_points))),
            ("Forecast cost", figure(lambda epic: in_currency(epic.cost))),
            ("Approved", lambda epic: _text(epic.approved)),
        )
        threshold, price = in_currency(guardrails.epic_threshold), in_currency(guardrails.price)
        tables.append(
            _table(
                f"Epics: forecast cost at {price} a point, threshold {threshold}",
                guardrails.epics,
                epic_columns,
            )
        )
    tables += _finding_tables(findings, GUARDRAIL_RULES)
    if not tables:
        return None
    intro = (
        "Lean budget guardrails: the PI's points by work type against the agreed capacity "
        "allocation, each value stream's spend against its budget, and epics whose forecast "
        "cost needs the portfolio's approval."
    )
    return Section("Lean budget guardrails", intro, tuple(tables))


READINESS_COLUMNS: tuple[Column[FeatureReadiness], ...] = (
    ("Rank", figure(lambda row: _text(row.rank))),
    ("Feature", lambda row: _text(row.key)),
    ("Summary", lambda row: _text(row.summary)),
    ("Status", lambda row: _text(row.status)),
    ("Team", lambda row: _text(row.team)),
    ("WSJF", figure(lambda row: number(row.wsjf))),
    ("Cost of delay", figure(lambda row: number(row.cost_of_delay))),
    ("Job size", figure(lambda row: number(row.job_size))),
    ("Estimate", figure(lambda row: number(row.estimate))),
    ("Ready", lambda row: _text(row.ready)),
)


def readiness_section(readiness: ReadinessReport, findings: Sequence[Finding]) -> Section | None:
    if not readiness.features or readiness.pi is None:
        return None
    pi = readiness.pi
    table = _table(
        f"{pi.name} (starts {pi.start.isoformat()}): features by WSJF",
        readiness.features,
        READINESS_COLUMNS,
    )
    intro = (
        f"{readiness.ready} of {len(readiness.features)} features planned by "
        f"{_text(readiness.planned_by)} have an estimate, acceptance criteria, a team and a "
        "WSJF score that agrees with its parts."
    )
    tables = (table, *_finding_tables(findings, READINESS_RULES))
    return Section("PI-planning readiness", intro, tables)


# --------------------------------------------------------------------------


def _table(title: str, rows: Sequence[T], columns: Sequence[Column[T]]) -> Table:
    """A table of a report's rows: each column a header and how a row shows in it."""
    return Table(
        title,
        tuple(header for header, _ in columns),
        tuple(Row(tuple(shown(row) for _, shown in columns)) for row in rows),
    )


def _finding_tables(findings: Sequence[Finding], rules: Sequence[str]) -> list[Table]:
    tables = []
    for rule in rules:
        mine = sort_findings(f for f in findings if f.rule == rule)
        if mine:
            rows = tuple(Row((f.subject, f.message), f.severity.value, f.url) for f in mine)
            tables.append(Table(f"{rule} ({len(mine)})", ("Subject", "Details"), rows, True))
    return tables


def _text(value: object) -> str:
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _percent(value: float | None) -> str:
    return number(value, unit=" %")
