"""program-board.png: drawn the same every time, and hostile titles stay plain text in it."""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import date

import pytest

from reports.program_board import CURRENT, NEXT, drawable, program_board_pictures, program_board_png
from rules.milestones import train_milestones
from rules.program_board import ProgramBoard, program_boards
from tests.board_builders import blocks, feature, story
from tests.config_builders import art_config

CONFIG = art_config()
HOSTILE = [
    "$\\frac{1}{0$ costs $$ and ^{x}_",  # broken mathtext, were it parsed
    "line one\nline two\r\n\x00\x1b[31mred\x7f",
    "🚀 launch 漢字 שלום\u200f",
    '<script>alert(1)</script> & ]]> <ac:structured-macro ac:name="html">',
    "A" * 5000,
]


def board_of(summaries: list[str]) -> ProgramBoard:
    items = [
        feature(f"AUR-{n}", "Atlas", labels=("pi-2026.4",)) for n in range(1, len(summaries) + 1)
    ]
    items = [replace(item, summary=text) for item, text in zip(items, summaries, strict=True)]
    items += [
        story("AUR-90", "Borealis", "Borealis 2026.4-5", blocks("AUR-91")),
        story("AUR-91", "Atlas", "Atlas 2026.4-2"),
    ]
    boards = program_boards(
        items, CONFIG, today=date(2026, 11, 20), milestones=train_milestones(CONFIG)
    )
    assert boards.current is not None
    return boards.current


def size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_same_board_gives_the_same_bytes() -> None:
    board = board_of(["Self-service overdraft", "Instant payments"])
    assert program_board_png(board) == program_board_png(board)


def test_hostile_titles_neither_break_the_picture_nor_change_its_size() -> None:
    plain = program_board_png(board_of(["x"] * len(HOSTILE)))
    hostile = program_board_png(board_of(HOSTILE))
    assert size(hostile) == size(plain)  # nothing spilled into another row or column


@pytest.mark.parametrize("text", HOSTILE)
def test_a_title_is_drawn_as_one_short_line_of_glyphs_the_font_has(text: str) -> None:
    drawn = drawable(text, 30)
    assert len(drawn) <= 30
    assert not any(ord(char) < 32 or 0x7F <= ord(char) <= 0x9F for char in drawn)
    assert "🚀" not in drawn  # no glyph in the font: a '?' instead of an empty box


def test_dollars_and_markup_are_kept_literally() -> None:
    assert drawable("costs $5 <b>now</b>", 40) == "costs $5 <b>now</b>"
    assert drawable("a\n\tb   c", 40) == "a b c"


def test_more_teams_make_a_taller_picture() -> None:
    board = board_of(["x"])
    wider = replace(board, teams=(*board.teams, "Comet", "Draco"))
    assert size(program_board_png(wider))[1] > size(program_board_png(board))[1]


def test_the_next_pis_board_is_a_picture_of_its_own() -> None:
    items = [feature("AUR-1", "Atlas", labels=("pi-2027.1",))]
    boards = program_boards(
        items, CONFIG, today=date(2026, 11, 20), milestones=train_milestones(CONFIG)
    )
    assert set(program_board_pictures(boards)) == {CURRENT, NEXT}
