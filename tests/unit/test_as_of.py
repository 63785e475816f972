"""`--today` is a replay: the board as it stood at the end of a past day, from the histories."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.model import FlaggedInterval, StatusCategory
from flows.steps.jira_snapshot import evaluate_snapshot, snapshot_as_of
from rules.as_of import BeforeHistory, check_reachable, earliest_moment, items_as_of
from tests.builders import day, gaps, walked, wandered
from tests.demo_findings import demo_health

STATUSES = ("Funnel", "Implementing", "Blocked", "Done")
CATEGORIES = {
    "Funnel": StatusCategory.TO_DO,
    "Implementing": StatusCategory.IN_PROGRESS,
    "Blocked": StatusCategory.IN_PROGRESS,
    "Done": StatusCategory.DONE,
}
BERLIN = ZoneInfo("Europe/Berlin")


def story():
    """Created on day 0 in Funnel, started on day 2, flagged on days 3-5, done on day 6."""
    return walked(
        "AUR-1",
        (0, "Funnel"),
        (2, "Implementing"),
        (6, "Done"),
        category=StatusCategory.DONE,
        flagged=(FlaggedInterval(day(3), day(5)),),
        resolved=day(6),
        updated=day(7),
    )


def test_the_item_stands_where_its_history_had_it_at_the_moment() -> None:
    [then] = items_as_of([story()], day(4), CATEGORIES)
    assert (then.status, then.status_category) == ("Implementing", StatusCategory.IN_PROGRESS)
    assert [t.to_status for t in then.transitions] == ["Funnel", "Implementing"]
    assert then.flagged == (FlaggedInterval(day(3), None),)  # still flagged then
    assert then.is_flagged()
    assert then.resolved is None
    assert then.updated == day(3)  # the flag, its last known change


def test_an_item_done_at_the_moment_is_resolved_when_it_entered_done() -> None:
    reopened = walked(
        "AUR-2",
        (0, "Funnel"),
        (1, "Done"),
        (3, "Implementing"),
        (5, "Done"),
        category=StatusCategory.DONE,
        resolved=day(5),
    )
    [then] = items_as_of([reopened], day(2), CATEGORIES)
    assert (then.status, then.resolved) == ("Done", day(1))


def test_an_item_created_later_did_not_exist_yet() -> None:
    later = walked("AUR-3", (10, "Funnel"), category=StatusCategory.TO_DO)
    assert [item.key for item in items_as_of([story(), later], day(4), CATEGORIES)] == ["AUR-1"]


def test_a_status_no_item_stands_in_now_is_judged_by_where_it_lies_in_the_history() -> None:
    item = walked("AUR-4", (0, "Idea"), (1, "Coding"), (2, "Done"), category=StatusCategory.DONE)
    categories = {"Done": StatusCategory.DONE}
    assert items_as_of([item], day(0.5), categories)[0].status_category is StatusCategory.TO_DO
    coding = items_as_of([item], day(1.5), categories)[0]
    assert coding.status_category is StatusCategory.IN_PROGRESS


@given(gaps(STATUSES))
def test_a_replay_at_or_after_the_last_event_is_the_snapshot_itself(moves) -> None:  # type: ignore[no-untyped-def]
    item = wandered("AUR-5", "Funnel", moves, updated=day(40))
    assert items_as_of([item], day(40)) == (item,)
    assert items_as_of([item], day(400)) == (item,)


@given(
    gaps(STATUSES),
    st.floats(min_value=-1, max_value=60),
    st.floats(min_value=-1, max_value=60),
    st.lists(st.tuples(st.floats(0, 50), st.floats(0.01, 10) | st.none()), max_size=3),
)
def test_replaying_a_replay_to_an_earlier_moment_is_replaying_to_it(  # type: ignore[no-untyped-def]
    moves, first, second, flags
) -> None:
    early, late = sorted((day(first), day(second)))
    flagged = tuple(
        FlaggedInterval(day(start), None if length is None else day(start + length))
        for start, length in flags
    )
    item = wandered("AUR-6", "Funnel", moves, flagged=flagged)
    item = replace(item, status_category=CATEGORIES[item.status])
    direct = items_as_of([item], early, CATEGORIES)
    assert items_as_of(items_as_of([item], late, CATEGORIES), early, CATEGORIES) == direct
    assert items_as_of(direct, early, CATEGORIES) == direct  # and a replay is idempotent


def test_a_day_before_the_oldest_history_is_refused_in_one_line() -> None:
    items = [story()]
    assert earliest_moment(items) == day(0)
    check_reachable(items, date(2026, 10, 5), day(0), BERLIN)  # the first day itself is fine
    with pytest.raises(BeforeHistory) as refused:
        check_reachable(items, date(2026, 10, 4), day(0) - timedelta(seconds=1), BERLIN)
    assert str(refused.value) == (
        "--today 2026-10-04 is before the oldest history rte has read "
        "(the first item was created or moved on 2026-10-05); use 2026-10-05 or later"
    )
    assert "\n" not in str(refused.value)


def test_the_demo_as_of_an_earlier_day_is_the_board_of_that_day() -> None:
    config, snapshot, today = demo_health(datetime(2026, 11, 20, 12, tzinfo=UTC))
    october = snapshot_as_of(
        replace(snapshot, as_of=date(2026, 10, 15)), config, generated_at=datetime.now(UTC)
    )
    end = datetime(2026, 10, 15, 22, 0, tzinfo=UTC)  # midnight in Berlin (summer time)
    assert len(october.items) < len(snapshot.items)
    assert all(item.created <= end for item in october.items)
    by_key = {item.key: item for item in october.items}
    # AUR-8 was finished on 26 October: on the 15th it was still on its way
    assert snapshot_by_key(snapshot)["AUR-8"].status == "Done"
    assert by_key["AUR-8"].status != "Done" and by_key["AUR-8"].resolved is None
    report = evaluate_snapshot(
        replace(snapshot, as_of=date(2026, 10, 15)), config, generated_at=end
    )
    implementing = next(s for s in report.metrics.kanban.states if s.name == "Implementing")
    assert implementing.count == sum(
        1 for item in october.items if item.level == "feature" and item.status == "Implementing"
    )
    assert implementing.count != next(
        s.count for s in today.metrics.kanban.states if s.name == "Implementing"
    )


def snapshot_by_key(snapshot):  # type: ignore[no-untyped-def]
    return {item.key: item for item in snapshot.items}
