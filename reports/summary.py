"""The health report for the terminal: rich renderables, printed by the CLI, never here.

Jira text goes into cells through `reports.terminal.plain`: shown literally,
without terminal control characters.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table

from art.model import Finding, Severity
from reports.health_json import sort_findings
from reports.health_page import SEVERITIES_DESC, kanban_states
from reports.health_sections import flow_section
from reports.terminal import plain
from rules.health import HealthReport

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "blue",
}
_BY_SEVERITY = {severity.value: style for severity, style in SEVERITY_STYLE.items()}


def severity_table(report: HealthReport) -> Table:
    table = Table(title="Findings by severity", box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("Severity")
    table.add_column("Count", justify="right")
    for severity in SEVERITIES_DESC:
        count = sum(1 for finding in report.findings if finding.severity is severity)
        style = SEVERITY_STYLE[severity] if count else "dim"
        table.add_row(plain(severity.value, style), plain(count, style))
    return table


def rule_table(report: HealthReport) -> Table:
    """How many findings each rule raised, by severity: the night at a glance."""
    table = Table(title="Findings by rule", box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("Rule")
    for severity in SEVERITIES_DESC:
        table.add_column(severity.value, justify="right")
    counts: dict[str, dict[Severity, int]] = {}
    for finding in report.findings:
        by_severity = counts.setdefault(finding.rule, dict.fromkeys(SEVERITIES_DESC, 0))
        by_severity[finding.severity] += 1
    worst_first = sorted(counts.items(), key=lambda pair: ([-n for n in pair[1].values()], pair[0]))
    for rule, by_severity in worst_first:
        table.add_row(
            plain(rule),
            *(
                plain(n, SEVERITY_STYLE[severity] if n else "dim")
                for severity, n in by_severity.items()
            ),
        )
    return table


def wip_table(report: HealthReport) -> Table:
    table = Table(title="Program Kanban WIP", box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("State")
    table.add_column("WIP", justify="right")
    table.add_column("Limit", justify="right")
    table.add_column("Min", justify="right")
    table.add_column("Status")
    for state in kanban_states(report.metrics.kanban, report.findings):
        # a state out of bounds in its finding's colour (a warning is yellow, not red)
        if state.mark is not None:
            style = _BY_SEVERITY[state.mark.severity]
        else:
            style = "dim" if state.breach else "green"
        table.add_row(
            plain(state.name),
            plain(state.count, style if state.breach else ""),
            plain(state.wip_limit),
            plain(state.wip_min),
            plain(state.status, style),
        )
    return table


def flow_table(report: HealthReport) -> Table | None:
    """The flow metrics of the current PI to date, per scope: the page's first flow table."""
    section = flow_section(report.metrics.flow.flow_metrics, {})
    if section is None:
        return None
    first = section.tables[0]
    table = Table(title=f"Flow, {first.title}", box=box.SIMPLE_HEAVY, title_justify="left")
    for index, header in enumerate(first.headers):
        table.add_column(header, justify="left" if index < 2 or index == 7 else "right")
    for row in first.rows:
        table.add_row(*(plain(cell) for cell in row.cells))
    return table


def findings_table(findings: Sequence[Finding], *, top: int = 10) -> Table:
    """The `top` most severe findings; the caption says how many more there are."""
    ordered = sort_findings(findings)
    shown = ordered[:top] if top >= 0 else ordered
    table = Table(title="Top findings", box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("Severity", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Subject")
    table.add_column("Message")
    for finding in shown:
        table.add_row(
            plain(finding.severity.value, SEVERITY_STYLE[finding.severity]),
            plain(finding.rule),
            plain(finding.subject),
            plain(finding.message),
        )
    if len(ordered) > len(shown):
        table.caption = f"... and {len(ordered) - len(shown)} more"
    return table


def summary_table(report: HealthReport, *, top: int = 10) -> Table:
    """One printable grid: a heading, severity counts, WIP per state and the top findings."""
    heading = plain(report.art, "bold")
    heading.append(plain(f"  {report.pi}" if report.pi else ""))
    heading.append(plain(f"  as of {report.as_of.isoformat()}", "dim"))
    grid = Table.grid(padding=(1, 0))
    grid.add_column()
    grid.add_row(heading)
    grid.add_row(severity_table(report))
    if report.findings:
        grid.add_row(rule_table(report))
    grid.add_row(wip_table(report))
    flow = flow_table(report)
    if flow is not None:
        grid.add_row(flow)
    grid.add_row(findings_table(report.findings, top=top))
    return grid
