"""The ART calendar as an .ics file, read back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from art.model import ArtEvent
from reports.ics import PRODID, clean_text, mailto, render_ics

BERLIN = ZoneInfo("Europe/Berlin")
TZID = "Europe/Berlin"

ART_SYNC = ArtEvent(
    key="pi-2026-4-art-sync",
    title="ART Sync",
    start=datetime(2026, 10, 6, 10, 0, tzinfo=BERLIN),
    end=datetime(2026, 10, 6, 11, 0, tzinfo=BERLIN),
    description="Scrum of Scrums and PO Sync.\nBring your impediments; and risks, too.",
    location="Room 4.12; Teams",
    attendees=("rte@example.com", "sm.nova@example.com"),
    rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20261213T000000Z",
    exdates=(datetime(2026, 10, 27, 10, 0, tzinfo=BERLIN),),
)
PI_PLANNING = ArtEvent(
    key="pi-2027-1-pi-planning",
    title="PI Planning, day 1",
    start=datetime(2027, 1, 12, 8, 0, tzinfo=UTC),  # 09:00 in Berlin
    end=datetime(2027, 1, 12, 16, 0, tzinfo=UTC),
)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def unfolded_lines(data: bytes) -> list[str]:
    """The content lines as a client sees them after unfolding (RFC 5545 3.1)."""
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")


def render(*events: ArtEvent, **kwargs: object) -> bytes:
    options: dict = {"calendar_name": "Aurora ART", "tz": TZID} | kwargs
    return render_ics(list(events), **options)


def test_the_calendar_carries_its_identity_and_time_zone() -> None:
    data = render(ART_SYNC)
    calendar = parse(data)
    assert str(calendar["PRODID"]) == PRODID == "-//rte//ART calendar//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert "X-WR-CALNAME:Aurora ART" in unfolded_lines(data)
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == TZID
    lines = unfolded_lines(data)
    assert lines.index("BEGIN:VTIMEZONE") < lines.index("BEGIN:VEVENT")


def test_an_event_round_trips_with_uid_times_rrule_and_exdate() -> None:
    [event] = parse(render(ART_SYNC)).walk("VEVENT")
    assert str(event["UID"]) == "pi-2026-4-art-sync@rte"
    assert str(event["SUMMARY"]) == "ART Sync"
    assert str(event["DESCRIPTION"]) == ART_SYNC.description
    assert str(event["LOCATION"]) == "Room 4.12; Teams"
    assert event["DTSTART"].dt == ART_SYNC.start
    assert event["DTSTART"].params["TZID"] == TZID
    assert event["DTEND"].dt == ART_SYNC.end
    assert event["DTSTAMP"].dt.tzinfo is not None
    rrule = event["RRULE"]
    assert rrule["FREQ"] == ["WEEKLY"]
    assert rrule["BYDAY"] == ["TU"]
    assert rrule["UNTIL"] == [datetime(2026, 12, 13, tzinfo=UTC)]
    exdates = [d.dt for d in event["EXDATE"].dts]
    assert exdates == [datetime(2026, 10, 27, 10, 0, tzinfo=BERLIN)]
    attendees = event["ATTENDEE"]
    assert [str(a) for a in attendees] == ["mailto:rte@example.com", "mailto:sm.nova@example.com"]


def test_times_are_written_in_the_calendar_time_zone() -> None:
    data = render(PI_PLANNING)
    assert f"DTSTART;TZID={TZID}:20270112T090000" in unfolded_lines(data)
    [event] = parse(data).walk("VEVENT")
    assert event["DTSTART"].dt == PI_PLANNING.start
    assert "RRULE" not in event and "EXDATE" not in event and "ATTENDEE" not in event


def test_the_same_events_give_the_same_bytes() -> None:
    assert render(ART_SYNC, PI_PLANNING) == render(ART_SYNC, PI_PLANNING)
    stamp = datetime(2026, 10, 1, 12, tzinfo=UTC)
    [event] = parse(render(PI_PLANNING, dtstamp=stamp)).walk("VEVENT")
    assert event["DTSTAMP"].dt == stamp


def test_no_events_give_an_empty_but_valid_calendar() -> None:
    calendar = parse(render())
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"


def test_crlf_in_a_title_cannot_inject_a_property() -> None:
    evil = ArtEvent(
        key="evil",
        title="System Demo\r\nATTENDEE:mailto:evil@x.example\r\nX-EVIL;A=1:2",
        start=ART_SYNC.start,
        end=ART_SYNC.end,
        description="a\rb;c,d\\e",
        location="\nLOCATION:elsewhere",
        attendees=("ok@example.com",),
    )
    data = render(evil, calendar_name="Cal\r\nX-INJECTED:1")
    lines = unfolded_lines(data)
    assert not any(
        line.startswith(("ATTENDEE:mailto:evil", "X-EVIL", "X-INJECTED")) for line in lines
    )
    assert not any(line.startswith("LOCATION:elsewhere") for line in lines)
    [event] = parse(data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "System Demo\nATTENDEE:mailto:evil@x.example\nX-EVIL;A=1:2"
    assert str(event["DESCRIPTION"]) == "a\nb;c,d\\e"
    assert str(event["LOCATION"]) == "\nLOCATION:elsewhere"
    assert str(event["ATTENDEE"]) == "mailto:ok@example.com"
    assert "X-EVIL" not in event


def test_an_odd_attendee_is_percent_encoded_not_injected() -> None:
    assert mailto("MAILTO:a@b.example") == "mailto:a@b.example"
    odd = ArtEvent(
        key="odd",
        title="x",
        start=ART_SYNC.start,
        end=ART_SYNC.end,
        attendees=("a@b.example\r\nX-EVIL:1", 'c;d,"e"@f.example'),
    )
    data = render(odd)
    assert not any(line.startswith("X-EVIL") for line in unfolded_lines(data))
    [event] = parse(data).walk("VEVENT")
    assert [str(a) for a in event["ATTENDEE"]] == [
        "mailto:a@b.example%0D%0AX-EVIL%3A1",
        "mailto:c%3Bd%2C%22e%22@f.example",
    ]


@pytest.mark.parametrize(
    "rrule", ["FREQ=WEEKLY\r\nATTENDEE:mailto:evil@x", "BYDAY=TU", "FREQ=SOMETIMES", "nonsense"]
)
def test_an_unusable_rrule_is_refused(rrule: str) -> None:
    event = ArtEvent(key="k", title="t", start=ART_SYNC.start, end=ART_SYNC.end, rrule=rrule)
    with pytest.raises(ValueError, match="RRULE"):
        render(event)


def test_an_rrule_may_carry_its_property_name() -> None:
    event = ArtEvent(
        key="k", title="t", start=ART_SYNC.start, end=ART_SYNC.end, rrule="RRULE:FREQ=DAILY;COUNT=3"
    )
    [vevent] = parse(render(event)).walk("VEVENT")
    assert vevent["RRULE"]["COUNT"] == [3]


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        render(ART_SYNC, tz="Mars/Olympus_Mons")


def test_a_naive_time_is_read_in_the_calendar_time_zone() -> None:
    naive = ArtEvent(
        key="k", title="t", start=datetime(2026, 11, 3, 10), end=datetime(2026, 11, 3, 11)
    )
    [event] = parse(render(naive)).walk("VEVENT")
    assert event["DTSTART"].dt == datetime(2026, 11, 3, 10, tzinfo=BERLIN)


def test_clean_text_normalises_line_breaks_and_drops_controls() -> None:
    assert clean_text("a\r\nb\rc\nd\te\x00f\x1bg\x7fh") == "a\nb\nc\nd\tefgh"


@given(title=st.text(), description=st.text(), location=st.text())
def test_any_text_stays_inside_its_property(title: str, description: str, location: str) -> None:
    event = ArtEvent(
        key="k",
        title=title,
        start=ART_SYNC.start,
        end=ART_SYNC.end,
        description=description,
        location=location,
    )
    [vevent] = parse(render(event)).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == clean_text(title)
    assert str(vevent.get("DESCRIPTION", "")) == clean_text(description)
    assert str(vevent.get("LOCATION", "")) == clean_text(location)
    always = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "X-RTE-DIGEST"}
    assert set(vevent) == always | ({"DESCRIPTION"} if description else set()) | (
        {"LOCATION"} if location else set()
    )


def test_the_time_zone_covers_the_whole_series() -> None:
    [timezone] = parse(render(ART_SYNC, PI_PLANNING)).walk("VTIMEZONE")
    starts = [sub["DTSTART"].dt.date() for sub in timezone.subcomponents]
    assert min(starts) <= date(2026, 10, 6)
    assert "2029-01-01" in str(timezone["COMMENT"])
