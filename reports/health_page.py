"""The nightly health report as a page: Confluence storage XHTML plus an HTML preview.

The page key (`health:<art slug>`) and title (`<ART> - ART Health`) do not
change from night to night, so publishers update one page in place.

Everything that comes from Jira or config is text, never markup: the
templates render through `reports.templating`, escaped and XML-safe.

The view model (counts, WIP rows, finding groups, extra metrics) is built
here in Python; the templates only lay it out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from art.model import Finding, Page, Severity
from reports.economics_sections import ECONOMIC_METRICS, ECONOMIC_RULES, economic_sections
from reports.health_json import sort_findings, to_plain
from reports.health_sections import RENDERED_METRICS, SECTION_RULES, flow_context
from reports.templating import render, slugify
from reports.templating import xml_safe as xml_safe  # re-exported for existing callers
from rules.health import HealthReport

# Confluence status-lozenge colours: Grey, Red, Yellow, Green, Blue, Purple.
LOZENGE_COLOUR = {Severity.CRITICAL: "Red", Severity.WARNING: "Yellow", Severity.INFO: "Blue"}
SEVERITIES_DESC = tuple(sorted(Severity, key=lambda severity: -severity.rank))

_MAX_METRIC_DEPTH = 4
MISSING = "\u2013"  # en dash: shown where a number is absent


def page_key(art: str) -> str:
    return f"health:{slugify(art)}"


def page_title(art: str) -> str:
    return f"{art} - ART Health"


def health_page(report: HealthReport, charts: Mapping[str, bytes] | None = None) -> Page:
    """The health page for `report`: storage XHTML for Confluence and a self-contained preview.

    `charts` (file name to PNG, from `reports.charts`) become the page's
    attachments, shown in storage format and embedded in the preview.
    """
    charts = dict(charts or {})
    context = _context(report) | flow_context(report, charts)
    storage = render("health.storage.xml.j2", "storage", context)
    preview = render("health.preview.html.j2", "preview", context)
    return Page(
        key=page_key(report.art),
        title=page_title(report.art),
        storage=storage,
        preview_html=preview,
        attachments=charts,
    )


# --------------------------------------------------------------------------
# View model


@dataclass(frozen=True, slots=True)
class SeverityCount:
    severity: str
    count: int
    colour: str  # Confluence lozenge colour; Grey when the count is zero

    @property
    def label(self) -> str:
        return f"{self.count} {self.severity}"


@dataclass(frozen=True, slots=True)
class StateRow:
    name: str
    count: str
    wip_limit: str
    wip_min: str
    status: str  # "over limit" | "under minimum" | "ok" | "unknown"
    colour: str  # lozenge colour for the status
    breach: bool


@dataclass(frozen=True, slots=True)
class FindingGroup:
    rule: str
    findings: tuple[Finding, ...]
    worst: Severity

    @property
    def count(self) -> int:
        return len(self.findings)


def severity_counts(findings: Sequence[Finding]) -> list[SeverityCount]:
    counts = []
    for severity in SEVERITIES_DESC:
        count = sum(1 for finding in findings if finding.severity is severity)
        colour = LOZENGE_COLOUR[severity] if count else "Grey"
        counts.append(SeverityCount(severity.value, count, colour))
    return counts


def kanban_states(metrics: Mapping[str, Any]) -> list[StateRow]:
    """Rows of the WIP table from `metrics["kanban"]["states"]`; tolerant of missing keys."""
    kanban = metrics.get("kanban")
    states = kanban.get("states") if isinstance(kanban, Mapping) else None
    if not isinstance(states, Sequence) or isinstance(states, str):
        return []
    rows = []
    for state in states:
        if not isinstance(state, Mapping):
            continue
        count, limit, minimum = state.get("count"), state.get("wip_limit"), state.get("wip_min")
        number, top, bottom = _number(count), _number(limit), _number(minimum)
        over = number is not None and top is not None and number > top
        under = number is not None and bottom is not None and number < bottom
        if over:
            status, colour = "over limit", "Red"
        elif under:
            status, colour = "under minimum", "Yellow"
        elif number is None:
            status, colour = "unknown", "Grey"
        else:
            status, colour = "ok", "Green"
        rows.append(
            StateRow(
                name=format_value(state.get("name")),
                count=format_value(count),
                wip_limit=format_value(limit),
                wip_min=format_value(minimum),
                status=status,
                colour=colour,
                breach=over or under,
            )
        )
    return rows


def finding_groups(findings: Sequence[Finding]) -> list[FindingGroup]:
    """Findings grouped by rule; groups with the worst severity first, then by rule name."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in sort_findings(findings):
        by_rule.setdefault(finding.rule, []).append(finding)
    groups = [
        FindingGroup(rule, tuple(items), max((f.severity for f in items), key=lambda s: s.rank))
        for rule, items in by_rule.items()
    ]
    return sorted(groups, key=lambda group: (-group.worst.rank, group.rule))


def other_metrics(metrics: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every metric but the WIP table, flattened to (dotted label, text) rows."""
    rows: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any, depth: int) -> None:
        if prefix == "kanban.states" or prefix in RENDERED_METRICS | ECONOMIC_METRICS:
            return
        if isinstance(value, Mapping) and value and depth < _MAX_METRIC_DEPTH:
            for key in sorted(value, key=str):
                walk(f"{prefix}.{key}" if prefix else str(key), value[key], depth + 1)
        elif prefix:
            rows.append((prefix, format_value(value)))

    walk("", metrics, 0)
    return rows


def format_value(value: Any) -> str:
    """A metric value as short text: integers plain, floats to two decimals, dates ISO."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value == value else "n/a"
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(_is_scalar(item) for item in value):
        return ", ".join(format_value(item) for item in value)
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        return json.dumps(to_plain(value), ensure_ascii=False, sort_keys=True)
    return str(value)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | date)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _context(report: HealthReport) -> dict[str, Any]:
    findings = tuple(report.findings)
    return {
        "art": report.art,
        "title": page_title(report.art),
        "pi": report.pi,
        "as_of": report.as_of.isoformat(),
        "total": len(findings),
        "counts": severity_counts(findings),
        "states": kanban_states(report.metrics),
        "groups": finding_groups(
            [f for f in findings if f.rule not in SECTION_RULES | ECONOMIC_RULES]
        ),
        "economic_sections": economic_sections(report),
        "other_metrics": other_metrics(report.metrics),
        "lozenge_colour": {severity.value: LOZENGE_COLOUR[severity] for severity in Severity},
    }
