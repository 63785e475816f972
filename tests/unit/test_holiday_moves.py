"""Where a public holiday moves a single event: `calendar.holidays.move`, earlier by default."""

from __future__ import annotations

from datetime import date

from rules.calendar import plan_calendar
from tests.calendar_builders import DEMO, demo_config

DEMO_KEY = "aurora-art/pi-2027-1/system-demo/iteration-1"


def moves(**holidays: str) -> dict[str, tuple[date, date | None]]:
    config = demo_config(holidays={**DEMO["calendar"]["holidays"], **holidays})
    return {item.key: (item.planned, item.moved_to) for item in plan_calendar(config).adjustments}


def test_earlier_is_the_default_and_pulls_the_demo_forward_into_its_iteration() -> None:
    assert moves()[DEMO_KEY] == (date(2026, 12, 25), date(2026, 12, 24))
    assert moves(move="earlier") == moves()


def test_later_moves_it_to_the_next_working_day() -> None:
    assert moves(move="later")[DEMO_KEY] == (date(2026, 12, 25), date(2026, 12, 28))


def test_an_event_that_would_leave_its_iteration_goes_the_other_way() -> None:
    config = demo_config(
        events=[
            {
                "key": "planning",
                "title": "Planning",
                "kind": "iteration-planning",
                "teams": ["Atlas"],
            }
        ]
    )
    plan = plan_calendar(config)
    starts = {
        event.key: event.start.date() for event in plan.events if event.key.endswith("iteration-1")
    }
    first_day = {key: day for key, day in starts.items() if "pi-2026-3" in key}
    [(key, day)] = first_day.items()
    holidays = {day: "Founders' Day"}  # the first day of the iteration is a holiday
    [moved] = [item for item in plan_calendar(config, holidays).adjustments if item.key == key]
    assert moved.moved_to is not None and moved.moved_to > day  # not into the previous iteration


def test_pi_planning_days_still_move_forward_in_order() -> None:
    config = demo_config()
    plan = plan_calendar(config, {})
    days = sorted(
        (e.key, e.start.date()) for e in plan.events if "/pi-2026-4/pi-planning/" in e.key
    )
    holidays = {days[0][1]: "A holiday"}
    moved = {item.key: item.moved_to for item in plan_calendar(config, holidays).adjustments}
    assert moved[days[0][0]] is not None and moved[days[0][0]] > days[0][1]
