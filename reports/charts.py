"""The health page's pictures, drawn from the report's metrics as PNG bytes.

- `cumulative-flow.png`: the Program Kanban's cumulative flow diagram over
  the current PI (items per state at each day's end, Done at the bottom);
- `wip-by-state.png`: the Program Kanban's WIP per state against its limit,
  a state's bar in its wip-limit finding's severity colour;
- `aging-wip-<level>.png`: each item in progress by state and age, with the
  lines of the 50th, 85th (or the configured) and 95th percentile of the
  level's cycle times, named in a legend beside the plot.

matplotlib is imported inside the functions (it costs about 0.4 s), so the
CLI, which imports this package's neighbours, stays quick. Figures are built
with the object API and drawn by the Agg canvas: no pyplot, no global
state, no GUI. The PNG carries no timestamp and no software tag, so an
unchanged report gives byte-identical files and the publishers rewrite
nothing. Text from Jira (state names) is drawn literally: a '$' would
otherwise start matplotlib's math mode.

Each function returns None when there is nothing to draw (no days, no
states, no items in progress).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from art.model import Finding, Severity
from reports.health_sections import board_marks
from rules.aging import Aging, pooled_label
from rules.cumulative_flow import CumulativeFlow
from rules.health import HealthMetrics
from rules.wip import StateLoad

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CFD = "cumulative-flow.png"
WIP = "wip-by-state.png"
AGING = "aging-wip-{level}.png"
_STATE_COLOURS = (
    "#c1c7d0",
    "#b3d4ff",
    "#79e2f2",
    "#0065ff",
    "#00b8d9",
    "#6554c0",
    "#ff991f",
    "#36b37e",
    "#ffc400",
    "#ff5630",
)
_WIP_COLOUR = "#0052cc"
# A severity's colour in a chart: the page's badge colours, bright enough to read as bars.
SEVERITY_COLOURS = {
    Severity.CRITICAL: "#de350b",
    Severity.WARNING: "#ff991f",
    Severity.INFO: "#4c9aff",
}
_PERCENTILE_LINES = {50.0: ("#36b37e", ":"), 95.0: ("#de350b", "--")}  # others: orange, solid
_WIDTH, _HEIGHT, _DPI = 9.0, 4.2, 100


def health_charts(metrics: HealthMetrics, findings: Iterable[Finding] = ()) -> dict[str, bytes]:
    """Every chart the metrics hold data for, by file name, in a stable order; `findings`
    colour the Program Kanban's states as their wip-limit findings."""
    flow = metrics.flow
    kanban = metrics.kanban
    severities = {  # the Program Kanban's marks, as its table colours them
        state: Severity(mark.severity)
        for (team, state), mark in board_marks(findings, kanban.level).items()
        if team is None
    }
    charts: dict[str, bytes | None] = {
        CFD: cumulative_flow_chart(flow.cumulative_flow),
        WIP: wip_chart(kanban.states, severities),
    }
    for level, aging in flow.aging.items():
        charts[AGING.format(level=level)] = aging_chart(aging, _states_of(metrics, level))
    from reports.outlook_charts import outlook_charts  # it draws with this module's helpers

    charts.update(outlook_charts(metrics))
    return {name: data for name, data in charts.items() if data is not None}


def _states_of(metrics: HealthMetrics, level: str) -> list[str]:
    """The state order of `level`'s board: the Program Kanban's or the teams'."""
    if metrics.kanban.level == level:
        return [state.name for state in metrics.kanban.states]
    if metrics.flow.team_boards.level == level:
        return list(metrics.flow.team_boards.states)
    return []


def cumulative_flow_chart(cfd: CumulativeFlow) -> bytes | None:
    """Stacked areas of items per state by day; None without days or states."""
    days, states = cfd.days, cfd.states
    if not days or not states:
        return None
    series = [[float(count) for count in cfd.counts[state]] for state in states]
    figure, axes = _figure()
    x = list(range(len(days)))
    # Done at the bottom, the first state on top: arrivals form the upper edge.
    order = list(reversed(range(len(states))))
    axes.stackplot(
        x,
        [series[i] for i in order],
        labels=[plain_text(states[i]) for i in order],
        colors=[_STATE_COLOURS[i % len(_STATE_COLOURS)] for i in order],
        linewidth=0.3,
        edgecolor="white",
    )
    _date_ticks(axes, days)
    axes.set_ylabel("items")
    axes.set_title(plain_text(f"Cumulative flow, {cfd.level}"), loc="left")
    axes.set_xlim(0, max(len(days) - 1, 1))
    handles, labels = axes.get_legend_handles_labels()
    axes.legend(
        handles[::-1],
        labels[::-1],
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
        fontsize=8,
    )
    return figure_png(figure)


