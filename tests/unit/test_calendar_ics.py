"""The calendar as an .ics file: read back and expanded, it holds exactly the planned events."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from art.cadence import planning_intervals
from art.model import ArtEvent
from reports.ics import published_versions, render_ics
from rules.calendar import plan_calendar, public_holidays
from tests.calendar_builders import TZ, demo_config, weekdays_between

BERLIN = ZoneInfo(TZ)
SPAN = (date(2026, 1, 1), date(2028, 1, 1))


def expanded(data: bytes) -> list[tuple[str, datetime]]:
    """Every occurrence in the file as (UID, start), the way a calendar client computes them."""
    calendar = Calendar.from_ical(data)
    occurrences = recurring_ical_events.of(calendar).between(*SPAN)
    return sorted((str(item["UID"]), item["DTSTART"].dt) for item in occurrences)


def ics(events: list[ArtEvent] | tuple[ArtEvent, ...], **kwargs: object) -> bytes:
    return render_ics(list(events), calendar_name="Aurora ART calendar", tz=TZ, **kwargs)  # type: ignore[arg-type]


def test_the_file_expands_to_exactly_the_occurrences_the_cadence_asks_for() -> None:
    config = demo_config()
    plan = plan_calendar(config)
    holidays = public_holidays(config.calendar.holidays, range(2026, 2028))
    expected: list[tuple[str, datetime]] = []
    for event in plan.events:
        uid = f"{event.key}@rte"
        if event.rrule is None:
            expected.append((uid, event.start))
            continue
        # Independent of the rule: every such weekday of the PI, but the public holidays.
        pi = next(
            pi for pi in planning_intervals(config.cadence) if pi.contains(event.start.date())
        )
        for day in weekdays_between(pi.start, pi.end, event.start.weekday()):
            if day not in holidays:
                expected.append((uid, datetime.combine(day, event.start.timetz())))
    assert expanded(ics(plan.events)) == sorted(expected)
    assert (
        "aurora-art/pi-2027-1/art-sync@rte",
        datetime(2027, 1, 6, 11, 0, tzinfo=BERLIN),
    ) not in expected


def test_a_weekly_series_keeps_local_time_across_both_daylight_saving_switches() -> None:
    config = demo_config(
        pis=[{"name": "PI 2027.1", "start": date(2027, 2, 15)}],  # runs over 28 March 2027
        events=[
            {
                "key": "sync",
                "title": "Sync",
                "kind": "weekly",
                "weekday": "monday",
                "start_time": "09:30",
            }
        ],
    )
    [series] = plan_calendar(config, {}).events
    starts = [start for _, start in expanded(ics([series]))]
    assert len(starts) == 10
    assert {start.astimezone(BERLIN).time() for start in starts} == {time(9, 30)}
    assert {start.utcoffset() for start in starts} == {timedelta(hours=1), timedelta(hours=2)}
    autumn = plan_calendar(demo_config(), {}).events  # PI 2026.4 runs over 25 October 2026
    [sync] = [event for event in autumn if event.key == "aurora-art/pi-2026-4/art-sync"]
    times = {
        (start.astimezone(BERLIN).time(), start.utcoffset()) for _, start in expanded(ics([sync]))
    }
    assert times == {(time(11, 0), timedelta(hours=2)), (time(11, 0), timedelta(hours=1))}


def test_uids_are_the_stable_keys() -> None:
    plan = plan_calendar(demo_config(), {})
    uids = [str(event["UID"]) for event in Calendar.from_ical(ics(plan.events)).walk("VEVENT")]
    assert uids == [f"{event.key}@rte" for event in plan.events]


EVENTS = tuple(plan_calendar(demo_config(), {}).events[:12])


def sequences(data: bytes) -> dict[str, int]:
    return {uid: version.sequence for uid, version in published_versions(data).items()}


def test_an_unchanged_calendar_is_a_fixed_point() -> None:
    first = ics(EVENTS)
    assert set(sequences(first).values()) == {0}
    assert ics(EVENTS, previous=published_versions(first)) == first


def test_sequence_rises_by_one_for_each_change_of_an_event_and_only_for_it() -> None:
    first = ics(EVENTS)
    moved = replace(EVENTS[3], start=EVENTS[3].start + timedelta(hours=1))
    second = ics([*EVENTS[:3], moved, *EVENTS[4:]], previous=published_versions(first))
    renamed = replace(moved, title="Renamed")
    third = ics([*EVENTS[:3], renamed, *EVENTS[4:]], previous=published_versions(second))
    again = ics([*EVENTS[:3], renamed, *EVENTS[4:]], previous=published_versions(third))
    uid = f"{EVENTS[3].key}@rte"
    assert [sequences(data)[uid] for data in (first, second, third, again)] == [0, 1, 2, 2]
    others = {key: value for key, value in sequences(again).items() if key != uid}
    assert set(others.values()) == {0}


@settings(max_examples=30, deadline=None)
@given(changed=st.sets(st.integers(min_value=0, max_value=len(EVENTS) - 1)))
def test_exactly_the_changed_events_get_a_higher_sequence(changed: set[int]) -> None:
    first = ics(EVENTS)
    edited = [
        replace(event, description=event.description + " (changed)") if n in changed else event
        for n, event in enumerate(EVENTS)
    ]
    after = sequences(ics(edited, previous=published_versions(first)))
    assert {n for n, event in enumerate(EVENTS) if after[f"{event.key}@rte"] == 1} == changed


def test_a_new_event_starts_at_zero_and_a_file_from_elsewhere_counts_as_changed() -> None:
    foreign = ics(EVENTS[:2]).replace(b"X-RTE-DIGEST", b"X-OTHER")
    result = sequences(ics(EVENTS[:3], previous=published_versions(foreign)))
    assert list(result.values()) == [1, 1, 0]


def test_a_previous_file_that_is_no_calendar_is_refused() -> None:
    with pytest.raises(ValueError, match="not an iCalendar file"):
        published_versions(b"<html>not a calendar</html>")
