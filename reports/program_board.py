"""The program board as a picture: `program-board.png` (and `program-board-next.png`).

Drawn as the board looks on the wall at PI Planning: a column per
iteration of the PI (the IP iteration marked) and one for what is not
planned in it, a row of milestones, a row per team, the features as blue
cards (other items a string ends at as yellow ones, done ones faded and
ticked), and
an arrow from each blocker to the item that waits on it (from the side
facing it): red when the
blocker comes too late or not at all, grey when the plan works, dotted
when a sprint is off the cadence and it cannot be judged.

Text from Jira is drawn as text, never interpreted: matplotlib's math mode
is off for every label, control characters and line breaks become spaces,
characters the font has no glyph for become '?', and long titles are cut,
so a hostile summary can neither break the picture nor spill over it.
Figures are built with the object API and the Agg canvas, as in
`reports.charts`: no pyplot, no global state, and the same board gives the
same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from art.formatting import MISSING
from reports.charts import figure_png
from rules.program_board import UNPLANNED, Card, ProgramBoard, ProgramBoards

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CURRENT = "program-board.png"
NEXT = "program-board-next.png"

_DPI = 100
_LABEL_W, _COLUMN_W = 1.5, 2.5  # inches
_HEADER_H, _CARD_H, _ROW_PAD, _MILESTONE_H = 0.55, 0.36, 0.14, 0.3
_MAX_CARDS = 12  # per cell; the rest are counted on one card
_TITLE_H, _LEGEND_H = 0.5, 0.45
_LOOP_ROOM = 0.4  # right of the last column, for a string between two of its cards
_RED, _FINE, _UNJUDGED = "#de350b", "#6b778c", "#97a0af"
_FEATURE = ("#deebff", "#0052cc")  # fill, edge
_OTHER = ("#fffae6", "#ff991f")
_MILESTONE = ("#ffe2bd", "#ff8b00")
_GRID = "#dfe1e6"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def program_board_pictures(boards: ProgramBoards) -> dict[str, bytes]:
    """The current PI's board and, when there is one, the next PI's, by file name."""
    pictures = {}
    if boards.current is not None:
        pictures[CURRENT] = program_board_png(boards.current)
    if boards.next is not None:
        pictures[NEXT] = program_board_png(boards.next)
    return pictures


@lru_cache(maxsize=4)
def program_board_png(board: ProgramBoard) -> bytes:
    """One PI's board as PNG bytes; drawn once a process (the health page and the ART's
    objectives page show the same board, and drawing one takes most of a second)."""
    from matplotlib.figure import Figure

    layout = _Layout.of(board)
    figure = Figure(figsize=(layout.width, layout.height), dpi=_DPI)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_xlim(0, layout.width)
    axes.set_ylim(layout.height, 0)  # y grows downwards, as a board is read
    axes.set_axis_off()
    _draw_grid(axes, board, layout)
    _draw_milestones(axes, board, layout)
    anchors = _draw_cards(axes, board, layout)
    _draw_strings(axes, board, anchors)
    _draw_title_and_legend(axes, board, layout)
    return figure_png(figure, tight=False)  # its cards are placed in inches


# --------------------------------------------------------------------------
# Layout


@dataclass(frozen=True)
class _Layout:
    width: float
    height: float
    milestones_top: float
    rows_top: dict[str, float]  # team -> top of its row
    columns: tuple[str, ...]

    @classmethod
    def of(cls, board: ProgramBoard) -> _Layout:
        columns = board.columns
        per_cell = {(cell.team, cell.column): len(cell.cards) for cell in board.cells}
        milestone_rows = max(
            [
                sum(1 for m in board.milestones if it.start <= m.start <= it.end)
                for it in board.iterations
            ]
            + [1]
        )
        top = _TITLE_H + _HEADER_H
        rows_top = {}
        y = top + milestone_rows * _MILESTONE_H + _ROW_PAD
        for team in board.teams:
            cards = max([min(per_cell.get((team, c), 0), _MAX_CARDS + 1) for c in columns] + [1])
            rows_top[team] = y
            y += cards * _CARD_H + _ROW_PAD
        width = _LABEL_W + _COLUMN_W * len(columns) + _LOOP_ROOM
        return cls(width, y + _LEGEND_H, top, rows_top, columns)

    def column_x(self, column: str) -> float:
        return _LABEL_W + _COLUMN_W * self.columns.index(column)


# --------------------------------------------------------------------------
# Drawing


def _draw_grid(axes: Axes, board: ProgramBoard, layout: _Layout) -> None:
    from matplotlib.patches import Rectangle

    bottom = layout.height - _LEGEND_H
    right = layout.width - _LOOP_ROOM
    for index, iteration in enumerate(board.iterations):
        x = layout.column_x(iteration.name)
        label = f"Iteration {iteration.number}{' (IP)' if iteration.is_ip else ''}"
        dates = f"{iteration.start:%d %b} {MISSING} {iteration.end:%d %b}"
        if index % 2:
            axes.add_patch(
                Rectangle((x, _TITLE_H), _COLUMN_W, bottom - _TITLE_H, color="#fafbfc", zorder=0)
            )
        _text(axes, x + _COLUMN_W / 2, _TITLE_H + 0.2, label, size=9, weight="bold", ha="center")
        _text(
            axes, x + _COLUMN_W / 2, _TITLE_H + 0.4, dates, size=7.5, ha="center", colour="#5e6c84"
        )
    x = layout.column_x(UNPLANNED)
    axes.add_patch(
        Rectangle((x, _TITLE_H), _COLUMN_W, bottom - _TITLE_H, color="#f4f5f7", zorder=0)
    )
    _text(axes, x + _COLUMN_W / 2, _TITLE_H + 0.2, UNPLANNED, size=9, weight="bold", ha="center")
    _text(
        axes,
        x + _COLUMN_W / 2,
        _TITLE_H + 0.4,
        "not in this PI",
        size=7.5,
        ha="center",
        colour="#5e6c84",
    )
    _text(
        axes, 0.1, layout.milestones_top + _MILESTONE_H / 2, "Milestones", size=8.5, weight="bold"
    )
    for team in board.teams:
        top = layout.rows_top[team]
        axes.plot([0, right], [top, top], color=_GRID, linewidth=0.8, zorder=1)
        _text(
            axes, 0.1, top + _CARD_H / 2 + _ROW_PAD / 2, drawable(team, 18), size=9, weight="bold"
        )
    axes.plot([0, right], [bottom, bottom], color=_GRID, linewidth=0.8, zorder=1)
    for column in layout.columns:
        x = layout.column_x(column)
        axes.plot([x, x], [_TITLE_H, bottom], color=_GRID, linewidth=0.8, zorder=1)


def _draw_milestones(axes: Axes, board: ProgramBoard, layout: _Layout) -> None:
    for iteration in board.iterations:
        x = layout.column_x(iteration.name)
        found = [m for m in board.milestones if iteration.start <= m.start <= iteration.end]
        for row, milestone in enumerate(found):
            days = f"{milestone.start:%d %b}" + (
                f"{MISSING}{milestone.end:%d %b}" if milestone.end != milestone.start else ""
            )
            y = layout.milestones_top + row * _MILESTONE_H
            box = _box(axes, x, y, _MILESTONE_H, _MILESTONE)
            label = drawable(milestone.name, 22) + _iteration_of(milestone.title)
            _text(axes, x + 0.12, y + _MILESTONE_H / 2, f"{label}  {days}", size=7.5, within=box)


@dataclass(frozen=True)
class _Anchor:
    """Where a card sits: a string leaves or reaches it at the side facing the other end."""

    left: float
    right: float
    y: float


def _draw_cards(axes: Axes, board: ProgramBoard, layout: _Layout) -> dict[str, _Anchor]:
    """Every card in its cell; returns where each card's strings attach."""
    anchors: dict[str, _Anchor] = {}
    for cell in board.cells:
        x = layout.column_x(cell.column)
        top = layout.rows_top[cell.team] + _ROW_PAD / 2
        shown = cell.cards[:_MAX_CARDS]
        for index, card in enumerate(shown):
            y = top + index * _CARD_H
            colours = _FEATURE if card.level == board.level else _OTHER
            box = _box(axes, x, y, _CARD_H, colours, faded=card.done)
            _text(
                axes, x + 0.12, y + _CARD_H / 2, _card_text(card, cell.column), size=7, within=box
            )
            anchors[card.key] = _Anchor(x + 0.07, x + _COLUMN_W - 0.07, y + _CARD_H / 2)
        if len(cell.cards) > _MAX_CARDS:
            y = top + _MAX_CARDS * _CARD_H
            _text(axes, x + 0.12, y + _CARD_H / 2, f"+ {len(cell.cards) - _MAX_CARDS} more", size=7)
            for card in cell.cards[_MAX_CARDS:]:
                anchors[card.key] = _Anchor(x + 0.07, x + _COLUMN_W - 0.07, y + _CARD_H / 2)
    return anchors