def wip_chart(
    states: Sequence[StateLoad], severities: Mapping[str, Severity] | None = None
) -> bytes | None:
    """Bars of WIP per state, the limit as a black tick; None without states."""
    figure = wip_figure(states, severities)
    return None if figure is None else figure_png(figure)


def wip_figure(
    states: Sequence[StateLoad], severities: Mapping[str, Severity] | None = None
) -> Figure | None:
    """The WIP chart's figure. A state's bar has the colour of its wip-limit finding's
    severity (`severities`, by state name), as on the page: a warning is orange, never red.
    """
    rows = list(states)
    if not rows:
        return None
    judged = severities or {}
    figure, axes = _figure()
    names = [plain_text(row.name) for row in rows]
    counts = [float(row.count) for row in rows]
    limits = [None if row.wip_limit is None else float(row.wip_limit) for row in rows]
    colours = [
        SEVERITY_COLOURS[judged[row.name]] if row.name in judged else _WIP_COLOUR for row in rows
    ]
    x = list(range(len(rows)))
    axes.bar(x, counts, color=colours, width=0.6, zorder=2)
    limited = [(i, limit) for i, limit in enumerate(limits) if limit is not None]
    if limited:
        axes.scatter(
            [i for i, _ in limited],
            [limit for _, limit in limited],
            marker="_",
            s=900,
            linewidths=2.5,
            color="black",
            zorder=3,
            label="WIP limit",
        )
        axes.legend(loc="upper right", frameon=False)
    for i, count in enumerate(counts):
        axes.annotate(
            f"{count:g}",
            (i, count),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
    axes.set_xticks(x, names, rotation=20, ha="right", fontsize=8)
    axes.set_ylabel("items")
    axes.set_title("WIP by state against its limit", loc="left")
    axes.grid(axis="y", color="#dfe1e6", zorder=1)
    return figure


def aging_chart(aging: Aging, states: Sequence[str]) -> bytes | None:
    """Ages of the items in progress by state, with the percentile lines; None without items."""
    figure = aging_figure(aging, states)
    return None if figure is None else figure_png(figure)


def aging_figure(aging: Aging, states: Sequence[str]) -> Figure | None:
    """The aging chart's figure. The percentile lines are named in a legend beside the
    plot, not beside the lines: two percentiles a day apart (or equal) would print their
    labels over each other."""
    items = aging.wip
    if not items:
        return None
    shown = [s for s in states if any(item.state == s for item in items)]
    shown += sorted({item.state for item in items} - set(shown))
    figure, axes = _figure()
    for index, state in enumerate(shown):
        ages = sorted(
            (item.rounded_age_days for item in items if item.state == state), reverse=True
        )
        spread = [index + (rank % 7 - 3) * 0.06 for rank in range(len(ages))]
        axes.scatter(spread, ages, s=18, color="#0052cc", alpha=0.75, zorder=3)
    level = aging.level
    reference = aging.reference_percentiles().get(pooled_label(level))
    configured = float(aging.percentile)
    for p in sorted({50.0, configured, 95.0}):
        value = reference.at(p) if reference else None
        if value is None:
            continue
        colour, style = _PERCENTILE_LINES.get(p, ("#ff991f", "-"))
        axes.axhline(
            value,
            color=colour,
            linestyle=style,
            linewidth=1.2,
            zorder=2,
            label=f"{p:g}th percentile: {value:.1f} d",
        )
    axes.set_xticks(
        range(len(shown)), [plain_text(s) for s in shown], rotation=20, ha="right", fontsize=8
    )
    axes.set_xlim(-0.5, len(shown) - 0.5)
    axes.set_ylim(bottom=0)
    axes.set_ylabel("age in days")
    axes.set_title(plain_text(f"Aging work in progress, {level}"), loc="left")
    axes.grid(axis="y", color="#dfe1e6", zorder=1)
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=8)
    return figure


# --------------------------------------------------------------------------
# Drawing


def _figure(height: float = _HEIGHT) -> tuple[Figure, Any]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(_WIDTH, height), dpi=_DPI)
    axes = figure.subplots()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def figure_png(figure: Figure, *, tight: bool = True) -> bytes:
    """The figure as PNG bytes; `tight` fits the margins to what is drawn, at the price of
    drawing it once more (a figure that sets its own margins passes False)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if tight:
        figure.tight_layout()
    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()


def _date_ticks(axes: Any, days: Sequence[date]) -> None:
    step = max(1, len(days) // 8)
    ticks = list(range(0, len(days), step))
    axes.set_xticks(ticks, [days[i].strftime("%d %b") for i in ticks], fontsize=8)


# --------------------------------------------------------------------------
# Text


def plain_text(text: str) -> str:
    """Text as matplotlib should draw it: a '$' would otherwise start mathtext."""
    return text.replace("$", r"\$")
