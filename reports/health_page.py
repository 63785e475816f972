"""The nightly health report as a page: Confluence storage XHTML plus an HTML preview.

The page key (`health:<art slug>`) and title (`<ART> - ART Health`) do not
change from night to night, so publishers update one page in place.

Everything that comes from Jira or config is text, never markup: the
templates render through `reports.templating`, escaped and XML-safe.

The view model (counts, WIP rows, finding groups, item counts) is built
here in Python from the report's typed metrics; the templates only lay it out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from art.formatting import MISSING
from art.model import Finding, Page, Severity
from reports.board_sections import BOARD_RULES, health_board_context
from reports.economics_sections import ECONOMIC_RULES, economic_sections
from reports.health_json import sort_findings
from reports.health_sections import (
    LOZENGE,
    SECTION_RULES,
    Mark,
    Row,
    Table,
    board_marks,
    flow_context,
)
from reports.morning_sections import morning_context
from reports.outlook_sections import OUTLOOK_RULES, outlook_sections
from reports.team_sections import TeamView, team_views
from reports.templating import render, slugify
from reports.templating import xml_safe as xml_safe  # re-exported for existing callers
from rules.health import HealthMetrics, HealthReport
from rules.wip import BoardLoad

# Confluence status-lozenge colours: Grey, Red, Yellow, Green, Blue, Purple.
SEVERITIES_DESC = tuple(sorted(Severity, key=lambda severity: -severity.rank))


def page_key(art: str) -> str:
    return f"health:{slugify(art)}"


def page_title(art: str) -> str:
    return f"{art} - ART Health"


def health_page(
    report: HealthReport,
    charts: Mapping[str, bytes] | None = None,
    jira_url: str | None = None,
    *,
    teams: Sequence[TeamView] | None = None,
) -> Page:
    """The health page for `report`: storage XHTML for Confluence and a self-contained preview.

    `charts` (file name to PNG, from `reports.charts` and `reports.program_board`)
    become the page's attachments, shown in storage format and embedded in the
    preview; `jira_url` is the site the risks and dependencies link to; `teams` are
    the teams' sections (`team_views`; by default without pages of their own).

    The page reads top down as the morning's work: the act-today list (the
    first screen), what changed since the last run, the PI's progress and the
    trends, each team's section (folded), then the reference, long tables folded.
    """
    charts = dict(charts or {})
    context = (
        _context(report)
        | flow_context(report, charts)
        | health_board_context(report, charts, jira_url)
        | morning_context(report, charts)
        | {"teams": team_views(report) if teams is None else teams}
    )
    context["outlook_sections"] = outlook_sections(report, charts)
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
    status: str  # "over limit" | "under minimum" | "ok"
    colour: str  # lozenge colour for the status: its finding's severity's
    breach: bool
    mark: Mark | None = None  # the state's wip-limit finding: its severity and subject


@dataclass(frozen=True, slots=True)
class FindingGroup:
    rule: str
    findings: tuple[Finding, ...]
    worst: Severity

    @property
    def count(self) -> int:
        return len(self.findings)

    def table(self) -> Table:
        """The group as the page shows it: a table titled with the rule and its count."""
        rows = tuple(Row((f.subject, f.message), f.severity.value, f.url) for f in self.findings)
        return Table(f"{self.rule} ({self.count})", ("Subject", "Message"), rows, graded=True)


def severity_counts(findings: Sequence[Finding]) -> list[SeverityCount]:
    counts = []
    for severity in SEVERITIES_DESC:
        count = sum(1 for finding in findings if finding.severity is severity)
        colour = LOZENGE[severity.value] if count else "Grey"
        counts.append(SeverityCount(severity.value, count, colour))
    return counts


def kanban_states(kanban: BoardLoad, findings: Sequence[Finding] = ()) -> list[StateRow]:
    """Rows of the Program Kanban's WIP table, each state against its bounds.

    A state out of its bounds is coloured as its wip-limit finding: a warning is
    yellow, never red. With no finding about it (suppressed, say) it is grey.
    """
    marks = board_marks(findings, kanban.level)
    rows = []
    for state in kanban.states:
        mark = marks.get((None, state.name))
        if state.over_limit:
            status = "over limit"
        elif state.under_minimum:
            status = "under minimum"
        else:
            status = "ok"
        breach = state.over_limit or state.under_minimum
        unjudged = "Grey" if breach else "Green"
        colour = LOZENGE[mark.severity] if mark is not None else unjudged
        rows.append(
            StateRow(
                name=state.name,
                count=str(state.count),
                wip_limit=_bound(state.wip_limit),
                wip_min=_bound(state.wip_min),
                status=status,
                colour=colour,
                breach=breach,
                mark=mark if breach else None,
            )
        )
    return rows


def _bound(value: int | None) -> str:
    return MISSING if value is None else str(value)


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


def items_line(metrics: HealthMetrics) -> str:
    """What the check read, for the page's foot: 'Read 700 items from Jira (epic 8, feature
    60, story 632); 2 records could not be read (see Data quality).'"""
    items = metrics.items
    levels = ", ".join(f"{level} {n:,}" for level, n in sorted(items.by_level.items()))
    line = f"Read {items.total:,} items from Jira" + (f" ({levels})" if levels else "")
    if items.rejected:
        line += f"; {items.rejected:,} records could not be read (see Data quality)"
    return line + "."


def _context(report: HealthReport) -> dict[str, Any]:
    findings = tuple(report.findings)
    return {
        "art": report.art,
        "title": page_title(report.art),
        "pi": report.pi,
        "as_of": report.as_of.isoformat(),
        "total": len(findings),
        "counts": severity_counts(findings),
        "states": kanban_states(report.metrics.kanban, findings),
        "kanban_level": report.metrics.kanban.level,
        "groups": [
            group.table()
            for group in finding_groups(
                [
                    f
                    for f in findings
                    if f.rule not in SECTION_RULES | ECONOMIC_RULES | BOARD_RULES | OUTLOOK_RULES
                ]
            )
        ],
        "economic_sections": economic_sections(report),
        "items_line": items_line(report.metrics),
        "lozenge_colour": LOZENGE,
    }
