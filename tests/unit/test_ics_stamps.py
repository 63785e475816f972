"""The .ics file's ORGANIZER and DTSTAMP: who the events come from, and when each last changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar

from flows.steps.calendar import render_calendar
from reports.ics import published_versions, render_ics
from rules.calendar import plan_calendar
from tests.calendar_builders import TZ, demo_config

EVENTS = tuple(plan_calendar(demo_config(), {}).events[:6])
MONDAY = datetime(2026, 9, 28, 8, tzinfo=UTC)
LATER = MONDAY + timedelta(days=3)


def stamps(data: bytes) -> dict[str, datetime]:
    return {
        str(event["UID"]): event["DTSTAMP"].dt for event in Calendar.from_ical(data).walk("VEVENT")
    }


def ics(events, **options) -> bytes:  # type: ignore[no-untyped-def]
    return render_ics(events, calendar_name="Aurora ART calendar", tz=TZ, **options)


def test_each_event_keeps_its_stamp_until_it_changes() -> None:
    first = ics(EVENTS, dtstamp=MONDAY)
    assert set(stamps(first).values()) == {MONDAY}
    assert ics(EVENTS, dtstamp=LATER, previous=published_versions(first)) == first  # unchanged
    moved = replace(EVENTS[2], start=EVENTS[2].start + timedelta(hours=1))
    second = ics(
        [*EVENTS[:2], moved, *EVENTS[3:]], dtstamp=LATER, previous=published_versions(first)
    )
    uid = f"{EVENTS[2].key}@rte"
    assert stamps(second)[uid] == LATER
    assert {stamp for key, stamp in stamps(second).items() if key != uid} == {MONDAY}
    assert published_versions(second)[uid].sequence == 1


def test_a_file_with_the_old_fixed_stamp_is_stamped_anew_without_a_new_sequence() -> None:
    old = ics(EVENTS)  # no time given: 2000-01-01, as every file was written before
    assert set(stamps(old).values()) == {datetime(2000, 1, 1, tzinfo=UTC)}
    renewed = ics(EVENTS, dtstamp=MONDAY, previous=published_versions(old))
    assert set(stamps(renewed).values()) == {MONDAY}
    assert {version.sequence for version in published_versions(renewed).values()} == {0}


def test_the_organizer_is_the_mailbox_or_else_the_rte(tmp_path: Path) -> None:
    target = tmp_path / "art.ics"
    by_rte = Calendar.from_ical(render_calendar(demo_config(), EVENTS, target, MONDAY))
    organizers = {str(event["ORGANIZER"]) for event in by_rte.walk("VEVENT")}
    assert organizers == {"mailto:rte@example.com"}
    [event, *_] = by_rte.walk("VEVENT")
    assert event["ORGANIZER"].params["CN"] == "Aurora ART calendar"
    mailbox = demo_config(mailbox="art-calendar@example.com")
    by_mailbox = Calendar.from_ical(render_calendar(mailbox, EVENTS, target, MONDAY))
    assert {str(e["ORGANIZER"]) for e in by_mailbox.walk("VEVENT")} == {
        "mailto:art-calendar@example.com"
    }


def test_a_new_organizer_is_a_change_of_every_event() -> None:
    first = ics(EVENTS, dtstamp=MONDAY)
    signed = ics(EVENTS, dtstamp=LATER, previous=published_versions(first), organizer="a@b.example")
    assert {version.sequence for version in published_versions(signed).values()} == {1}
    assert set(stamps(signed).values()) == {LATER}
