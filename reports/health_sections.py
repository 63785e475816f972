"""The flow sections of the health page: view models the templates only lay out.

After the summary and the Program Kanban WIP come the teams' boards, one
section per flow rule (aging WIP, blocked, stale, data quality; the
dependencies go with the program board, `reports.board_sections`): a
table each, worst first within the rule's own order, and the
flow metrics tables, with the charts where they belong. Every value is read
from the rules' result objects and turned into text here (an absent value,
such as a percentile of no items, becomes a dash); the templates escape it.
A finding's `data` is free-form, so its cells are read by key.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from art.formatting import MISSING, ratio_percent
from art.model import Finding
from art.numbers import as_number
from rules.flow_health import TeamBoards
from rules.flow_metrics import FlowMetrics, PeriodFlow, ScopeFlow
from rules.health import HealthReport
from rules.wip import RULE as WIP_RULE
from rules.wip import StateLoad

T = TypeVar("T")

_CHART_TITLES = {
    "cumulative-flow": "Cumulative flow diagram",
    "wip-by-state": "WIP by state against its limit",
    "aging-wip": "Aging WIP",
}


@dataclass(frozen=True, slots=True)
class Chart:
    filename: str
    alt: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


class Figure(str):
    """A cell's text that is a figure (a count, days, points, a percentage, money): the
    pages right-align its column in tabular figures. Which cells are figures is said by
    the code that formats them, never guessed from the text, so text from Jira that looks
    like a number cannot change a page's markup."""

    __slots__ = ()


def figure(shown: Callable[[T], str]) -> Callable[[T], str]:
    """A column's formatter whose cells are figures."""
    return lambda row: Figure(shown(row))


@dataclass(frozen=True, slots=True)
class Mark:
    """A cell coloured as the finding about it: its severity and the finding's subject."""

    severity: str
    finding: str

    @property
    def highlight(self) -> str:
        """Confluence's highlight colour of the severity."""
        return HIGHLIGHT[self.severity]


# Confluence's status-lozenge colour of each severity, and its cell highlight colour.
LOZENGE = {"critical": "Red", "warning": "Yellow", "info": "Blue"}
HIGHLIGHT = {severity: colour.lower() for severity, colour in LOZENGE.items()}
FOLD = 8  # a table with more rows is folded (<details>, Confluence's expand macro)


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    severity: str | None = None  # a lozenge/badge before the cells
    link: str | None = None  # where the first cell (an item's key) links to
    marks: tuple[Mark | None, ...] = ()  # per cell: coloured as a finding (none: no marks)

    def mark(self, index: int) -> Mark | None:
        return self.marks[index] if index < len(self.marks) else None


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    graded: bool = False  # rows open with a severity column
    boards: bool = False  # a row a team's board (its first cell), a column a state (its header)

    @property
    def numeric(self) -> tuple[bool, ...]:
        """Per column: whether every row's cell there is a `Figure` (right-aligned)."""
        return tuple(
            bool(self.rows)
            and all(
                index < len(row.cells) and isinstance(row.cells[index], Figure) for row in self.rows
            )
            for index in range(len(self.headers))
        )

    @property
    def folded(self) -> bool:
        """Long tables are reference: folded away until a reader opens them."""
        return len(self.rows) > FOLD


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    intro: str
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True, slots=True)
class _RuleView:
    rule: str
    title: str
    intro: str
    columns: tuple[tuple[str, Callable[[Finding], Any]], ...]
    order: Callable[[Finding], Any]
    charts: tuple[str, ...] = ()  # chart file-name prefixes shown with the section
    figures: tuple[str, ...] = ()  # the headers of the columns that hold figures


def _data(key: str) -> Callable[[Finding], Any]:
    return lambda finding: finding.data.get(key)


def _subject(finding: Finding) -> str:
    return finding.subject


def _message(finding: Finding) -> str:
    return finding.message


def _most(key: str) -> Callable[[Finding], Any]:
    """Order by a number in the finding's data, largest first (none last), then by subject."""
    return lambda finding: (-_number(finding.data.get(key)), finding.subject)


def _number(value: Any) -> float:
    """A number from a finding's free-form data; 0 for anything else (booleans included)."""
    return as_number(value) or 0.0


def _worst(finding: Finding) -> Any:
    return (-finding.severity.rank, finding.subject)


