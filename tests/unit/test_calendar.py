"""The ART calendar rule: events on the cadence, stable keys, holidays, attendees by role."""

from __future__ import annotations

import copy
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from art.cadence import planning_intervals
from art.config import DEFAULT_EVENTS
from art.config_check import validate_config
from art.config_errors import ConfigError
from rules.calendar import plan_calendar, public_holidays, slug
from tests.calendar_builders import DEMO, TZ, demo_config, shifted_pis

BERLIN = ZoneInfo(TZ)
NO_HOLIDAYS: dict[date, str] = {}


def by_key(plan):  # type: ignore[no-untyped-def]
    return {event.key: event for event in plan.events}


def test_the_demo_calendar_has_every_ceremony_of_every_pi() -> None:
    config = demo_config()
    events = by_key(plan_calendar(config, NO_HOLIDAYS))
    for pi in planning_intervals(config.cadence):
        prefix = f"aurora-art/{slug(pi.name)}"
        day_1, day_2 = events[f"{prefix}/pi-planning/day-1"], events[f"{prefix}/pi-planning/day-2"]
        assert (day_1.start.date(), day_2.start.date()) == (pi.start, pi.start + timedelta(days=1))
        assert day_1.start.time() == time(9, 0) and day_1.end - day_1.start == timedelta(hours=8)
        for iteration in pi.iterations[:-1]:  # the last one is the IP iteration: no demo
            demo = events[f"{prefix}/system-demo/iteration-{iteration.number}"]
            assert demo.start.date() == iteration.end - timedelta(days=2)  # its last Friday
            assert demo.online_meeting
        assert f"{prefix}/system-demo/iteration-5" not in events
        ip = pi.iterations[-1]
        inspect = events[f"{prefix}/inspect-adapt"]
        assert ip.start <= inspect.start.date() <= ip.end and inspect.start.weekday() == 3
        sync = events[f"{prefix}/art-sync"]
        assert sync.rrule is not None and sync.rrule.startswith("FREQ=WEEKLY;BYDAY=WE;UNTIL=")
        assert sync.start.date() == pi.start + timedelta(days=2)
        planning = events[f"{prefix}/iteration-planning/atlas/iteration-1"]
        assert planning.attendees == ("atlas@example.com",)
        assert f"{prefix}/iteration-planning/comet/iteration-1" not in events  # not wanted


def test_events_keep_their_wall_clock_time_across_daylight_saving() -> None:
    events = plan_calendar(demo_config(), NO_HOLIDAYS).events
    demos = [event for event in events if "/system-demo/" in event.key]
    assert {event.start.astimezone(BERLIN).time() for event in demos} == {time(14, 0)}
    offsets = {event.start.utcoffset() for event in demos}
    assert offsets == {timedelta(hours=2), timedelta(hours=1)}  # summer and winter time


def test_a_holiday_moves_a_single_event_to_the_previous_working_day() -> None:
    plan = plan_calendar(demo_config())  # Bavaria: Christmas Day is Friday 2026-12-25
    demo = by_key(plan)["aurora-art/pi-2027-1/system-demo/iteration-1"]
    assert demo.start.date() == date(2026, 12, 24)  # pulled forward, still in its iteration
    [moved] = [item for item in plan.adjustments if item.key == demo.key]
    assert (moved.planned, moved.moved_to, moved.holiday) == (
        date(2026, 12, 25),
        date(2026, 12, 24),
        "Christmas Day",
    )


def test_a_holiday_skips_one_occurrence_of_a_series_and_says_so() -> None:
    plan = plan_calendar(demo_config())  # Epiphany, Wednesday 2027-01-06, is a Bavarian holiday
    sync = by_key(plan)["aurora-art/pi-2027-1/art-sync"]
    assert [moment.date() for moment in sync.exdates] == [date(2027, 1, 6)]
    assert sync.exdates[0].astimezone(BERLIN).time() == time(11, 0)
    [skipped] = [item for item in plan.adjustments if item.key == sync.key]
    assert (skipped.planned, skipped.moved_to, skipped.holiday) == (
        date(2027, 1, 6),
        None,
        "Epiphany",
    )


def test_a_holiday_in_pi_planning_pushes_both_days() -> None:
    holidays = {date(2026, 10, 5): "Train Day"}  # the first day of PI 2026.4
    events = by_key(plan_calendar(demo_config(), holidays))
    days = [events[f"aurora-art/pi-2026-4/pi-planning/day-{n}"].start.date() for n in (1, 2)]
    assert days == [date(2026, 10, 6), date(2026, 10, 7)]


def test_pi_planning_can_sit_at_the_end_of_the_previous_ip_iteration() -> None:
    config = demo_config(
        events=[
            {
                "key": "pi-planning",
                "title": "PI Planning",
                "kind": "pi-planning",
                "placement": "ip-end",
                "days": 2,
            }
        ]
    )
    events = by_key(plan_calendar(config, NO_HOLIDAYS))
    # PI 2026.4 starts Monday 2026-10-05: PI 2026.3's IP iteration ends with Thu/Fri 1-2 Oct.
    assert [events[f"aurora-art/pi-2026-4/pi-planning/day-{n}"].start.date() for n in (1, 2)] == [
        date(2026, 10, 1),
        date(2026, 10, 2),
    ]
    # The first PI has no previous one: its planning takes the last days before it starts.
    assert events["aurora-art/pi-2026-3/pi-planning/day-2"].start.date() == date(2026, 7, 24)


