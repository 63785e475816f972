"""The ActionableAgile flow export: its date rule, its CSV and the `rte flow-export` command."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from art.model import FlaggedInterval
from flows.cli import app
from flows.cli.common import DEMO_CONFIG
from reports.flow_csv import flow_csv
from rules.flow_export import flow_export
from tests.builders import day, flow_board, gaps, item, shuffled, walked, wandered

BOARD = flow_board()
STATES = ["Funnel", "Analyzing", "Implementing", "Validating", "Done"]
BERLIN = ZoneInfo("Europe/Berlin")


def export(items: list, zone=UTC, site: str | None = "https://aurora.atlassian.net/"):
    return flow_export(
        items,
        BOARD,
        level="feature",
        zone=zone,
        now=day(30),
        blocked_statuses={"Blocked"},
        site=site,
    )


def row_of(feature, zone=UTC) -> dict[str, str]:
    result = export([feature], zone=zone)
    return dict(zip(result.header, result.rows[0], strict=True))


def dates(row: dict[str, str]) -> list[str]:
    return [row[state] for state in STATES]


def test_the_header_is_id_link_name_the_states_in_order_then_type_team_blocked_days() -> None:
    assert export([]).header == (
        "ID",
        "Link",
        "Name",
        *STATES,
        "Type",
        "Team",
        "Blocked Days",
    )


def test_a_row_holds_the_day_each_state_was_entered_and_nothing_after_the_current_one() -> None:
    feature = replace(
        walked("AUR-7", (0, "Funnel"), (2, "Analyzing"), (5, "Implementing"), team="Atlas"),
        summary="Instant payments",
    )
    row = row_of(feature)
    assert dates(row) == ["2026-10-05", "2026-10-07", "2026-10-10", "", ""]
    assert row["ID"] == "AUR-7"
    assert row["Link"] == "https://aurora.atlassian.net/browse/AUR-7"
    assert (row["Name"], row["Type"], row["Team"]) == ("Instant payments", "Feature", "Atlas")


def test_skipped_states_are_back_filled_and_backward_moves_empty_the_later_states() -> None:
    skipped = walked("AUR-1", (0, "Funnel"), (4, "Validating"))
    assert dates(row_of(skipped)) == ["2026-10-05", "2026-10-09", "2026-10-09", "2026-10-09", ""]
    back = walked("AUR-2", (0, "Funnel"), (3, "Implementing"), (6, "Analyzing"))
    assert dates(row_of(back)) == ["2026-10-05", "2026-10-08", "", "", ""]


def test_an_item_created_in_a_later_state_entered_the_earlier_ones_when_it_was_created() -> None:
    created_late = item("AUR-1", "Implementing", created=day(2))
    assert dates(row_of(created_late)) == ["2026-10-07"] * 3 + ["", ""]


def test_dates_are_days_in_the_arts_time_zone() -> None:
    # 22:30 UTC on 10 October is already 11 October in Berlin.
    feature = walked("AUR-1", (0, "Funnel"), (5.5625, "Implementing"))
    assert row_of(feature)["Implementing"] == "2026-10-10"
    assert row_of(feature, BERLIN)["Implementing"] == "2026-10-11"


def test_blocked_days_are_whole_days_flagged_or_in_a_blocked_status() -> None:
    feature = walked(
        "AUR-1",
        (0, "Funnel"),
        (2, "Blocked"),
        (6, "Implementing"),
        flagged=(FlaggedInterval(day(5), day(9)),),
    )
    assert row_of(feature)["Blocked Days"] == "7"  # days 2-6 blocked, flagged 5-9: 7 in all


def test_items_in_a_status_on_no_state_are_named_not_lost_and_other_levels_left_out() -> None:
    items = [
        item("AUR-1", "On Hold"),
        item("AUR-3", "Parked"),
        item("AUR-4", "On Hold"),
        item("AUR-2", "Funnel", level="story"),
    ]
    result = export(items, site=None)
    assert result.rows == ()
    assert result.skipped == {"On Hold": ("AUR-1", "AUR-4"), "Parked": ("AUR-3",)}


def test_the_csv_quotes_what_needs_it_and_reads_back_exactly() -> None:
    tricky = 'Pay, "instantly"\r\nthen =SUM(A1) <b>bold</b> ä'
    result = export([replace(walked("AUR-1", (0, "Funnel")), summary=tricky)], site=None)
    text = flow_csv(result)
    assert text.startswith("ID,Link,Name,Funnel,")
    assert text.endswith("\r\n")
    [header, row] = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(header) == result.header
    assert row[2] == tricky


@given(
    st.sampled_from(STATES),
    gaps([*STATES, "On Hold"]),
    st.integers(),
    st.sampled_from([UTC, BERLIN]),
)
def test_dates_never_go_backwards_along_a_row(first, steps, seed, zone) -> None:
    feature = wandered("AUR-1", first, steps)
    result = export([shuffled(feature, seed)], zone=zone)
    if not result.rows:
        assert list(result.skipped.values()) == [("AUR-1",)]
        return
    row = dict(zip(result.header, result.rows[0], strict=True))
    filled = [value for value in dates(row) if value]
    assert filled == sorted(filled)
    assert dates(row)[: len(filled)] == filled  # no gaps: only the states after are empty
    assert row[feature.status] != ""


# --------------------------------------------------------------------------
# rte flow-export


def test_the_command_writes_the_demo_arts_features_and_then_leaves_the_file_alone(
    tmp_path: Path,
) -> None:
    out = tmp_path / "flow.csv"
    runner = CliRunner()
    result = runner.invoke(app, ["flow-export", "--config", str(DEMO_CONFIG), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert len(rows) == 39  # 40 features, one On Hold (named on stderr)
    assert "'On Hold' (1: AUR-113)" in result.output  # the status to map, and its item
    assert rows[0]["Link"].startswith("https://aurora-demo.atlassian.net/browse/AUR-")
    assert all(row["Funnel"] for row in rows)
    modified = out.stat().st_mtime_ns
    again = runner.invoke(app, ["flow-export", "--config", str(DEMO_CONFIG), "--out", str(out)])
    assert "Unchanged" in again.output
    assert out.stat().st_mtime_ns == modified


def test_the_command_exports_stories_and_refuses_a_level_without_a_board(tmp_path: Path) -> None:
    runner = CliRunner()
    stories = tmp_path / "stories.csv"
    result = runner.invoke(
        app,
        ["flow-export", "--config", str(DEMO_CONFIG), "--out", str(stories), "--level", "story"],
    )
    assert result.exit_code == 0, result.output
    header = stories.read_text(encoding="utf-8").splitlines()[0]
    assert header == "ID,Link,Name,To Do,In Progress,In Review,Done,Type,Team,Blocked Days"
    refused = runner.invoke(
        app,
        [
            "flow-export",
            "--config",
            str(DEMO_CONFIG),
            "--out",
            str(tmp_path / "x.csv"),
            "--level",
            "epic",
        ],
    )
    assert refused.exit_code == 2
    assert "--level must be one of feature, story" in refused.output
    assert not (tmp_path / "x.csv").exists()
