"""The ART calendar as an iCalendar (RFC 5545) file.

`render_ics` is pure: the same events give the same bytes, so the folder
backend can tell an unchanged calendar from a changed one. That is why
DTSTAMP is a parameter (the run passes "now") and is kept from the file being
replaced for an event that did not change: RFC 5545 (3.8.7.2) says that,
without a METHOD, DTSTAMP is when the event's information "was last revised
in the calendar store", so it changes only when the event does. An event of
a file written before (with the fixed stamp 2000-01-01) gets the run's.

ORGANIZER (RFC 5545 3.8.4.3) names the mailbox the events come from: the
calendar's mailbox, or the RTE (`notifications.rte`); it is part of what
the digest covers.

Hostile text cannot add properties: every text value goes through
icalendar's TEXT escaping (`\\`, `;`, `,`, newlines), after CR/CRLF are
normalised to LF and the other control characters RFC 5545 forbids in TEXT
are dropped (icalendar only *asserts* on a bare newline, which `python -O`
would skip). Attendee addresses are percent-encoded into the mailto: URI;
an RRULE that does not parse, or carries control characters, is refused.

SEQUENCE (RFC 5545 3.8.7.4) must rise whenever an event changes, or calendar
clients keep the old version. A run needs no memory of its own for that: the
file it replaces is the version subscribers have. Each VEVENT carries a digest
of its content (`X-RTE-DIGEST`); `published_versions` reads SEQUENCE and
digest back from the previous file, and `render_ics` keeps the SEQUENCE of an
unchanged event and raises that of a changed one.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from urllib.parse import quote
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vRecur, vText

from art.model import ArtEvent

PRODID = "-//rte//ART calendar//EN"

# The stamp of an event when no time is given (tests, and files written before stamps
# were kept per event: an event carrying it is stamped anew).
DEFAULT_DTSTAMP = datetime(2000, 1, 1, tzinfo=UTC)

# RFC 5545 3.3.11: TEXT may hold any character but the controls; HTAB is allowed
# and a line break is written as "\n". (DEL and C1 are controls too.)
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Characters kept verbatim in the address part of a mailto: URI; the rest
# (whitespace, controls, quotes, ';', ',', ':', '%', non-ASCII...) is percent-encoded.
_MAILTO_SAFE = "@.!#$&'*+/=?^_`{|}~-"
# How far past the last date the VTIMEZONE spells out its transitions.
_TZ_MARGIN_YEARS = 2
_TZ_OPEN_ENDED_YEARS = 10


@dataclass(frozen=True, slots=True)
class PublishedVersion:
    """What a previously written file said about one event (by UID)."""

    sequence: int
    digest: str
    stamp: datetime | None = None  # its DTSTAMP, when that was a real revision time


def render_ics(
    events: Sequence[ArtEvent],
    *,
    calendar_name: str,
    tz: str,
    dtstamp: datetime | None = None,
    previous: Mapping[str, PublishedVersion] | None = None,
    organizer: str | None = None,
) -> bytes:
    """Render `events` as one VCALENDAR with a VTIMEZONE for `tz` (none if there are no events).

    Start, end and exception dates are written in `tz` with a TZID (naive
    datetimes are read as wall time in `tz`). `previous` (from
    `published_versions` of the file being replaced) sets each SEQUENCE: kept
    when the event is unchanged, one higher when it changed, 0 when new; and
    each DTSTAMP: kept when the event is unchanged, `dtstamp` otherwise.
    `organizer` is the address written as every event's ORGANIZER.
    Raises ValueError for an unknown `tz` or an unusable RRULE.
    """
    zone = _zone(tz)
    stamp = (dtstamp or DEFAULT_DTSTAMP).astimezone(UTC)

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("NAME", vText(clean_text(calendar_name)))
    calendar.add("X-WR-CALNAME", vText(clean_text(calendar_name)))
    calendar.add("X-WR-TIMEZONE", vText(tz))

    span = _span(events, zone)
    if span is not None:  # no event, no TZID to define
        first, last = span
        calendar.add_component(Timezone.from_tzinfo(zone, tz, first_date=first, last_date=last))
    for event in events:
        digest = event_digest(event, zone, organizer)
        known = (previous or {}).get(_uid(event))
        unchanged = known is not None and known.digest == digest
        kept = known.stamp if unchanged and known is not None else None
        vevent = _vevent(event, zone, kept or stamp)
        if organizer:
            address = vCalAddress(mailto(organizer))
            address.params["CN"] = vText(clean_text(calendar_name).replace("\n", " "))
            vevent.add("ORGANIZER", address)
        sequence = 0 if known is None else known.sequence + (not unchanged)
        vevent.add("SEQUENCE", sequence)
        vevent.add("X-RTE-DIGEST", digest)
        calendar.add_component(vevent)
    return calendar.to_ical()


def published_versions(data: bytes) -> dict[str, PublishedVersion]:
    """SEQUENCE and content digest of every event in a file `render_ics` wrote, by UID.

    Events without a digest (a file from elsewhere) count as changed. Raises
    ValueError when `data` is not an iCalendar file.
    """
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValueError(f"not an iCalendar file: {exc}") from None
    versions: dict[str, PublishedVersion] = {}
    for vevent in calendar.walk("VEVENT"):
        if "UID" in vevent:
            stamp = vevent.get("DTSTAMP")
            moment = getattr(stamp, "dt", None)
            kept = moment if isinstance(moment, datetime) and moment != DEFAULT_DTSTAMP else None
            versions[str(vevent["UID"])] = PublishedVersion(
                sequence=int(vevent.get("SEQUENCE", 0)),
                digest=str(vevent.get("X-RTE-DIGEST", "")),
                stamp=kept,
            )
    return versions


def event_digest(event: ArtEvent, zone: tzinfo, organizer: str | None = None) -> str:
    """A short fingerprint of everything the file says about the event (DTSTAMP aside)."""
    content = {
        "key": event.key,
        "title": clean_text(event.title),
        "start": _local(event.start, zone).isoformat(),
        "end": _local(event.end, zone).isoformat(),
        "zone": str(zone),
        "description": clean_text(event.description),
        "location": clean_text(event.location),
        "attendees": [mailto(attendee) for attendee in event.attendees],
        "rrule": event.rrule,
        "exdates": sorted(_local(moment, zone).isoformat() for moment in event.exdates),
    }
    if organizer:  # absent otherwise, so a calendar without one keeps its digests
        content["organizer"] = mailto(organizer)
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def clean_text(text: str) -> str:
    """Text as RFC 5545 TEXT may carry it: line breaks as LF, no other controls."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TEXT_CONTROLS.sub("", text)


