"""The PI outlook's pictures: the forecast of the PI's features, and the next PI's load.

- `forecast.png`: each open feature of the current PI in rank order, a line
  from its 50 % to its 95 % date with the 85 % date marked, against the PI's
  end (and a feature's own due date, where it has one);
- `capacity.png`: each team's load for the next PI against its capacity, the
  load coloured by its state (over capacity, over the tight share, fine).

Drawn as `reports.charts` draws (matplotlib's object API, the Agg canvas,
no timestamps in the PNG, Jira text drawn literally); None when there is
nothing to draw.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from reports.charts import _figure, figure_png, plain_text
from rules.capacity import CapacityReport
from rules.forecast import CONFIDENCES, PiForecast
from rules.health import HealthMetrics

FORECAST = "forecast.png"
CAPACITY = "capacity.png"
_MARKERS = {50: ("o", "#36b37e"), 85: ("D", "#ff991f"), 95: ("s", "#de350b")}
_STATUS_COLOURS = {"overloaded": "#de350b", "tight": "#ff991f", "ok": "#0052cc"}


def outlook_charts(metrics: HealthMetrics) -> dict[str, bytes]:
    """The outlook's charts the metrics hold data for, by file name."""
    charts = {
        FORECAST: forecast_chart(metrics.forecast) if metrics.forecast else None,
        CAPACITY: capacity_chart(metrics.capacity) if metrics.capacity else None,
    }
    return {name: data for name, data in charts.items() if data is not None}


def forecast_chart(forecast: PiForecast) -> bytes | None:
    """Each forecast feature's 50-95 % range of dates; None without one."""
    pi = forecast.pi
    shown = [feature for feature in forecast.features if feature.forecast]
    if pi is None or not shown:
        return None
    today = forecast.as_of
    figure, axes = _figure(max(2.6, 0.38 * len(shown) + 1.4))
    rows = list(range(len(shown)))[::-1]  # rank 1 on top
    latest = (pi.end - today).days
    for row, feature in zip(rows, shown, strict=True):
        days = {p: _offset(feature.dates[p], today) for p in CONFIDENCES}
        known = [day for day in days.values() if day is not None]
        if len(known) >= 2:
            axes.plot([min(known), max(known)], [row, row], color="#97a0af", linewidth=2, zorder=2)
        for p, day in days.items():
            if day is not None:
                marker, colour = _MARKERS[p]
                axes.scatter([day], [row], marker=marker, color=colour, s=28, zorder=3)
        if feature.due is not None:
            due = (feature.due - today).days
            axes.scatter([due], [row], marker="|", color="black", s=160, zorder=4)
            latest = max(latest, due)
        latest = max(latest, *known) if known else latest
    end = (pi.end - today).days
    axes.axvline(end, color="#de350b", linestyle="--", linewidth=1.2, zorder=1)
    axes.annotate(
        plain_text(f"end of {pi.name}"),
        (end, len(shown) - 0.4),
        fontsize=8,
        color="#de350b",
        ha="right",
        va="bottom",
    )
    for p, (marker, colour) in _MARKERS.items():
        axes.scatter([], [], marker=marker, color=colour, s=28, label=f"{p} %")
    if any(feature.due for feature in shown):
        axes.scatter([], [], marker="|", color="black", s=160, label="due date")
    axes.legend(loc="lower right", frameon=False, fontsize=8)
    axes.set_yticks(rows, [plain_text(f"{f.rank}. {f.key}") for f in shown], fontsize=8)
    axes.set_ylim(-0.7, len(shown) - 0.2)
    _day_ticks(axes, today, max(latest, 1))
    axes.set_title(
        plain_text(f"When the features of {pi.name} are done ({forecast.trials:,} futures)"),
        loc="left",
    )
    axes.grid(axis="x", color="#dfe1e6", zorder=0)
    return figure_png(figure)


def capacity_chart(report: CapacityReport) -> bytes | None:
    """Each team's load against its capacity; None without a team with either."""
    teams = [team for team in report.teams if team.capacity is not None or team.load]
    if report.pi is None or not teams:
        return None
    figure, axes = _figure(4.2)
    x = list(range(len(teams)))
    capacities = [team.capacity or 0.0 for team in teams]
    axes.bar(x, capacities, width=0.7, color="#dfe1e6", label="capacity", zorder=2)
    colours = [_STATUS_COLOURS.get(team.status, "#6b778c") for team in teams]
    axes.bar(x, [team.load for team in teams], width=0.4, color=colours, label="load", zorder=3)
    for i, team in enumerate(teams):
        text = f"{team.load_pct:g} %" if team.load_pct is not None else "no capacity"
        axes.annotate(
            text,
            (i, max(team.load, capacities[i])),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
    axes.set_xticks(x, [plain_text(team.team) for team in teams], fontsize=8)
    axes.set_ylim(0, max([*capacities, *(team.load for team in teams), 1.0]) * 1.2)
    axes.set_ylabel("story points")
    axes.set_title(plain_text(f"Load against capacity, {report.pi.name}"), loc="left")
    axes.legend(loc="upper left", ncol=2, frameon=False, fontsize=8)
    axes.grid(axis="y", color="#dfe1e6", zorder=0)
    return figure_png(figure)


# --------------------------------------------------------------------------


def _offset(day: date | None, today: date) -> int | None:
    return (day - today).days if day is not None else None


def _day_ticks(axes: Any, today: date, last: int) -> None:
    step = max(1, (last + 7) // 8)
    ticks = list(range(0, last + step, step))
    axes.set_xticks(
        ticks, [(today + timedelta(days=t)).strftime("%d %b") for t in ticks], fontsize=8
    )
    axes.set_xlim(-1, ticks[-1] + 1)
