"""The timeline index reads every history exactly as `ordered_transitions` and `Board` do."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from art.model import StatusCategory, Transition, WorkItem
from rules.board_index import NONE, BoardIndex
from rules.timeline import local_date, ordered_transitions
from rules.timeline_index import TimelineIndex, local_days, microseconds
from tests.builders import flow_board, gaps, shuffled, wandered

BOARD = flow_board()
STATUSES = ("Funnel", "Analyzing", "Implementing", "Validating", "Done", "On Hold")
CATEGORY = {"Done": StatusCategory.DONE, "Funnel": StatusCategory.TO_DO}


def histories() -> st.SearchStrategy[list[WorkItem]]:
    """Items with histories as sources deliver them: in order or not, with or without the
    creation, ending in the current status or elsewhere (a truncated changelog), or empty."""

    def build(steps: list, first: str, seed: int, cut: int, shape: str) -> WorkItem:
        work = wandered(f"AUR-{seed}", first, steps)
        status = work.status
        if shape == "shuffled":
            work = shuffled(work, seed)
        elif shape == "no creation":
            work = replace(work, transitions=work.transitions[1:] or work.transitions)
        elif shape == "truncated":
            work = replace(work, transitions=work.transitions[: max(cut, 1)])
            status = STATUSES[cut % len(STATUSES)]
        elif shape == "empty":
            work = replace(work, transitions=())
        updated = work.created + timedelta(days=cut)
        category = CATEGORY.get(status, StatusCategory.IN_PROGRESS)
        return replace(work, status=status, status_category=category, updated=updated)

    one = st.builds(
        build,
        gaps(STATUSES),
        st.sampled_from(STATUSES),
        st.integers(0, 10_000),
        st.integers(0, 12),
        st.sampled_from(("tidy", "shuffled", "no creation", "truncated", "empty")),
    )
    return st.lists(one, max_size=8)


@settings(max_examples=150, deadline=None)
@given(histories())
def test_the_index_holds_each_history_as_ordered_transitions_gives_it(items: list) -> None:
    index = TimelineIndex.of(items)
    for i, work in enumerate(items):
        expected = ordered_transitions(work)
        start, end = index.starts[i], index.starts[i + 1]
        held = [
            Transition(index.moments[j], None, index.statuses[index.codes[j]])
            for j in range(start, end)
        ]
        assert [t.to_status for t in held] == [t.to_status for t in expected]
        assert all(a.at is b.at for a, b in zip(held, expected, strict=True))


@settings(max_examples=150, deadline=None)
@given(histories())
def test_the_board_index_answers_as_the_board_does_item_by_item(items: list) -> None:
    board_index = BoardIndex(TimelineIndex.of(items), BOARD)
    moments = board_index.timeline.moments
    for i, work in enumerate(items):
        entries = [moments[j] if j != NONE else None for j in board_index.entries[i]]
        expected = BOARD.entry_times(work)
        assert entries == expected and all(a is b for a, b in zip(entries, expected, strict=True))
        assert board_index.moment(int(board_index.started[i])) == BOARD.started_at(work)
        assert board_index.moment(int(board_index.finished[i])) == BOARD.finished_at(work)
        assert bool(board_index.in_progress[i]) == BOARD.is_in_progress(work)


ZONES = [
    ZoneInfo("Europe/Berlin"),
    ZoneInfo("America/Santiago"),  # its clocks change at midnight
    ZoneInfo("Australia/Lord_Howe"),  # a half-hour change
    timezone(timedelta(hours=-3, minutes=-30)),
    UTC,
]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.datetimes(
            min_value=datetime(1990, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)
        ),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(ZONES),
)
def test_local_days_are_the_days_local_date_gives(moments: list[datetime], zone) -> None:
    days = local_days(microseconds(moments), zone)
    epoch = datetime(1970, 1, 1).date()
    assert [epoch + timedelta(days=int(d)) for d in days] == [
        local_date(moment, zone) for moment in moments
    ]


def test_microseconds_are_exact_far_from_today_too() -> None:
    moments = [
        datetime(2026, 10, 25, 0, 59, 59, 999_999, tzinfo=UTC),
        datetime(2150, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
        datetime(1850, 6, 1, 12, 0, 0, 999_999, tzinfo=timezone(timedelta(hours=2))),
    ]
    exact = [
        (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
        for moment in moments
    ]
    assert microseconds(moments).tolist() == exact
    assert np.array_equal(microseconds([]), np.array([], np.int64))