def mailto(address: str) -> str:
    """A mailto: URI for an attendee; anything unusual is percent-encoded, not dropped."""
    address = address.strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    return "mailto:" + quote(address, safe=_MAILTO_SAFE)


def parse_rrule(rrule: str) -> vRecur:
    """An RRULE value ("FREQ=WEEKLY;BYDAY=TU", with or without "RRULE:") as icalendar's vRecur."""
    value = rrule.strip()
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :]
    if _ANY_CONTROL.search(value):
        raise ValueError(f"RRULE {rrule!r} contains control characters")
    try:
        recur = vRecur.from_ical(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"RRULE {rrule!r} is not a valid recurrence rule: {exc}") from None
    if "FREQ" not in recur:
        raise ValueError(f"RRULE {rrule!r} has no FREQ")
    return recur


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ValueError, OSError, LookupError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"unknown time zone {tz!r}") from exc


def _local(moment: datetime, zone: tzinfo) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _uid(event: ArtEvent) -> str:
    return clean_text(f"{event.key}@rte").replace("\n", " ")


def _vevent(event: ArtEvent, zone: tzinfo, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("UID", _uid(event))
    vevent.add("DTSTAMP", stamp.astimezone(UTC))
    vevent.add("DTSTART", _local(event.start, zone))
    vevent.add("DTEND", _local(event.end, zone))
    vevent.add("SUMMARY", clean_text(event.title))
    if event.description:
        vevent.add("DESCRIPTION", clean_text(event.description))
    if event.location:
        vevent.add("LOCATION", clean_text(event.location))
    for attendee in event.attendees:
        address = vCalAddress(mailto(attendee))
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
        vevent.add("ATTENDEE", address)
    if event.rrule:
        vevent.add("RRULE", parse_rrule(event.rrule))
    if event.exdates:
        vevent.add("EXDATE", sorted(_local(moment, zone) for moment in event.exdates))
    return vevent


def _span(events: Sequence[ArtEvent], zone: tzinfo) -> tuple[date, date] | None:
    """The dates the VTIMEZONE must cover: Jan 1 of the first year to a margin past the last."""
    moments: list[datetime] = []
    open_ended = False
    for event in events:
        moments += [_local(event.start, zone), _local(event.end, zone)]
        moments += [_local(moment, zone) for moment in event.exdates]
        if event.rrule:
            until = parse_rrule(event.rrule).get("UNTIL")
            if until:
                moments += [_as_datetime(value, zone) for value in until]
            else:  # COUNT or endless: finding the last occurrence is not worth it
                open_ended = True
    if not moments:
        return None
    margin = _TZ_OPEN_ENDED_YEARS if open_ended else _TZ_MARGIN_YEARS
    first_year = min(moment.year for moment in moments)
    last_year = max(moment.year for moment in moments) + margin
    return date(first_year, 1, 1), date(last_year, 1, 1)


def _as_datetime(value: date | datetime, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return _local(value, zone)
    return datetime(value.year, value.month, value.day, tzinfo=zone)
