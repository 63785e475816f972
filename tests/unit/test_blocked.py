"""Blocked work: flagged, in a blocked status, or waiting on an unresolved blocker."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from art.model import FlaggedInterval, Link, Severity, StatusCategory
from rules.blocked import blocked_days, blocked_findings
from rules.board import Board
from tests.builders import column, day, gaps, item, shuffled, walked, wandered

BOARD = Board.of(
    (
        column("To Do", category=StatusCategory.TO_DO),
        column("In Progress", "In Progress", "Blocked", category=StatusCategory.IN_PROGRESS),
        column("Done", category=StatusCategory.DONE),
    )
)
NOW = day(30)
BLOCKS = "blocks"


def run(items: list, threshold: float = 3):
    return blocked_findings(
        items,
        BOARD,
        level="story",
        now=NOW,
        threshold_days=threshold,
        blocked_statuses={"Blocked"},
        blocking_link=BLOCKS,
    )


def story(key: str, *steps: tuple[float, str], **fields: object):
    return walked(key, *steps, level="story", **fields)


def flag(start: float, end: float | None = None) -> FlaggedInterval:
    return FlaggedInterval(day(start), day(end) if end is not None else None)


def test_an_item_flagged_for_longer_than_the_limit_is_a_finding() -> None:
    flagged = story("AUR-1", (0, "To Do"), (10, "In Progress"), flagged=(flag(26),))
    [finding] = run([flagged])
    assert finding.rule == "blocked"
    assert finding.subject == "AUR-1"
    assert finding.severity is Severity.WARNING
    assert finding.data["blocked_days"] == 4
    assert finding.data["reasons"] == ["flagged"]
    assert finding.data["since"] == day(26)


def test_a_short_impediment_or_one_cleared_since_is_no_finding() -> None:
    short = story("AUR-1", (0, "To Do"), (10, "In Progress"), flagged=(flag(28),))
    cleared = story("AUR-2", (0, "To Do"), (10, "In Progress"), flagged=(flag(12, 20),))
    assert run([short, cleared]) == []


def test_time_in_a_blocked_status_counts_and_past_twice_the_limit_it_is_critical() -> None:
    blocked = story("AUR-1", (0, "To Do"), (10, "In Progress"), (22, "Blocked"))
    [finding] = run([blocked])
    assert finding.data["blocked_days"] == 8
    assert finding.data["reasons"] == ["status 'Blocked'"]
    assert finding.severity is Severity.CRITICAL


def test_overlapping_flag_and_status_are_counted_once_and_earlier_spells_add_to_the_total() -> None:
    earlier = flag(5, 8)
    both = story(
        "AUR-1", (0, "To Do"), (2, "In Progress"), (24, "Blocked"), flagged=(earlier, flag(22))
    )
    [finding] = run([both])
    assert finding.data["blocked_days"] == 8  # since the flag on day 22, the status inside it
    assert finding.data["total_blocked_days"] == 11  # plus the 3 days flagged before
    assert finding.data["reasons"] == ["flagged", "status 'Blocked'"]
    assert blocked_days(both, {"Blocked"}, NOW) == 11


def test_a_started_item_waits_for_an_unresolved_blocker_since_it_started() -> None:
    blocked = story(
        "AUR-1", (0, "To Do"), (25, "In Progress"), links=(Link(BLOCKS, False, "AUR-9"),)
    )
    blocker = item("AUR-9", "To Do", level="story", category=StatusCategory.TO_DO, created=day(1))
    [finding] = run([blocked, blocker])
    assert finding.data["blockers"] == ["AUR-9"]
    assert finding.data["reasons"] == ["blocked by AUR-9"]
    assert finding.data["blocked_days"] == 5


def test_a_resolved_blocker_an_unstarted_item_or_another_link_kind_blocks_nothing() -> None:
    done = item("AUR-9", "Done", level="story", category=StatusCategory.DONE)
    waiting = item("AUR-8", "To Do", level="story", category=StatusCategory.TO_DO)
    items = [
        story("AUR-1", (0, "To Do"), (5, "In Progress"), links=(Link(BLOCKS, False, "AUR-9"),)),
        story("AUR-2", (0, "To Do"), links=(Link(BLOCKS, False, "AUR-8"),)),
        story(
            "AUR-3", (0, "To Do"), (5, "In Progress"), links=(Link("relates to", False, "AUR-8"),)
        ),
        story("AUR-4", (0, "To Do"), (5, "In Progress"), links=(Link(BLOCKS, True, "AUR-8"),)),
        done,
        waiting,
    ]
    assert run(items) == []


def test_a_finished_item_is_not_blocked_any_more() -> None:
    old = story("AUR-1", (0, "To Do"), (3, "Blocked"), (9, "Done"), flagged=(flag(2),))
    assert run([old]) == []


@given(
    st.lists(st.tuples(st.floats(0, 40), st.floats(0, 10)), max_size=5),
    gaps(["In Progress", "Blocked"], max_gap=3.5, max_size=8),
)
def test_the_current_spell_never_exceeds_the_total_nor_the_total_the_items_life(
    flags: list[tuple[float, float]], steps: list[tuple[float, str]]
) -> None:
    intervals = tuple(flag(start, start + length) for start, length in flags)
    subject = wandered("AUR-1", "To Do", steps, level="story", flagged=intervals)
    total = blocked_days(subject, {"Blocked"}, NOW)
    assert 0 <= total <= 30 + 1e-9
    for finding in run([subject], threshold=0):
        assert finding.data["blocked_days"] <= finding.data["total_blocked_days"] + 0.01


def test_blocked_time_is_the_same_for_a_history_out_of_order_or_created_blocked() -> None:
    moved = story("AUR-1", (0, "To Do"), (10, "Blocked"), (15, "In Progress"), (24, "Blocked"))
    [finding] = run([shuffled(moved, 5)])
    assert (finding.data["blocked_days"], finding.data["total_blocked_days"]) == (6, 11)
    [created] = run([story("AUR-2", (20, "Blocked"))])
    assert created.data["blocked_days"] == 10
