"""The PI outlook on the health page and in the terminal: the forecast and the next PI's load.

Two sections, laid out by the same section templates as the others
(`reports.health_sections`): the current PI's forecast (its outlook in one
sentence, each open feature's dates, each team's throughput, `forecast-late`)
and the next PI's load against capacity (the bottleneck teams in one line,
each team's load, `capacity-overload` and `capacity-tight`). `rte forecast`
and `rte readiness` print the same tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from art.formatting import MISSING, number, points
from art.model import Finding
from reports.economics_sections import Column, _finding_tables, _table, _text
from reports.health_sections import Chart, Section, figure
from reports.outlook_charts import CAPACITY, FORECAST
from rules.capacity import OVERLOAD_RULE, TIGHT_RULE, CapacityReport, FeatureLoad, TeamCapacity
from rules.forecast import HORIZON_DAYS, RULE, FeatureForecast, PiForecast, TeamPace
from rules.health import HealthReport

FORECAST_RULES = (RULE,)
CAPACITY_RULES = (OVERLOAD_RULE, TIGHT_RULE)
OUTLOOK_RULES = frozenset(FORECAST_RULES + CAPACITY_RULES)


def outlook_sections(report: HealthReport, charts: Mapping[str, bytes]) -> list[Section]:
    """The sections this report has data for: the forecast, then the next PI's load."""
    metrics = report.metrics
    built = (
        forecast_section(metrics.forecast, report.findings, charts) if metrics.forecast else None,
        capacity_section(metrics.capacity, report.findings, charts) if metrics.capacity else None,
    )
    return [section for section in built if section is not None]


# --------------------------------------------------------------------------
# The forecast


def outlook_sentence(forecast: PiForecast) -> str:
    """The PI's outlook in one sentence (or why there is none)."""
    pi = forecast.pi
    if pi is None or forecast.note:
        return f"No forecast: {forecast.note}."
    counts = forecast.done_by_end
    if not counts:
        return f"No feature is planned for {pi.name}."
    return (
        f"By the end of {pi.name} ({pi.end.isoformat()}), {counts[85]} of its "
        f"{forecast.planned} planned features are done in 85 % of {forecast.trials:,} "
        f"simulated futures ({counts[50]} in half of them, {counts[95]} in 95 %); "
        f"{forecast.done} are done already."
    )


FEATURE_COLUMNS: tuple[Column[FeatureForecast], ...] = (
    ("Rank", figure(lambda row: str(row.rank))),
    ("Feature", lambda row: _text(row.key)),
    ("Summary", lambda row: _text(row.summary)),
    ("Teams", lambda row: ", ".join(row.teams) or MISSING),
    (
        "Open stories",
        figure(lambda row: f"{row.open_stories}{' (assumed)' if row.assumed else ''}"),
    ),
    ("50 %", lambda row: _day(row.dates[50], row.forecast)),
    ("85 %", lambda row: _day(row.dates[85], row.forecast)),
    ("95 %", lambda row: _day(row.dates[95], row.forecast)),
    ("By PI end", figure(lambda row: number(_percent(row.done_by_pi_end), ".0f", " %"))),
    ("Due", lambda row: _day(row.due, False)),
    ("Details", lambda row: _text(row.note)),
)

PACE_COLUMNS: tuple[Column[TeamPace], ...] = (
    ("Team", lambda row: _text(row.team)),
    ("Stories finished", figure(lambda row: str(row.finished))),
    ("Per day", figure(lambda row: number(row.per_day))),
    ("Median stories per feature", figure(lambda row: _text(row.median_stories))),
)


def forecast_section(
    forecast: PiForecast, findings: Sequence[Finding], charts: Mapping[str, bytes]
) -> Section | None:
    pi = forecast.pi
    if pi is None:
        return None
    intro = (
        f"{outlook_sentence(forecast)} Monte Carlo forecast from each team's daily story "
        f"throughput over the last {forecast.window_days} days: a feature's work is its open "
        "stories (its team's median when it has none yet), each team works the features in "
        "rank order."
    )
    tables = []
    if forecast.features:
        tables.append(
            _table(
                f"Open features of {pi.name}, in rank order: when they are done",
                forecast.features,
                FEATURE_COLUMNS,
            )
        )
    if forecast.teams:
        tables.append(
            _table(
                f"Team throughput, the last {forecast.window_days} days",
                forecast.teams,
                PACE_COLUMNS,
            )
        )
    tables += _finding_tables(findings, FORECAST_RULES)
    pictures = _charts(charts, FORECAST, f"Forecast of the features of {pi.name}")
    return Section(f"Forecast: {pi.name}", intro, tuple(tables), pictures)


