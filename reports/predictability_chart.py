"""The predictability chart of the ART page: each team and the train, PI by PI.

A PNG made with matplotlib's object API (no pyplot, so no global state and no
GUI backend), attached to the page. The bytes depend only on the figures: no
timestamp or software tag is written, so an unchanged history makes an
identical file and the publisher uploads nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from reports.charts import figure_png, plain_text
from rules.objectives import PiObjectives

FILENAME = "predictability.png"
_BAND_COLOUR = "#e3fcef"
_TEAM_COLOURS = (
    "#0052cc",
    "#00a3bf",
    "#36b37e",
    "#ffab00",
    "#ff5630",
    "#6554c0",
    "#97a0af",
    "#172b4d",
    "#79e2f2",
    "#c0b6f2",
)


def predictability_chart(
    history: Sequence[PiObjectives], *, band_low: float, band_high: float
) -> bytes | None:
    """A grouped bar chart of the scored PIs in `history`; None when none is scored yet."""
    scored = [summary for summary in history if summary.figure.percent is not None]
    if not scored:
        return None
    from matplotlib.figure import Figure  # loaded only when a chart is drawn

    teams = [team.team for team in scored[-1].teams]
    figure = Figure(figsize=(9, 4.2), dpi=100)
    axes = figure.subplots()
    axes.axhspan(
        band_low, band_high, color=_BAND_COLOUR, zorder=0, label=f"band {band_low:g}-{band_high:g}%"
    )
    width = 0.8 / max(len(teams), 1)
    for index, team in enumerate(teams):
        values = [_team_percent(summary, team) for summary in scored]
        positions = [pi + (index - (len(teams) - 1) / 2) * width for pi in range(len(scored))]
        axes.bar(
            positions,
            values,
            width=width * 0.95,
            zorder=2,
            label=plain_text(team),
            color=_TEAM_COLOURS[index % len(_TEAM_COLOURS)],
        )
    art = [summary.figure.percent or 0.0 for summary in scored]
    axes.plot(range(len(scored)), art, "D-", color="black", zorder=3, label="ART")
    axes.set_xticks(range(len(scored)), [plain_text(summary.pi) for summary in scored])
    axes.set_ylabel("business value achieved / planned (%)")
    axes.set_ylim(0, max([band_high * 1.2, *art, *_all_team_percents(scored)]) + 5)
    axes.grid(axis="y", color="#dfe1e6", zorder=1)
    axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    return figure_png(figure)


def _team_percent(summary: PiObjectives, team: str) -> float:
    figure = next((t.figure for t in summary.teams if t.team == team), None)
    return (figure.percent or 0.0) if figure is not None else 0.0


def _all_team_percents(scored: Sequence[PiObjectives]) -> list[float]:
    return [team.figure.percent or 0.0 for summary in scored for team in summary.teams]
