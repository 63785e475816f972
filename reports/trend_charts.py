"""The morning read's small trend charts, from `metrics.trends` (see `rules.trends`).

- `trend-findings.png`: critical and warning findings, blocked and aging items, night by night;
- `trend-wip.png`: the Program Kanban's WIP per state, and the stories finished each night.

Drawn like `reports.charts` (Agg canvas, no timestamp: the same trends give the
same bytes), but lower. Nights replayed from the histories (a backfill) lie on
a grey band, so a reader knows which points no night's run measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reports.charts import _date_ticks, _figure, _plain, _png
from rules.health import HealthReport
from rules.trends import Trends

FINDINGS_CHART = "trend-findings.png"
WIP_CHART = "trend-wip.png"
TREND_CHARTS = {
    FINDINGS_CHART: "Findings, blocked and aging items per night",
    WIP_CHART: "Program Kanban WIP per state, and stories finished per night",
}
_HEIGHT = 2.8
_FINDING_LINES = (
    ("findings.critical", "critical findings", "#de350b", "-"),
    ("findings.warning", "warning findings", "#ff991f", "-"),
    ("blocked", "blocked items", "#6554c0", "--"),
    ("aging", "aging items", "#0065ff", ":"),
)
_WIP_COLOURS = ("#0052cc", "#00b8d9", "#36b37e", "#6554c0", "#ff991f", "#ff5630", "#8993a4")


def trend_charts(report: HealthReport) -> dict[str, bytes]:
    """The trend charts of the report's morning read; none with fewer than two nights."""
    if report.morning is None or len(report.morning.trends.nights) < 2:
        return {}
    trends = report.morning.trends
    order = [state.name for state in report.metrics.kanban.states]
    return {FINDINGS_CHART: findings_chart(trends), WIP_CHART: wip_chart(trends, order)}


def findings_chart(trends: Trends) -> bytes:
    figure, axes = _small_figure(trends)
    x = list(range(len(trends.nights)))
    for name, label, colour, style in _FINDING_LINES:
        values = trends.series.get(name)
        if values is not None:
            axes.plot(x, _points(values), label=label, color=colour, linestyle=style, lw=1.6)
    axes.set_title("Findings, blocked and aging items per night", loc="left", fontsize=10)
    return _finished(figure, axes, trends)


def wip_chart(trends: Trends, order: Sequence[str] = ()) -> bytes:
    """The WIP lines in board `order` (states it does not name after them, by name)."""
    figure, axes = _small_figure(trends)
    x = list(range(len(trends.nights)))
    rank = {f"wip.{state}": index for index, state in enumerate(order)}
    states = sorted(
        (name for name in trends.series if name.startswith("wip.")),
        key=lambda name: (rank.get(name, len(rank)), name),
    )
    for index, name in enumerate(states):
        colour = _WIP_COLOURS[index % len(_WIP_COLOURS)]
        label = _plain(name.removeprefix("wip."))
        axes.plot(x, _points(trends.series[name]), label=label, color=colour, lw=1.4)
    finished = [name for name in trends.series if name.startswith("throughput.")]
    if finished:  # the level that finishes most (the teams'); features finish a few a PI
        name = max(finished, key=lambda level: sum(v or 0 for v in trends.series[level]))
        level = _plain(name.removeprefix("throughput."))
        axes.bar(x, _points(trends.series[name]), color="#c1c7d0", label=f"{level} items finished")
    axes.set_title("WIP per state, and items finished per night", loc="left", fontsize=10)
    return _finished(figure, axes, trends)


def _small_figure(trends: Trends) -> tuple[Any, Any]:
    figure, axes = _figure()
    figure.set_size_inches(figure.get_size_inches()[0], _HEIGHT)
    replayed = set(trends.replayed)
    for index, night in enumerate(trends.nights):
        if night in replayed:
            axes.axvspan(index - 0.5, index + 0.5, color="#f4f5f7", lw=0, zorder=0)
    return figure, axes


def _finished(figure: Any, axes: Any, trends: Trends) -> bytes:
    _date_ticks(axes, trends.nights)
    axes.set_xlim(-0.5, len(trends.nights) - 0.5)
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#dfe1e6", zorder=1)
    axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=7)
    return _png(figure)


def _points(values: Sequence[int | None]) -> list[float]:
    """Values to draw: a night without the series is a gap (NaN), not a zero."""
    return [float("nan") if value is None else float(value) for value in values]