def test_attendees_are_expanded_from_roles_each_address_once() -> None:
    config = demo_config(
        events=[
            {
                "key": "x",
                "title": "X",
                "kind": "inspect-adapt",
                "attendees": [
                    "rte",
                    "business-owners",
                    "scrum-masters",
                    "RTE@example.com",
                    "guest@example.org",
                ],
            },
            {
                "key": "y",
                "title": "Y",
                "kind": "iteration-review",
                "teams": ["Comet"],
                "attendees": ["team", "product-owners"],
            },
        ]
    )
    events = by_key(plan_calendar(config, NO_HOLIDAYS))
    scrum_masters = tuple(team["scrum_master"] for team in DEMO["teams"])
    assert events["aurora-art/pi-2026-4/x"].attendees == (
        "rte@example.com",
        *DEMO["art"]["business_owners"],
        *scrum_masters,
        "guest@example.org",
    )
    review = events["aurora-art/pi-2026-4/y/comet/iteration-2"]
    assert review.attendees[0] == "comet@example.com"  # the team: its mail group
    assert len(review.attendees) == 1 + len(DEMO["teams"])


def test_the_default_events_are_used_when_the_config_names_none() -> None:
    data = copy.deepcopy(DEMO)
    del data["calendar"]["events"]
    config = validate_config(data)
    assert config.calendar.events == DEFAULT_EVENTS
    keys = {event.key.split("/")[2] for event in plan_calendar(config, NO_HOLIDAYS).events}
    assert keys == {"pi-planning", "system-demo", "inspect-adapt", "scrum-of-scrums", "po-sync"}


@pytest.mark.parametrize(
    ("event", "problem"),
    [
        ({"key": "a", "title": "A", "kind": "weekly"}, "calendar.events[0].weekday: is required"),
        ({"key": "a", "title": "A", "kind": "system-demo", "days": 3}, "calendar.events[0].days"),
        (
            {"key": "a", "title": "A", "kind": "iteration-review", "teams": ["Zeta"]},
            "calendar.events[0].teams: 'Zeta' is not a team",
        ),
        (
            {"key": "a", "title": "A", "kind": "system-demo", "attendees": ["team"]},
            "calendar.events[0].attendees: role 'team' applies to kinds",
        ),
        (
            {"key": "a", "title": "A", "kind": "system-demo", "attendees": ["everyone"]},
            "calendar.events[0].attendees[0]: must be an e-mail address or one of the roles",
        ),
        (
            {"key": "A b", "title": "A", "kind": "system-demo"},
            "calendar.events[0].key: must match the pattern",
        ),
    ],
)
def test_a_wrong_event_template_is_named_by_its_path(event: dict, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        demo_config(events=[event])
    assert any(str(found).startswith(problem) for found in caught.value.problems), caught.value


def test_an_unknown_holiday_region_is_a_config_problem() -> None:
    with pytest.raises(ConfigError) as caught:
        plan_calendar(demo_config(holidays={"country": "DE", "subdivision": "XX"}))
    assert str(caught.value).startswith("calendar.holidays.subdivision: is not known")


def test_public_holidays_come_from_the_holidays_package_in_english() -> None:
    found = public_holidays(demo_config().calendar.holidays, [2027])
    assert found[date(2027, 1, 6)] == "Epiphany"  # Bavaria, not all of Germany
    assert date(2027, 1, 6) not in public_holidays(
        demo_config(holidays={"country": "DE"}).calendar.holidays, [2027]
    )


@settings(max_examples=25, deadline=None)
@given(weeks=st.integers(min_value=-8, max_value=8))
def test_moving_every_pi_keeps_every_key_and_moves_every_event(weeks: int) -> None:
    before = by_key(plan_calendar(demo_config(), NO_HOLIDAYS))
    after = by_key(plan_calendar(demo_config(pis=shifted_pis(weeks)), NO_HOLIDAYS))
    assert after.keys() == before.keys()
    for key, event in before.items():
        moved = after[key]
        assert moved.start.date() - event.start.date() == timedelta(weeks=weeks)
        assert moved.start.astimezone(BERLIN).time() == event.start.astimezone(BERLIN).time()


@settings(max_examples=40, deadline=None)
@given(
    holidays=st.dictionaries(
        st.dates(min_value=date(2026, 7, 20), max_value=date(2027, 3, 1)),
        st.just("Holiday"),
        max_size=25,
    )
)
def test_no_single_event_falls_on_a_holiday_or_weekend(holidays: dict[date, str]) -> None:
    plan = plan_calendar(demo_config(), holidays)
    for event in plan.events:
        day = event.start.date()
        if event.rrule is None:
            assert day.weekday() < 5 and day not in holidays, event.key
        else:
            assert {moment.date() for moment in event.exdates} <= holidays.keys()
    for item in plan.adjustments:
        assert item.planned in holidays or item.moved_to is not None
        if item.moved_to is not None:
            assert item.moved_to != item.planned and item.moved_to not in holidays
    assert len({event.key for event in plan.events}) == len(plan.events)


def test_keys_keep_names_readable_in_any_script() -> None:
    assert slug("PI 2026.4") == "pi-2026-4" and slug("Aurora ART") == "aurora-art"
    assert slug("Équipe Ünité") == "équipe-ünité" and slug("東京 チーム") == "東京-チーム"
    assert slug("!!!") == "x"  # never empty, so never a key segment that vanishes
