"""The health page's economic sections: estimate roll-up, budget guardrails, PI readiness.

Each section holds the table of its metric and the findings of its rules,
laid out by the same section templates as the flow sections
(`reports.health_sections`). Values are read tolerantly: a report without
these metrics simply has no such section.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from art.model import Finding
from reports.health_json import sort_findings
from reports.health_sections import Row, Section, Table
from reports.tolerant import MISSING, as_list, as_number, get_path
from rules.health import HealthReport

# The metrics and rules shown here, so the generic tables leave them out.
ECONOMIC_METRICS = frozenset({"rollup", "guardrails", "readiness"})
ROLLUP_RULES = ("rollup-variance", "unestimated")
GUARDRAIL_RULES = ("capacity-allocation", "budget", "epic-approval")
READINESS_RULES = ("readiness",)
ECONOMIC_RULES = frozenset(ROLLUP_RULES + GUARDRAIL_RULES + READINESS_RULES)


def economic_sections(report: HealthReport) -> list[Section]:
    """The sections this report has data for, in reading order."""
    metrics = report.metrics
    built = (
        rollup_section(metrics.get("rollup"), report.findings),
        guardrail_section(metrics.get("guardrails"), report.findings),
        readiness_section(metrics.get("readiness"), report.findings),
    )
    return [section for section in built if section is not None]


def rollup_section(rollup: Any, findings: Sequence[Finding]) -> Section | None:
    rows = [row for row in as_list(get_path(rollup, "rows")) if isinstance(row, Mapping)]
    if not rows:
        return None
    table = _table(
        "Story points by parent",
        rows,
        (
            ("Item", "key", _text),
            ("Level", "level", _text),
            ("Summary", "summary", _text),
            ("Status", "status", _text),
            ("Own estimate", "estimate", _points),
            ("Stories' total", "total", _points),
            ("Done", "done", _points),
            ("Remaining", "remaining", _points),
            ("Done %", "percent_complete", _percent),
            ("Variance", "variance_pct", _signed_percent),
            ("Unestimated", "unestimated", _count),
            ("Forecast", "forecast", _points),
        ),
    )
    intro = (
        "Story estimates rolled up to features and epics against each parent's own "
        "estimate; the forecast is the larger of the two at every level."
    )
    return Section("Estimate roll-up", intro, (table, *_finding_tables(findings, ROLLUP_RULES)))


def guardrail_section(guardrails: Any, findings: Sequence[Finding]) -> Section | None:
    if not isinstance(guardrails, Mapping):
        return None
    currency = _text(guardrails.get("currency"))
    money = partial(_money, currency=currency)
    pi = _text(guardrails.get("pi"))
    tables = []
    allocation = as_list(get_path(guardrails, "allocation", "rows"))
    if allocation:
        tables.append(
            _table(
                f"Capacity allocation, {pi} (tolerance "
                f"{_points(get_path(guardrails, 'allocation', 'tolerance_pp'))} points)",
                allocation,
                (
                    ("Work type", "work_type", _text),
                    ("Agreed", "target_pct", _percent),
                    ("Share of points", "points_pct", _percent),
                    ("Points finished", "completed_points", _points),
                    ("Points planned", "planned_points", _points),
                    ("Items", "items", _text),
                    ("Deviation", "deviation_pp", _signed),
                ),
            )
        )
    spend = get_path(guardrails, "spend")
    if as_list(get_path(spend, "rows")):
        tables.append(
            _table(
                f"Spend per value stream, {pi} (day {_text(get_path(spend, 'days_gone'))} "
                f"of {_text(get_path(spend, 'pi_days'))})",
                as_list(get_path(spend, "rows")),
                (
                    ("Value stream", "value_stream", _text),
                    ("PI budget", "budget", money),
                    ("Spent so far", "spent", money),
                    ("Forecast at PI end", "forecast", money),
                    ("Of budget", "forecast_pct", _percent),
                    ("Points finished", "points", _points),
                ),
            )
        )
    epics = as_list(get_path(guardrails, "epics", "rows"))
    if epics:
        threshold = _money(get_path(guardrails, "epics", "threshold"), currency)
        price = _money(get_path(guardrails, "epics", "cost_per_point"), currency)
        tables.append(
            _table(
                f"Epics: forecast cost at {price} a point, threshold {threshold}",
                epics,
                (
                    ("Epic", "key", _text),
                    ("Summary", "summary", _text),
                    ("Status", "status", _text),
                    ("Value stream", "value_stream", _text),
                    ("Forecast points", "forecast_points", _points),
                    ("Forecast cost", "cost", money),
                    ("Approved", "approved", _text),
                ),
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


def readiness_section(readiness: Any, findings: Sequence[Finding]) -> Section | None:
    ranking = as_list(get_path(readiness, "ranking"))
    if not ranking:
        return None
    pi = _text(get_path(readiness, "pi"))
    table = _table(
        f"{pi} (starts {_text(get_path(readiness, 'starts'))}): features by WSJF",
        ranking,
        (
            ("Rank", "rank", _text),
            ("Feature", "key", _text),
            ("Summary", "summary", _text),
            ("Status", "status", _text),
            ("Team", "team", _text),
            ("WSJF", "wsjf", _points),
            ("Cost of delay", "cost_of_delay", _points),
            ("Job size", "job_size", _points),
            ("Estimate", "estimate", _points),
            ("Ready", "ready", _text),
        ),
    )
    intro = (
        f"{_text(get_path(readiness, 'ready'))} of {_text(get_path(readiness, 'features'))} "
        f"features planned by {_text(get_path(readiness, 'planned_by'))} have an estimate, "
        "acceptance criteria, a team and a WSJF score that agrees with its parts."
    )
    tables = (table, *_finding_tables(findings, READINESS_RULES))
    return Section("PI-planning readiness", intro, tables)


# --------------------------------------------------------------------------


def _table(
    title: str, rows: Sequence[Any], columns: Sequence[tuple[str, str, Callable[[Any], str]]]
) -> Table:
    """A table of metric rows: each column a header, the row's key and how to show it."""
    return Table(
        title,
        tuple(header for header, _, _ in columns),
        tuple(
            Row(tuple(shown(row.get(key)) for _, key, shown in columns))
            for row in rows
            if isinstance(row, Mapping)
        ),
    )


def _finding_tables(findings: Sequence[Finding], rules: Sequence[str]) -> list[Table]:
    tables = []
    for rule in rules:
        mine = sort_findings(f for f in findings if f.rule == rule)
        if mine:
            rows = tuple(Row((f.subject, f.message), f.severity.value) for f in mine)
            tables.append(Table(f"{rule} ({len(mine)})", ("Subject", "Details"), rows, True))
    return tables


def _text(value: Any) -> str:
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _number(value: Any, spec: str = "g", unit: str = "") -> str:
    """A number formatted by `spec` with its unit, or a dash when it is not a number."""
    number = as_number(value)
    return MISSING if number is None else f"{number:{spec}}{unit}"


def _points(value: Any) -> str:
    return _number(value)


def _percent(value: Any) -> str:
    return _number(value, unit=" %")


def _signed(value: Any) -> str:
    return _number(value, "+g")


def _signed_percent(value: Any) -> str:
    return _number(value, "+g", " %")


def _count(value: Any) -> str:
    return str(len(as_list(value)) or MISSING)


def _money(value: Any, currency: str) -> str:
    return _number(value, ",.0f", f" {currency}")