# --------------------------------------------------------------------------
# Load against capacity


def bottleneck_line(report: CapacityReport) -> str:
    """The bottleneck teams of the next PI in one line (or why there are none)."""
    pi = report.pi
    if pi is None or report.note:
        return f"Capacity: {report.note}."
    teams = report.bottlenecks
    if not teams:
        return (
            f"Bottlenecks for {pi.name}: none; no team is loaded over "
            f"{report.tight_pct:g} % of its capacity."
        )
    first, *others = teams
    named = ", ".join(
        [f"{first.team} at {_load_pct(first)} of its capacity"]
        + [f"{team.team} at {_load_pct(team)}" for team in others]
    )
    return f"Bottlenecks for {pi.name}: {named}."


CAPACITY_COLUMNS: tuple[Column[TeamCapacity], ...] = (
    ("Team", lambda row: _text(row.team)),
    ("Per iteration", figure(lambda row: points(row.per_iteration))),
    ("Iterations", figure(lambda row: str(row.iterations))),
    ("Holidays", figure(lambda row: str(len(row.holidays)))),
    ("Absences (days)", figure(lambda row: number(row.absences))),
    ("Capacity", figure(lambda row: points(row.capacity))),
    ("Load", figure(lambda row: points(row.load))),
    ("Load %", figure(lambda row: number(row.load_pct, "g", " %"))),
    ("State", lambda row: row.status),
    ("Features (points)", lambda row: _loads(row.features)),
)


def capacity_section(
    report: CapacityReport, findings: Sequence[Finding], charts: Mapping[str, bytes]
) -> Section | None:
    pi = report.pi
    if pi is None or not report.teams:
        return None
    holidays = sorted({day for team in report.teams for day, _ in team.holidays})
    named = ", ".join(day.isoformat() for day in holidays) or "none"
    intro = (
        f"{bottleneck_line(report)} The features planned for {pi.name} (by "
        f"{_text(report.planned_by)}), each estimate split between the teams of its stories, "
        "against each team's capacity per iteration for the iterations but the IP one, less "
        f"public holidays ({named}) and absences."
    )
    tables = [_table(f"Load against capacity, {pi.name}", report.teams, CAPACITY_COLUMNS)]
    if report.unassigned:
        columns: tuple[Column[FeatureLoad], ...] = (
            ("Feature", lambda row: _text(row.key)),
            ("Summary", lambda row: _text(row.summary)),
            ("Estimate", figure(lambda row: points(row.estimate))),
            ("Share", figure(lambda row: number(_percent(row.share), ".0f", " %"))),
            ("Points", figure(lambda row: points(row.points))),
        )
        tables.append(_table("Load no team of the ART carries", report.unassigned, columns))
    tables += _finding_tables(findings, CAPACITY_RULES)
    pictures = _charts(charts, CAPACITY, f"Load against capacity, {pi.name}")
    return Section(f"Load against capacity: {pi.name}", intro, tuple(tables), pictures)


# --------------------------------------------------------------------------


def _charts(charts: Mapping[str, bytes], name: str, alt: str) -> tuple[Chart, ...]:
    return (Chart(name, alt, charts[name]),) if name in charts else ()


def _day(day: date | None, forecast: bool) -> str:
    if day is not None:
        return day.isoformat()
    return f"not within {HORIZON_DAYS} days" if forecast else MISSING


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _load_pct(team: TeamCapacity) -> str:
    return number(team.load_pct, "g", " %") if team.load_pct is not None else "all"


def _loads(features: Sequence[FeatureLoad]) -> str:
    shown = [
        f"{load.key} "
        + (points(load.points) if load.estimate is not None else "unestimated")
        + (f" ({load.share:.0%})" if load.share < 1 else "")
        for load in features
    ]
    return "; ".join(shown) or MISSING