def _draw_strings(axes: Axes, board: ProgramBoard, anchors: dict[str, _Anchor]) -> None:
    for string in sorted(board.strings, key=lambda s: (s.red, s.blocker, s.blocked)):
        blocker, blocked = anchors.get(string.blocker), anchors.get(string.blocked)
        if blocker is None or blocked is None:
            continue
        if blocker.right <= blocked.left:  # the blocker's column comes first
            start, end, bend = (blocker.right, blocker.y), (blocked.left, blocked.y), 0.12
        elif blocked.right <= blocker.left:
            start, end, bend = (blocker.left, blocker.y), (blocked.right, blocked.y), 0.12
        else:  # one column: a loop out to its right, no wider than the room there
            start, end = (blocker.right, blocker.y), (blocked.right, blocked.y)
            size = min(0.6, 0.6 / max(abs(blocked.y - blocker.y), 0.01))
            bend = -size if blocked.y > blocker.y else size  # bulging right, up or down
        colour, width, style = (
            (_RED, 2.2, "-")
            if string.red
            else (_UNJUDGED, 1.2, ":")
            if string.problem
            else (_FINE, 1.2, "-")
        )
        axes.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "linewidth": width,
                "linestyle": style,
                "shrinkA": 4,
                "shrinkB": 4,
                "connectionstyle": f"arc3,rad={bend}",
                "mutation_scale": 12,
            },
            zorder=5 if string.red else 2,  # plain strings pass behind the cards, red ones over
            annotation_clip=False,
        )


