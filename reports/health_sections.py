"""The flow sections of the health page: view models the templates only lay out.

After the summary and the Program Kanban WIP come the teams' boards, one
section per flow rule (aging WIP, blocked, stale, dependencies, data
quality: a table each, worst first within the rule's own order) and the
flow metrics tables, with the charts where they belong. Every value is read
tolerantly from the report (a missing or odd metric becomes a dash, never an
exception) and turned into text here; the templates escape it.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from art.model import Finding
from reports.tolerant import MISSING, as_list, as_number, get_path
from rules.health import HealthReport

_CHART_TITLES = {
    "cumulative-flow": "Cumulative flow diagram",
    "wip-by-state": "WIP by state against its limit",
    "aging-wip": "Aging WIP",
}

# The metrics rendered here, so the generic "other metrics" table skips them.
RENDERED_METRICS = frozenset(
    {"team_boards", "aging_wip", "flow_metrics", "cumulative_flow", "data_quality"}
)


@dataclass(frozen=True, slots=True)
class Chart:
    filename: str
    alt: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[str, ...]
    severity: str | None = None  # a lozenge/badge before the cells


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    graded: bool = False  # rows open with a severity column


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


def _data(key: str) -> Callable[[Finding], Any]:
    return lambda finding: finding.data.get(key)


def _subject(finding: Finding) -> str:
    return finding.subject


def _message(finding: Finding) -> str:
    return finding.message


def _most(key: str) -> Callable[[Finding], Any]:
    """Order by a number, largest first, then by subject."""
    return lambda finding: (-(as_number(finding.data.get(key)) or 0.0), finding.subject)


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
    ),
    _RuleView(
        "dependency",
        "Dependencies",
        "Cross-team blockers planned after the work they block, or not planned at all.",
        (
            ("Dependency", _subject),
            ("Blocker's sprint", _data("blocker_sprint")),
            ("Needed in", _data("blocked_sprint")),
            ("Problem", _message),
        ),
        _worst,
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
    metrics = report.metrics
    pictures = {name: Chart(name, _alt(name), png) for name, png in sorted(charts.items())}
    return {
        "headline": headline(metrics),
        "wip_charts": [chart for name, chart in pictures.items() if name.startswith("wip-")],
        "team_boards": team_board_tables(metrics.get("team_boards")),
        "rule_sections": rule_sections(report.findings, pictures),
        "flow_section": flow_section(metrics.get("flow_metrics"), pictures),
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
            Row(tuple(_text(get(finding)) for _, get in view.columns), finding.severity.value)
            for finding in mine
        )
        headers = tuple(header for header, _ in view.columns)
        table = Table(f"{view.rule} ({len(mine)})", headers, rows, graded=True)
        sections.append(Section(view.title, view.intro, (table,) if rows else (), shown))
    return sections


def team_board_tables(boards: Any) -> list[Table]:
    """Teams down, board states across, each cell 'count / limit': one table for the
    teams on the shared columns, one for each set of columns teams have of their own."""
    teams = get_path(boards, "teams")
    if not isinstance(teams, Mapping) or not teams:
        return []
    shared = tuple(str(state) for state in as_list(get_path(boards, "states")))
    own = get_path(boards, "own_boards")
    own = own if isinstance(own, Mapping) else {}
    groups: dict[tuple[str, ...], list[str]] = {}
    for team in teams:
        states = own.get(team)
        groups.setdefault(tuple(map(str, as_list(states))) if states else shared, []).append(team)
    level = get_path(boards, "level") or "team"
    tables = []
    for states, members in sorted(groups.items(), key=lambda group: group[0] != shared):
        rows = [Row((str(team), *_loads(teams[team], states))) for team in members]
        title = (
            f"Team boards ({level} WIP / limit)"
            if states == shared
            else f"{', '.join(map(str, members))}: own board ({level} WIP / limit)"
        )
        tables.append(Table(title, ("Team", *states), tuple(rows)))
    return tables


def _loads(loads: Any, states: Sequence[str]) -> list[str]:
    by_state = {get_path(load, "name"): load for load in as_list(loads)}
    cells = []
    for state in states:
        load = by_state.get(state)
        count, limit = get_path(load, "count"), get_path(load, "wip_limit")
        over = as_number(count) is not None and as_number(limit) is not None and count > limit
        cells.append(f"{_text(count)} / {_text(limit)}" + (" over" if over else ""))
    return cells


def flow_section(flow: Any, charts: Mapping[str, Chart]) -> Section | None:
    """Velocity, time, load, efficiency and distribution per scope and period, then flow time."""
    scopes = [scope for scope in as_list(get_path(flow, "scopes")) if isinstance(scope, Mapping)]
    periods = [get_path(p, "name") for p in as_list(get_path(flow, "periods"))]
    if not scopes or not periods:
        return None
    headers = (
        "Scope",
        "Level",
        "Finished",
        "Points",
        "Flow time p50 / p85 / p95 (days)",
        "Efficiency",
        "WIP at end",
        "Distribution",
    )
    tables = []
    for period in periods:
        rows = []
        for scope in scopes:
            values = get_path(scope, "by_period", period)
            if not isinstance(values, Mapping):
                continue
            time_all = get_path(values, "time", "all")
            rows.append(
                Row(
                    (
                        _text(scope.get("scope")),
                        _text(scope.get("level")),
                        _text(get_path(values, "velocity", "items")),
                        _text(get_path(values, "velocity", "points")),
                        " / ".join(_text(get_path(time_all, k)) for k in ("p50", "p85", "p95")),
                        _percent(get_path(values, "efficiency", "ratio")),
                        _text(get_path(values, "load", "total")),
                        _distribution(get_path(values, "distribution")),
                    )
                )
            )
        tables.append(Table(f"{_text(period)}", headers, tuple(rows)))
    tables.append(flow_time_table(scopes, str(periods[0])))
    cfd = tuple(chart for name, chart in charts.items() if name.startswith("cumulative-flow"))
    intro = (
        "SAFe flow metrics of the items finished in each period: velocity, flow time, "
        "efficiency (time not waiting) and distribution by work type; load is the WIP at "
        "the period's end."
    )
    return Section("Flow metrics", intro, tuple(tables), cfd)


def flow_time_table(scopes: Sequence[Mapping[str, Any]], period: str) -> Table:
    rows = []
    for scope in scopes:
        times = get_path(scope, "by_period", period, "time")
        for issue_type, summary in times.items() if isinstance(times, Mapping) else ():
            if issue_type == "all" or not get_path(summary, "count"):
                continue
            rows.append(
                Row(
                    (
                        _text(scope.get("scope")),
                        _text(issue_type),
                        _text(get_path(summary, "count")),
                        *(_text(get_path(summary, k)) for k in ("p50", "p85", "p95")),
                    )
                )
            )
    headers = ("Scope", "Type", "Finished", "Median (days)", "85th (days)", "95th (days)")
    return Table(f"Flow time by type, {period}", headers, tuple(rows))


def headline(metrics: Mapping[str, Any]) -> str:
    """One sentence of flow for the summary: what the ART finished this PI, how fast."""
    flow = metrics.get("flow_metrics")
    periods = as_list(get_path(flow, "periods"))
    period = get_path(periods[0], "name") if periods else None
    parts = []
    for scope in as_list(get_path(flow, "scopes")):
        if get_path(scope, "scope") != "ART":
            continue
        values = get_path(scope, "by_period", period)
        finished = get_path(values, "velocity", "items")
        if as_number(finished) is None:
            continue
        text = f"{_text(finished)} {_text(get_path(scope, 'level'))} items finished"
        p85 = get_path(values, "time", "all", "p85")
        if as_number(p85) is not None:
            text += f" (85 % within {_text(p85)} days)"
        ratio = get_path(values, "efficiency", "ratio")
        if as_number(ratio) is not None:
            text += f", flow efficiency {_percent(ratio)}"
        parts.append(text)
    return f"{_text(period)}: " + "; ".join(parts) + "." if parts else ""


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


def _distribution(value: Any) -> str:
    if not isinstance(value, Mapping) or not value:
        return MISSING
    return ", ".join(f"{name} {_text(get_path(v, 'count'))}" for name, v in value.items())


def _percent(value: Any) -> str:
    number = as_number(value)
    return MISSING if number is None else f"{number * 100:.0f} %"


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
