"""Each team's part of the health report: its findings, its board and its flow metrics.

The health page has a section per team (folded: one summary line each until
opened), and with `confluence.team_pages` each team also gets a page of its
own under the ART's page, holding that team's findings only. A finding is a
team's when its item is the team's (`item.team`), or when it names the team
(a team board's WIP finding carries `data.team`; capacity findings have the
team as their subject). Findings of no team (the Program Kanban's, the
ART's budget) stay on the ART's page.

Page keys are stable: `health:<art slug>:team:<team slug>`, so each night
updates the same pages. Everything here is text; the templates escape it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from art.model import Finding, Page
from reports.health_json import sort_findings
from reports.health_sections import (
    FLOW_HEADERS,
    LOZENGE,
    Row,
    Table,
    _flow_row,
    team_board_tables,
)
from reports.templating import render, slugify
from rules.flow_metrics import FlowMetrics
from rules.health import HealthReport

FINDING_HEADERS = ("Subject", "Rule", "Finding")


@dataclass(frozen=True, slots=True)
class TeamView:
    """One team's section: a line that sums it up, then its tables."""

    name: str
    counts: tuple[tuple[str, int], ...]  # (severity, findings), worst first
    line: str  # its board's breaches and what it finished, in words
    findings: Table
    boards: tuple[Table, ...]
    flow: Table | None
    page_title: str | None  # its own page, when team pages are on

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def summary(self) -> str:
        """'3 critical, 6 warning; In Progress 7 / 5 over; 57 story items finished in ...'."""
        counts = ", ".join(f"{count} {severity}" for severity, count in self.counts if count)
        return f"{counts or 'no findings'}; {self.line}"


def team_key_prefix(art_key: str) -> str:
    """The keys of the team pages under the ART page `art_key` start with this."""
    return f"{art_key}:team:"


def team_key(art_key: str, team: str) -> str:
    return f"{team_key_prefix(art_key)}{slugify(team)}"


def team_title(art: str, team: str) -> str:
    return f"{art} - Team {team} - Health"


def report_teams(report: HealthReport) -> tuple[str, ...]:
    """The ART's teams in config order: those of the team boards, then any other team
    with flow metrics."""
    flow = report.metrics.flow
    teams = dict.fromkeys(flow.team_boards.teams)
    teams.update(dict.fromkeys(s.scope for s in flow.flow_metrics.scopes if s.scope != "ART"))
    return tuple(teams)


def team_of(finding: Finding, known: Collection[str]) -> str | None:
    """The team (of `known`) a finding is about, or None when it is the ART's."""
    if finding.item is not None and finding.item.team in known:
        return finding.item.team
    named = finding.data.get("team")
    if isinstance(named, str) and named in known:
        return named
    return finding.subject if finding.subject in known else None


def findings_by_team(findings: Iterable[Finding], teams: Sequence[str]) -> dict[str, list[Finding]]:
    """Each team's findings, worst first (every team present, maybe with none)."""
    mine: dict[str, list[Finding]] = {team: [] for team in teams}
    known = set(teams)
    for finding in sort_findings(findings):
        team = team_of(finding, known)
        if team is not None:
            mine[team].append(finding)
    return mine


def team_views(report: HealthReport, *, pages: bool = False) -> list[TeamView]:
    """A view per team of the report, in config order."""
    teams = report_teams(report)
    by_team = findings_by_team(report.findings, teams)
    return [_view(report, team, by_team[team], pages) for team in teams]


def _view(report: HealthReport, team: str, findings: Sequence[Finding], pages: bool) -> TeamView:
    flow = report.metrics.flow
    counts = tuple(
        (severity, sum(1 for f in findings if f.severity.value == severity))
        for severity in ("critical", "warning", "info")
    )
    boards = tuple(
        replace(board, title=f"Board ({flow.team_boards.level} WIP / limit)")
        for board in team_board_tables(flow.team_boards, report.findings, teams=(team,))
    )
    rows = tuple(Row((f.subject, f.rule, f.message), f.severity.value, f.url) for f in findings)
    return TeamView(
        name=team,
        counts=counts,
        line=_line(report, team),
        findings=Table(f"Findings ({len(rows)})", FINDING_HEADERS, rows, graded=True),
        boards=boards,
        flow=_flow_table(flow.flow_metrics, team),
        page_title=team_title(report.art, team) if pages else None,
    )


def _line(report: HealthReport, team: str) -> str:
    """'In Progress 7 / 5 over; 57 story items finished in PI 2026.4 to date'."""
    parts = []
    loads = report.metrics.flow.team_boards.teams.get(team, ())
    over = [f"{s.name} {s.count} / {s.wip_limit} over" for s in loads if s.over_limit]
    parts.append(", ".join(over) if over else "within its WIP limits")
    flow = report.metrics.flow.flow_metrics
    scope = next((s for s in flow.scopes if s.scope == team), None)
    if scope is not None and flow.periods:
        period = flow.periods[0].name
        finished = scope.by_period[period].velocity.items
        parts.append(f"{finished} {scope.level} items finished in {period}")
    return "; ".join(parts)


def _flow_table(flow: FlowMetrics, team: str) -> Table | None:
    scopes = [scope for scope in flow.scopes if scope.scope == team]
    if not scopes or not flow.periods:
        return None
    rows = tuple(
        _flow_row(scope, scope.by_period[period.name], first=period.name)
        for scope in scopes
        for period in flow.periods
    )
    return Table("Flow metrics", ("Period", *FLOW_HEADERS), rows)


def team_pages(
    report: HealthReport, art_key: str, art_title: str, views: Sequence[TeamView]
) -> list[Page]:
    """A page per team under the ART's page (`art_key`, titled `art_title`), each with the
    team's findings only: the `views` the health page showed (`team_views(pages=True)`)."""
    pages = []
    keys: set[str] = set()
    for view in views:
        key = team_key(art_key, view.name)
        while key in keys:  # two team names with one slug: the later one numbered
            key += "-2"
        keys.add(key)
        context: dict[str, Any] = {
            "title": team_title(report.art, view.name),
            "art": report.art,
            "art_title": art_title,
            "pi": report.pi,
            "as_of": report.as_of.isoformat(),
            "team": view,
            "lozenge_colour": LOZENGE,
        }
        pages.append(
            Page(
                key=key,
                title=team_title(report.art, view.name),
                storage=render("team.storage.xml.j2", "storage", context),
                preview_html=render("team.preview.html.j2", "preview", context),
                parent_key=art_key,
            )
        )
    return pages
