"""Drift: the fields rte owns in an Outlook event, compared with what Graph hands back.

A person can change an event in Outlook without touching rte's digest
property, so a reconcile that compares digests only never sees the edit.
This module reads the owned fields out of the event as Graph returns it and
compares them with the JSON rte would write, field by field, in Graph's own
terms (see `tests/contracts/README.md`):

- start and end come back in UTC with seven fractional digits (or, with a
  `Prefer: outlook.timezone` header, in that zone): compared as instants;
- the time zone rte wrote is `originalStartTimeZone`; Exchange may answer
  with a Windows zone name, which cannot be compared with an IANA name here
  and is then left alone;
- the body comes back wrapped in HTML (and, for an online meeting, with a
  Teams block after a line of underscores): compared as text, whitespace
  folded;
- the recurrence comes back filled out with defaults: only the members rte
  wrote are compared;
- attendees come back with names and response status: compared by address
  (case-insensitively) and type.

Pure: no I/O. `connectors.outlook` lists with these fields `$select`ed and
`connectors.outlook_events.plan_sync` asks `changes` what differs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# What a listing must $select so that `observed` can read every owned field.
OWNED_FIELDS = (
    "subject",
    "body",
    "start",
    "end",
    "originalStartTimeZone",
    "location",
    "attendees",
    "isOnlineMeeting",
    "onlineMeetingProvider",
    "recurrence",
)
_BLOCKS = re.compile(r"(?is)<(head|style|script)\b.*?</\1\s*>")
_BREAKS = re.compile(r"(?i)<br\s*/?>|</(p|div|li|tr)\s*>")
_TAGS = re.compile(r"<[^>]*>")
_TEAMS_RULE = re.compile(r"_{10,}")  # the line Outlook puts above a Teams meeting's join block


@dataclass(frozen=True, slots=True)
class Observed:
    """The owned fields of one event as Graph returned them, normalised for comparing."""

    subject: str
    start: datetime | None  # UTC
    end: datetime | None  # UTC
    zone: str | None  # the zone the event was written in, when Graph names an IANA zone
    location: str
    body: str  # text, whitespace folded
    attendees: frozenset[tuple[str, str]]  # (address, type), address case-folded
    online: bool
    provider: str | None
    recurrence: Mapping[str, Any] | None


def observed(event: Mapping[str, Any]) -> Observed | None:
    """The owned fields of a listed event; None when the listing did not select them."""
    if "subject" not in event or "start" not in event:
        return None
    online = bool(event.get("isOnlineMeeting"))
    body = event.get("body") or {}
    return Observed(
        subject=str(event.get("subject") or ""),
        start=instant(event.get("start")),
        end=instant(event.get("end")),
        zone=_iana(event.get("originalStartTimeZone")),
        location=str((event.get("location") or {}).get("displayName") or ""),
        body=body_text(str(body.get("content") or ""), str(body.get("contentType") or ""), online),
        attendees=frozenset(
            (str(attendee["emailAddress"]["address"]).casefold(), str(attendee.get("type") or ""))
            for attendee in event.get("attendees") or []
            if (attendee.get("emailAddress") or {}).get("address")
        ),
        online=online,
        provider=event.get("onlineMeetingProvider"),
        recurrence=event.get("recurrence"),
    )


def changes(payload: Mapping[str, Any], found: Observed, tz: str) -> tuple[str, ...]:
    """What differs between the JSON rte would write and the event as found, one line a field.

    Each line says what rte planned and what the event holds now, with times
    in the ART's zone `tz`, e.g. "start: 2026-10-16 14:00 -> 2026-10-16 16:00".
    """
    zone = ZoneInfo(tz)
    found_lines: list[str] = []
    if payload["subject"] != found.subject:
        found_lines.append(f"subject: {payload['subject']!r} -> {found.subject!r}")
    for name in ("start", "end"):
        planned = instant(payload[name])
        actual = getattr(found, name)
        if planned != actual:
            found_lines.append(f"{name}: {_shown(planned, zone)} -> {_shown(actual, zone)}")
    written_zone = payload["start"]["timeZone"]
    if found.zone is not None and found.zone != written_zone:
        found_lines.append(f"time zone: {written_zone} -> {found.zone}")
    location = payload["location"]["displayName"]
    if _folded(location) != _folded(found.location):
        found_lines.append(f"location: {location!r} -> {found.location!r}")
    if _folded(payload["body"]["content"]) != found.body:
        found_lines.append("body: the description was edited")
    attendees = frozenset(
        (item["emailAddress"]["address"].casefold(), item["type"]) for item in payload["attendees"]
    )
    if attendees != found.attendees:
        added = sorted(address for address, _ in found.attendees - attendees)
        removed = sorted(address for address, _ in attendees - found.attendees)
        parts = [f"added {', '.join(added)}"] if added else []
        parts += [f"removed {', '.join(removed)}"] if removed else []
        found_lines.append("attendees: " + ("; ".join(parts) or "types changed"))
    if bool(payload["isOnlineMeeting"]) != found.online:
        found_lines.append(f"online meeting: {payload['isOnlineMeeting']} -> {found.online}")
    elif found.online and payload.get("onlineMeetingProvider") not in (None, found.provider):
        found_lines.append(
            f"online meeting provider: {payload['onlineMeetingProvider']} -> {found.provider}"
        )
    recurrence = _recurrence_changes(payload.get("recurrence"), found.recurrence)
    if recurrence:
        found_lines.append(f"recurrence: {recurrence}")
    return tuple(found_lines)


def instant(moment: Any) -> datetime | None:
    """A Graph dateTimeTimeZone as a UTC instant ("2026-10-16T12:00:00.0000000", "UTC")."""
    if not isinstance(moment, Mapping) or not moment.get("dateTime"):
        return None
    wall = datetime.fromisoformat(str(moment["dateTime"])[:19])
    zone = _iana(moment.get("timeZone")) or "UTC"
    return wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def body_text(content: str, content_type: str, online: bool) -> str:
    """The text a body shows, whitespace folded: HTML tags, head and Teams block removed."""
    text = content
    if content_type.lower() == "html":
        text = _TAGS.sub("", _BREAKS.sub("\n", _BLOCKS.sub("", text)))
        text = html.unescape(text)
    if online:
        text = _TEAMS_RULE.split(text, maxsplit=1)[0]
    return _folded(text)


def _recurrence_changes(planned: Mapping[str, Any] | None, found: Mapping[str, Any] | None) -> str:
    """The members rte wrote that Graph holds otherwise (defaults it filled in are not)."""
    if not planned or not found:
        if bool(planned) == bool(found):
            return ""
        return "the event became a series" if found else "the series became a single event"
    differing = []
    for part in ("pattern", "range"):
        written = planned.get(part) or {}
        held = found.get(part) or {}
        for name, value in written.items():
            if name == "recurrenceTimeZone" and _iana(held.get(name)) is None:
                continue  # a Windows zone name: cannot be compared
            if _comparable(value) != _comparable(held.get(name)):
                differing.append(f"{part}.{name} {value!r} -> {held.get(name)!r}")
    return "; ".join(differing)


def _comparable(value: Any) -> Any:
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return sorted(_comparable(item) for item in value)
    return value


def _iana(name: Any) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def _folded(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _shown(moment: datetime | None, zone: ZoneInfo) -> str:
    return "none" if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
