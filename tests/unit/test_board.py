"""Where an item stood on a board, and when: the rules every flow rule shares."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from art.model import StatusCategory, Transition
from rules.board import Board
from rules.timeline import (
    as_of_moment,
    covered,
    end_of_day,
    merged,
    ordered_transitions,
)
from tests.builders import (
    column,
    day,
    flow_board,
    gaps,
    item,
    moves,
    shuffled,
    walked,
    wandered,
)

BOARD = flow_board()
BERLIN = ZoneInfo("Europe/Berlin")
STATES = ("Funnel", "Analyzing", "Implementing", "Validating", "Done")


def test_entry_times_of_an_item_that_went_straight_through() -> None:
    feature = walked(
        "AUR-1", (0, "Funnel"), (2, "Analyzing"), (5, "Implementing"), (9, "Validating")
    )
    assert BOARD.entry_times(feature) == [day(0), day(2), day(5), day(9), None]
    assert BOARD.started_at(feature) == day(5)
    assert BOARD.finished_at(feature) is None


def test_a_skipped_state_is_back_filled_with_the_date_of_the_jump() -> None:
    feature = walked("AUR-1", (0, "Funnel"), (3, "Implementing"))
    assert BOARD.entry_times(feature) == [day(0), day(3), day(3), None, None]


def test_after_a_backward_move_later_states_are_empty_and_earlier_ones_keep_the_first_date() -> (
    None
):
    feature = walked(
        "AUR-1",
        (0, "Funnel"),
        (2, "Analyzing"),
        (4, "Implementing"),
        (6, "Validating"),
        (8, "Analyzing"),
    )
    # Analyzing: entered it (or a later state) first on day 2; Implementing+ not reached now.
    assert BOARD.entry_times(feature) == [day(0), day(2), None, None, None]
    assert BOARD.started_at(feature) is None


def test_an_item_created_directly_in_a_later_state_entered_the_earlier_ones_at_creation() -> None:
    story = item("AUR-1", "Implementing", created=day(1))  # no history beyond its creation
    assert BOARD.entry_times(story) == [day(1), day(1), day(1), None, None]
    assert BOARD.started_at(story) == day(1)


def test_a_history_without_a_creation_entry_starts_where_its_first_change_came_from() -> None:
    story = item(
        "AUR-1",
        "Implementing",
        created=day(0),
        transitions=(Transition(day(3), "Analyzing", "Implementing"),),
    )
    assert ordered_transitions(story)[0] == Transition(day(0), None, "Analyzing")
    assert BOARD.entry_times(story)[1:3] == [day(0), day(3)]


def test_a_truncated_history_ends_in_the_current_status_at_the_last_update() -> None:
    story = replace(
        walked("AUR-1", (0, "Funnel"), (2, "Analyzing")), status="Validating", updated=day(7)
    )
    assert ordered_transitions(story)[-1] == Transition(day(7), "Analyzing", "Validating")
    assert BOARD.entry_times(story)[3] == day(7)


def test_histories_out_of_order_give_the_same_answers() -> None:
    steps = moves((0, "Funnel"), (2, "Analyzing"), (4, "Implementing"), (6, "Done"))
    tidy = item("AUR-1", "Done", transitions=steps)
    shuffled = item("AUR-1", "Done", transitions=(steps[2], steps[0], steps[3], steps[1]))
    for board_question in (BOARD.entry_times, BOARD.started_at, BOARD.finished_at):
        assert board_question(shuffled) == board_question(tidy)


def test_a_reopened_item_finishes_when_it_last_reached_done() -> None:
    story = walked(
        "AUR-1", (0, "Funnel"), (1, "Implementing"), (3, "Done"), (5, "Validating"), (8, "Done")
    )
    assert BOARD.finished_at(story) == day(8)
    assert BOARD.started_at(story) == day(1)


def test_a_status_on_no_state_neither_advances_nor_sets_back_an_item() -> None:
    story = walked("AUR-1", (0, "Funnel"), (1, "Implementing"), (2, "On Hold"), (4, "Validating"))
    assert BOARD.entry_times(story) == [day(0), day(1), day(1), day(4), None]
    parked = walked("AUR-2", (0, "Funnel"), (1, "On Hold"))
    assert not BOARD.holds(parked)
    assert BOARD.entry_times(parked) == [None] * 5


def test_categories_come_from_config_then_the_items_then_the_position() -> None:
    columns = (
        column("Ready"),
        column("Doing", "Doing", "Blocked"),
        column("Check"),
        column("Shipped"),
    )
    items = [
        item("AUR-1", "Blocked", category=StatusCategory.IN_PROGRESS),
        item("AUR-2", "Doing", category=StatusCategory.IN_PROGRESS),
        item("AUR-3", "Check", category=StatusCategory.TO_DO),  # Jira says so: an odd site
    ]
    board = Board.of(columns, items)
    assert board.categories == (
        StatusCategory.TO_DO,  # no item: the first column is to do
        StatusCategory.IN_PROGRESS,
        StatusCategory.TO_DO,
        StatusCategory.DONE,  # no item: the last column is done
    )
    configured = Board.of((*columns[:3], column("Shipped", category=StatusCategory.IN_PROGRESS)))
    assert configured.categories[3] is StatusCategory.IN_PROGRESS


def test_without_columns_the_jira_categories_make_a_three_column_board() -> None:
    items = [
        item("AUR-1", "Open", category=StatusCategory.TO_DO),
        item("AUR-2", "Coding", category=StatusCategory.IN_PROGRESS),
        item("AUR-3", "Review", category=StatusCategory.IN_PROGRESS),
        item("AUR-4", "Closed", category=StatusCategory.DONE),
    ]
    board = Board.from_categories(items)
    assert [c.name for c in board.columns] == ["To Do", "In Progress", "Done"]
    assert board.columns[1].statuses == {"Coding", "Review"}
    assert board.is_in_progress(items[2]) and board.is_done(items[3])


def test_statuses_named_takes_state_names_and_status_names() -> None:
    board = Board.of((column("Doing", "Coding", "Blocked"), column("Done")))
    assert board.statuses_named(["Doing", "Waiting"]) == {"Coding", "Blocked", "Waiting"}


def test_intervals_are_united_before_they_are_added_up() -> None:
    spans = [(day(0), day(2)), (day(1), day(3)), (day(5), day(6)), (day(4), day(4))]
    assert merged(spans) == [(day(0), day(3)), (day(5), day(6))]
    assert covered(spans) == timedelta(days=4)


def test_now_is_the_clock_on_the_day_itself_and_the_end_of_an_earlier_day() -> None:
    clock = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    assert as_of_moment(date(2026, 11, 20), BERLIN, clock) == clock
    # A check as of an earlier day (a demo, a re-run) measures at that day's end in Berlin.
    assert as_of_moment(date(2026, 11, 18), BERLIN, clock) == datetime(
        2026, 11, 18, 23, 0, tzinfo=UTC
    )
    # Across the change to winter time the day is 25 hours long.
    assert end_of_day(date(2026, 10, 25), BERLIN) - end_of_day(
        date(2026, 10, 24), BERLIN
    ) == timedelta(hours=25)


# --------------------------------------------------------------------------
# Laws over any history


@given(st.sampled_from(STATES), gaps((*STATES, "On Hold"), max_gap=20, max_size=12), st.integers())
def test_entry_times_never_decrease_and_stop_at_the_current_state(
    first: str, steps: list[tuple[float, str]], seed: int
) -> None:
    story = shuffled(wandered("AUR-1", first, steps), seed)
    times = BOARD.entry_times(story)
    current = BOARD.position(story.status)
    if current is None:
        assert times == [None] * len(STATES)
        return
    reached = times[: current + 1]
    assert all(time is not None for time in reached)
    assert reached == sorted(reached)  # type: ignore[type-var]
    assert times[current + 1 :] == [None] * (len(STATES) - current - 1)
    finished = BOARD.finished_at(story)
    if finished is not None:
        assert BOARD.started_at(story) is not None
        assert BOARD.started_at(story) <= finished  # type: ignore[operator]