def _draw_title_and_legend(axes: Axes, board: ProgramBoard, layout: _Layout) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    red = len(board.violations)
    strings = len(board.strings)
    summary = f"{strings} dependenc{'y' if strings == 1 else 'ies'} between teams, {red} red"
    _text(
        axes, 0.1, _TITLE_H / 2, f"Program board: {drawable(board.pi, 40)}", size=13, weight="bold"
    )
    _text(axes, layout.width - 0.1, _TITLE_H / 2, summary, size=9, ha="right", colour="#5e6c84")
    handles = [
        Patch(facecolor=_FEATURE[0], edgecolor=_FEATURE[1], label=drawable(board.level, 20)),
        Patch(facecolor=_OTHER[0], edgecolor=_OTHER[1], label="other item on a string"),
        Patch(facecolor=_MILESTONE[0], edgecolor=_MILESTONE[1], label="milestone"),
        Line2D([], [], color=_RED, linewidth=2.2, label="blocker planned later, or not at all"),
        Line2D([], [], color=_FINE, linewidth=1.2, label="dependency in order"),
        Line2D(
            [], [], color=_UNJUDGED, linewidth=1.2, linestyle=":", label="sprint off the cadence"
        ),
    ]
    axes.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 0.0),
        ncols=len(handles),
        frameon=False,
        fontsize=7.5,
        handlelength=2.2,
    )


def _box(
    axes: Axes, x: float, y: float, height: float, colours: tuple[str, str], faded: bool = False
) -> tuple[float, float, float, float]:
    """A card (or milestone) in the column at `x`; returns its extent, to clip its text to."""
    from matplotlib.patches import FancyBboxPatch

    axes.add_patch(
        FancyBboxPatch(
            (x + 0.07, y + 0.04),
            _COLUMN_W - 0.14,
            height - 0.08,
            boxstyle="round,pad=0,rounding_size=0.05",
            facecolor=colours[0],
            edgecolor=colours[1],
            linewidth=0.8,
            alpha=0.45 if faded else 1.0,
            zorder=3,
        )
    )
    return (x + 0.07, y + 0.04, x + _COLUMN_W - 0.07, y + height - 0.04)


def _text(
    axes: Axes,
    x: float,
    y: float,
    text: str,
    *,
    size: float,
    weight: str = "normal",
    ha: str = "left",
    colour: str = "#172b4d",
    within: tuple[float, float, float, float] | None = None,
) -> None:
    label = axes.text(
        x,
        y,
        text,
        fontsize=size,
        fontweight=weight,
        ha=ha,
        va="center",
        color=colour,
        parse_math=False,  # a '$' in a title is a dollar sign
        usetex=False,
        zorder=4,
        clip_on=within is not None,
    )
    if within is not None:  # a run of wide letters ends at the card's edge
        from matplotlib.transforms import Bbox, TransformedBbox

        label.set_clip_box(TransformedBbox(Bbox.from_extents(*within), axes.transData))


def _card_text(card: Card, column: str) -> str:
    """'AUR-12  Title…'; ticked when done; where it is planned when that is another PI."""
    elsewhere = column == UNPLANNED and card.planned is not None
    where = (
        f"[{drawable(card.planned or '', 30).replace(' Iteration ', ' It. ')}] "
        if elsewhere
        else ""
    )
    tick = "✓ " if card.done else ""
    return f"{tick}{card.key}  " + drawable(where + card.summary, 30)


def _iteration_of(title: str) -> str:
    """' It. 2' for a per-iteration event ('System Demo: PI 2026.4 Iteration 2'), else ''."""
    found = re.search(r" Iteration (\d+)$", title)
    return f" It. {found.group(1)}" if found else ""


# --------------------------------------------------------------------------
# Text and bytes


def drawable(text: str, limit: int) -> str:
    """`text` as one line of glyphs the font has, at most `limit` characters."""
    line = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", text)).split())
    glyphs = _glyphs()
    line = "".join(char if ord(char) in glyphs else "?" for char in line)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


@cache
def _glyphs() -> frozenset[int]:
    """The code points the default font (DejaVu Sans) can draw."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return frozenset(FT2Font(path).get_charmap())