RULE_VIEWS = (
    _RuleView(
        "aging-wip",
        "Aging WIP",
        "Items in progress longer than most finished items of their type took, oldest first.",
        (
            ("Item", _subject),
            ("Type", _data("type")),
            ("Team", _data("team")),
            ("State", _data("state")),
            ("Age (days)", _data("age_days")),
            ("Percentile (days)", _data("threshold_days")),
        ),
        _most("age_days"),
        charts=("aging-wip-",),
        figures=("Age (days)", "Percentile (days)"),
    ),
    _RuleView(
        "blocked",
        "Blocked work",
        "Flagged, in a blocked status, or waiting for an unresolved blocker, past the limit.",
        (
            ("Item", _subject),
            ("Team", _data("team")),
            ("State", _data("state")),
            ("Blocked for (days)", _data("blocked_days")),
            ("In all (days)", _data("total_blocked_days")),
            ("Why", _data("reasons")),
        ),
        _most("blocked_days"),
        figures=("Blocked for (days)", "In all (days)"),
    ),
    _RuleView(
        "stale",
        "Stale work",
        "Items in progress without a status change or update for too long.",
        (
            ("Item", _subject),
            ("Team", _data("team")),
            ("State", _data("state")),
            ("Idle (days)", _data("idle_days")),
        ),
        _most("idle_days"),
        figures=("Idle (days)",),
    ),
    _RuleView(
        "data-quality",
        "Data quality",
        "Records the rules could not judge.",
        (("Record", _subject), ("Problem", _data("problem")), ("Details", _message)),
        _worst,
    ),
)
SECTION_RULES = frozenset(view.rule for view in RULE_VIEWS)


def flow_context(report: HealthReport, charts: Mapping[str, bytes]) -> dict[str, Any]:
    """The template variables of the flow sections."""
    flow = report.metrics.flow
    pictures = {name: Chart(name, _alt(name), png) for name, png in sorted(charts.items())}
    return {
        "headline": headline(flow.flow_metrics),
        "wip_charts": [chart for name, chart in pictures.items() if name.startswith("wip-")],
        "team_boards": team_board_tables(flow.team_boards, report.findings),
        "rule_sections": rule_sections(report.findings, pictures),
        "flow_section": flow_section(flow.flow_metrics, pictures),
    }


def rule_sections(findings: Sequence[Finding], charts: Mapping[str, Chart]) -> list[Section]:
    """One section per flow rule that has findings (or, for aging, a chart)."""
    sections = []
    for view in RULE_VIEWS:
        mine = sorted((f for f in findings if f.rule == view.rule), key=view.order)
        shown = tuple(
            chart for name, chart in charts.items() if any(name.startswith(p) for p in view.charts)
        )
        if not mine and not shown:
            continue
        rows = tuple(
            Row(
                tuple(
                    Figure(_text(get(finding))) if header in view.figures else _text(get(finding))
                    for header, get in view.columns
                ),
                finding.severity.value,
                finding.url,
            )
            for finding in mine
        )
        headers = tuple(header for header, _ in view.columns)
        table = Table(f"{view.rule} ({len(mine)})", headers, rows, graded=True)
        sections.append(Section(view.title, view.intro, (table,) if rows else (), shown))
    return sections


def team_board_tables(
    boards: TeamBoards, findings: Sequence[Finding] = (), teams: Sequence[str] | None = None
) -> list[Table]:
    """Teams down, board states across, each cell 'count / limit': one table for the
    teams on the shared columns, one for each set of columns teams have of their own
    (`teams`: only those). A state's cell is coloured as its wip-limit finding."""
    members_of = [team for team in boards.teams if teams is None or team in teams]
    if not members_of:
        return []
    shared = boards.states
    marks = board_marks(findings, boards.level)
    groups: dict[tuple[str, ...], list[str]] = {}
    for team in members_of:
        groups.setdefault(boards.own_boards.get(team) or shared, []).append(team)
    tables = []
    for states, members in sorted(groups.items(), key=lambda group: group[0] != shared):
        rows = [
            Row(
                (team, *(Figure(_load(load)) for load in boards.teams[team])),
                marks=(None, *(marks.get((team, load.name)) for load in boards.teams[team])),
            )
            for team in members
        ]
        title = (
            f"Team boards ({boards.level} WIP / limit)"
            if states == shared
            else f"{', '.join(members)}: own board ({boards.level} WIP / limit)"
        )
        tables.append(Table(title, ("Team", *states), tuple(rows), boards=True))
    return tables


