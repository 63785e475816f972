"""The morning read's trend charts, from `metrics.trends` (see `rules.trends`), as small
multiples: one small panel a series, side by side, each titled with its latest value.

- `trend-findings.png`: critical findings, warning findings, blocked items, aging items;
- `trend-wip.png`: the Program Kanban's WIP in each state (on one shared scale, so the
  panels compare), then the items finished each night.

Drawn like `reports.charts` (Agg canvas, no timestamp: the same trends give the
same bytes). Nights replayed from the histories (a backfill) lie on a grey band,
so a reader knows which points no night's run measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from math import ceil
from typing import Any

from reports.charts import figure_png, plain_text
from rules.health import HealthReport
from rules.trends import Trends

FINDINGS_CHART = "trend-findings.png"
WIP_CHART = "trend-wip.png"
TREND_CHARTS = {
    FINDINGS_CHART: "Findings, blocked and aging items per night",
    WIP_CHART: "Program Kanban WIP per state, and items finished per night",
}
_WIDTH, _PANEL_HEIGHT, _DPI = 12.4, 1.75, 100
_COLUMNS = 4
_FINDING_PANELS = (
    ("findings.critical", "critical findings", "#de350b"),
    ("findings.warning", "warning findings", "#ff991f"),
    ("blocked", "blocked items", "#6554c0"),
    ("aging", "aging items", "#0065ff"),
)
_WIP_COLOUR, _FINISHED_COLOUR = "#0052cc", "#8993a4"


def trend_charts(report: HealthReport) -> dict[str, bytes]:
    """The trend charts of the report's morning read; none with fewer than two nights."""
    if report.morning is None or len(report.morning.trends.nights) < 2:
        return {}
    trends = report.morning.trends
    order = [state.name for state in report.metrics.kanban.states]
    return {FINDINGS_CHART: findings_chart(trends), WIP_CHART: wip_chart(trends, order)}


def findings_chart(trends: Trends) -> bytes:
    """A panel each for critical and warning findings, blocked and aging items."""
    panels = [
        (label, colour, trends.series[name], False)
        for name, label, colour in _FINDING_PANELS
        if name in trends.series
    ]
    return _small_multiples(trends, panels, shared=False)


def wip_chart(trends: Trends, order: Sequence[str] = ()) -> bytes:
    """A panel per WIP state in board `order` (states it does not name after them, by name),
    on one scale; then the items finished each night at the level that finishes most (the
    teams'; features finish a few a PI)."""
    rank = {f"wip.{state}": index for index, state in enumerate(order)}
    states = sorted(
        (name for name in trends.series if name.startswith("wip.")),
        key=lambda name: (rank.get(name, len(rank)), name),
    )
    panels = [
        (f"WIP {plain_text(name.removeprefix('wip.'))}", _WIP_COLOUR, trends.series[name], False)
        for name in states
    ]
    finished = [name for name in trends.series if name.startswith("throughput.")]
    if finished:
        name = max(finished, key=lambda level: sum(v or 0 for v in trends.series[level]))
        level = plain_text(name.removeprefix("throughput."))
        panels.append((f"{level} items finished", _FINISHED_COLOUR, trends.series[name], True))
    return _small_multiples(trends, panels, shared=True)


Panel = tuple[str, str, Sequence[int | None], bool]  # title, colour, values, drawn as bars


def _small_multiples(trends: Trends, panels: Sequence[Panel], *, shared: bool) -> bytes:
    """Panels in rows of four; with `shared`, the line panels share one y scale."""
    from matplotlib.figure import Figure

    rows = max(1, ceil(len(panels) / _COLUMNS))
    figure = Figure(figsize=(_WIDTH, _PANEL_HEIGHT * rows), dpi=_DPI)
    grid = figure.subplots(rows, _COLUMNS, squeeze=False)
    lines = [values for _, _, values, bars in panels if not bars]
    top = max((v for values in lines for v in values if v is not None), default=0)
    for index, axes in enumerate(grid.flat):
        if index >= len(panels):
            axes.set_visible(False)
            continue
        title, colour, values, bars = panels[index]
        _panel(axes, trends, title, colour, values, bars)
        if shared and not bars:
            axes.set_ylim(0, max(top, 1) * 1.15)
    _fixed_margins(figure, rows)
    return figure_png(figure, tight=False)


def _fixed_margins(figure: Any, rows: int) -> None:
    """Margins in inches, as every panel holds the same short title and small ticks:
    measuring them (tight_layout) drew the whole figure once more, most of its cost."""
    height = _PANEL_HEIGHT * rows
    title, ticks, gap = 0.3, 0.3, 0.45  # above each panel, below the last row, between rows
    figure.subplots_adjust(
        left=0.45 / _WIDTH,
        right=1 - 0.3 / _WIDTH,  # room for the last tick label, centred on the edge
        top=1 - title / height,
        bottom=ticks / height,
        wspace=0.22,
        hspace=(title + gap) / (_PANEL_HEIGHT - title - gap / 2) if rows > 1 else 0,
    )


def _panel(
    axes: Any, trends: Trends, title: str, colour: str, values: Sequence[int | None], bars: bool
) -> None:
    nights = trends.nights
    x = list(range(len(nights)))
    for first, last in replayed_runs(trends):
        axes.axvspan(first - 0.5, last + 0.5, color="#f4f5f7", lw=0, zorder=0)
    points = _points(values)
    if bars:
        axes.bar(x, points, color=colour, width=0.8, zorder=2)
    else:
        axes.plot(x, points, color=colour, lw=1.6, zorder=3)
        axes.fill_between(x, points, color=colour, alpha=0.12, lw=0, zorder=2)
    latest = next((v for v in reversed(values) if v is not None), None)
    shown = "" if latest is None else f": {latest}"
    axes.set_title(f"{title}{shown}", loc="left", fontsize=9)
    axes.set_xlim(-0.5, len(nights) - 0.5)
    axes.set_ylim(bottom=0)
    axes.set_xticks([0, len(nights) - 1], [_day(nights[0]), _day(nights[-1])], fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.grid(axis="y", color="#dfe1e6", zorder=1)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def replayed_runs(trends: Trends) -> list[tuple[int, int]]:
    """The replayed nights as runs of neighbouring indexes (first, last): one grey band a
    run, not one a night, so a backfilled month is one shape to draw per panel."""
    replayed = set(trends.replayed)
    runs: list[tuple[int, int]] = []
    for index, night in enumerate(trends.nights):
        if night not in replayed:
            continue
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _day(night: date) -> str:
    return night.strftime("%d %b")


def _points(values: Sequence[int | None]) -> list[float]:
    """Values to draw: a night without the series is a gap (NaN), not a zero."""
    return [float("nan") if value is None else float(value) for value in values]