def board_marks(findings: Iterable[Finding], level: str) -> dict[tuple[str | None, str], Mark]:
    """The wip-limit findings of `level`'s boards by (team, state): None is the Program
    Kanban's. A state's count is coloured as its finding, whatever its severity."""
    return {
        (finding.data.get("team"), str(finding.data.get("state"))): Mark(
            finding.severity.value, finding.subject
        )
        for finding in findings
        if finding.rule == WIP_RULE and finding.data.get("level") == level
    }


def _load(load: StateLoad) -> str:
    """'6 / 5 over': a state's count against its limit (a team's loads follow its columns)."""
    over = " over" if load.over_limit else ""
    return f"{load.count} / {_text(load.wip_limit)}{over}"


# A scope's flow in a period (`_flow_row`), after the column naming the scope or the period.
FLOW_HEADERS = (
    "Level",
    "Finished",
    "Points",
    "Flow time p50 / p85 / p95 (days)",
    "Efficiency",
    "WIP at end",
    "Distribution",
)


def flow_section(flow: FlowMetrics, charts: Mapping[str, Chart]) -> Section | None:
    """Velocity, time, load, efficiency and distribution per scope and period, then flow time."""
    if not flow.scopes or not flow.periods:
        return None
    headers = ("Scope", *FLOW_HEADERS)
    tables = []
    for period in flow.periods:
        rows = [_flow_row(scope, scope.by_period[period.name]) for scope in flow.scopes]
        tables.append(Table(period.name, headers, tuple(rows)))
    tables.append(flow_time_table(flow.scopes, flow.periods[0].name))
    cfd = tuple(chart for name, chart in charts.items() if name.startswith("cumulative-flow"))
    intro = (
        "SAFe flow metrics of the items finished in each period: velocity, flow time, "
        "efficiency (time not waiting) and distribution by work type; load is the WIP at "
        "the period's end."
    )
    return Section("Flow metrics", intro, tuple(tables), cfd)


def _flow_row(scope: ScopeFlow, values: PeriodFlow, first: str | None = None) -> Row:
    """A scope's flow in one period; `first` replaces the scope's name in the first cell."""
    return Row(
        (
            scope.scope if first is None else first,
            scope.level,
            Figure(_text(values.velocity.items)),
            Figure(_text(values.velocity.points)),
            Figure(" / ".join(_text(values.time.at(p)) for p in (50, 85, 95))),
            Figure(ratio_percent(values.efficiency.ratio)),
            Figure(_text(values.load.total)),
            _distribution(values),
        )
    )


def flow_time_table(scopes: Sequence[ScopeFlow], period: str) -> Table:
    rows = []
    for scope in scopes:
        for issue_type, times in scope.by_period[period].time_by_type.items():
            if not times.count:
                continue
            rows.append(
                Row(
                    (
                        scope.scope,
                        issue_type,
                        Figure(_text(times.count)),
                        *(Figure(_text(times.at(p))) for p in (50, 85, 95)),
                    )
                )
            )
    headers = ("Scope", "Type", "Finished", "Median (days)", "85th (days)", "95th (days)")
    return Table(f"Flow time by type, {period}", headers, tuple(rows))


def headline(flow: FlowMetrics) -> str:
    """One sentence of flow for the summary: what the ART finished this PI, how fast."""
    if not flow.periods:
        return ""
    period = flow.periods[0].name
    parts = []
    for scope in flow.scopes:
        if scope.scope != "ART":
            continue
        values = scope.by_period[period]
        text = f"{_text(values.velocity.items)} {scope.level} items finished"
        p85 = values.time.at(85)
        if p85 is not None:
            text += f" (85 % within {_text(p85)} days)"
        if values.efficiency.ratio is not None:
            text += f", flow efficiency {ratio_percent(values.efficiency.ratio)}"
        parts.append(text)
    return f"{period}: " + "; ".join(parts) + "." if parts else ""


# --------------------------------------------------------------------------
# Text


def _alt(name: str) -> str:
    """'aging-wip-story.png' -> 'Aging WIP, story'."""
    stem = name.rsplit(".", 1)[0]
    for prefix, title in _CHART_TITLES.items():
        if stem.startswith(prefix):
            rest = stem.removeprefix(prefix).strip("-")
            return f"{title}, {rest}" if rest else title
    return stem.replace("-", " ")


def _distribution(values: PeriodFlow) -> str:
    shares = values.distribution
    return ", ".join(f"{name} {share.count}" for name, share in shares.items()) or MISSING


def _text(value: Any) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}".removesuffix(".0") if value == value else "n/a"
    if isinstance(value, list | tuple):
        return "; ".join(_text(item) for item in value) or MISSING
    return str(value)
