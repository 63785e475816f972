"""ART events as Microsoft Graph events, and the plan that makes a calendar match them.

Graph hands an event back in another shape than it was written: start and
end in UTC with seven fractional digits, the body wrapped in HTML, the
recurrence filled out with defaults. Comparing those fields with ours would
rewrite every event on every run. So every event we write carries two
single-value extended properties: our stable key (what the event is) and a
digest of the JSON we wrote (what it should look like). A differing digest
means the plan changed: the event is updated. An equal digest means rte has
nothing new to say, but a person may still have edited the event in Outlook:
`connectors.outlook_drift` compares the fields rte owns as Graph returns
them, and such drift is reported, or with `on_drift="restore"` put back by
the same kind of update an outdated event gets. An event without drift and with an
equal digest is left alone, so an unchanged event sends no update.

A series with holidays carries a third property, the dates of the holiday
occurrences rte cancelled (Graph returns `cancelledOccurrences` only when a
series master is read by id, never in a listing), so an unchanged series
costs no lookup.

Pure: no I/O here; `connectors.outlook` lists, plans with `plan_sync` and
applies.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from art.model import ArtEvent, Drift, check_drift_action
from connectors.outlook_drift import Observed, changes

# Our own property set: any fixed GUID works, it only has to be ours and never change.
PROPERTY_SET = "{3F0A4D5E-9B1C-4E7A-8D2F-6C5B4A3E2D1F}"
KEY_PROPERTY = f"String {PROPERTY_SET} Name rte.key"
DIGEST_PROPERTY = f"String {PROPERTY_SET} Name rte.digest"
HOLIDAYS_PROPERTY = f"String {PROPERTY_SET} Name rte.holidays"
# Bump when the mapping below changes, so every event is rewritten once in the new shape.
MAPPING_VERSION = "1"
_TRANSACTIONS = uuid.UUID("8c1e3f7a-2b4d-4c6e-9f0a-1b2c3d4e5f60")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_RRULE_DAYS = {
    "MO": "monday",
    "TU": "tuesday",
    "WE": "wednesday",
    "TH": "thursday",
    "FR": "friday",
    "SA": "saturday",
    "SU": "sunday",
}


@dataclass(frozen=True, slots=True)
class Desired:
    """An event as we want it in Graph: the JSON body and its digest."""

    event: ArtEvent
    payload: dict[str, Any]
    digest: str


@dataclass(frozen=True, slots=True)
class Existing:
    """One of our events as the calendar listing returned it."""

    id: str
    key: str
    digest: str | None
    has_attendees: bool
    cancelled: frozenset[date] = frozenset()  # dates of cancelled occurrences of a series
    ends: datetime | None = None  # UTC; None when unknown (an endless series)
    observed: Observed | None = None  # the owned fields as listed; None: not compared


@dataclass(frozen=True, slots=True)
class SyncPlan:
    """The minimal change: create, update, remove; and series whose holidays need cancelling."""

    create: tuple[Desired, ...]
    update: tuple[tuple[Existing, Desired], ...]
    remove: tuple[Existing, ...]
    unchanged: tuple[Existing, ...]
    repair: tuple[tuple[Existing, Desired], ...]  # unchanged, but holidays not all cancelled
    past: int = 0  # planned events already over: neither created nor changed
    drift: tuple[Drift, ...] = ()  # events a person changed, restored or only reported

    @property
    def writes(self) -> int:
        return len(self.create) + len(self.update) + len(self.remove)


def desired(event: ArtEvent, tz: str) -> Desired:
    payload = graph_payload(event, tz)
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = MAPPING_VERSION + ":" + hashlib.sha256(canonical.encode()).hexdigest()
    return Desired(event, payload, digest)


def plan_sync(
    events: Sequence[ArtEvent],
    existing: Iterable[Existing],
    *,
    tz: str,
    scopes: Sequence[str],
    since: datetime | None = None,
    on_drift: str = "report",
) -> SyncPlan:
    """What to do so the calendar holds exactly `events`.

    Only existing events whose key starts with one of `scopes` (the PIs
    being synced) are touched. Events that ended before `since` are history:
    a planned one is neither created nor changed, an existing one is not
    cancelled. A key found twice (a copied event, say) keeps its first event.
    An event a person changed is a `Drift`: with `on_drift="restore"` it is
    updated (planned values back, same event), with "report" left as it is.
    Drift is seen where the plan is unchanged (what rte wrote is then what it
    plans); an event whose plan changed is updated anyway, and the update
    carries every owned field, whatever a person did to the event.
    """
    check_drift_action(on_drift)
    wanted = {event.key: desired(event, tz) for event in events}
    found: dict[str, Existing] = {}
    duplicates: list[Existing] = []
    for item in existing:
        if not item.key.startswith(tuple(scopes)):
            continue
        if item.key in found:
            duplicates.append(item)
        else:
            found[item.key] = item
    create, update, unchanged, repair = [], [], [], []
    drift: list[Drift] = []
    past = 0
    for key, want in wanted.items():
        have = found.get(key)
        if _over(event_end(want.event), since):
            past += 1
            continue
        outdated = have is not None and have.digest != want.digest
        edited: tuple[str, ...] = ()
        if have is not None and have.observed is not None and not outdated:
            edited = changes(want.payload, have.observed, tz)  # what rte wrote is the plan
        if edited:
            drift.append(Drift(key, key, "Outlook", edited, on_drift == "restore"))
        if have is None:
            create.append(want)
        elif outdated or (edited and on_drift == "restore"):
            update.append((have, want))
        else:
            unchanged.append(have)
            if holiday_dates(want.event, tz) - have.cancelled:
                repair.append((have, want))
    stale = [item for key, item in found.items() if key not in wanted] + duplicates
    remove = [item for item in stale if not _over(item.ends, since)]
    return SyncPlan(
        create=tuple(create),
        update=tuple(update),
        remove=tuple(remove),
        unchanged=tuple(unchanged),
        repair=tuple(repair),
        past=past,
        drift=tuple(drift),
    )


def graph_payload(event: ArtEvent, tz: str) -> dict[str, Any]:
    """The Graph event JSON for `event`, times as wall-clock time in `tz`."""
    zone = ZoneInfo(tz)
    payload: dict[str, Any] = {
        "subject": one_line(event.title),
        "body": {"contentType": "text", "content": text(event.description)},
        "start": _wall_time(event.start, zone, tz),
        "end": _wall_time(event.end, zone, tz),
        "location": {"displayName": one_line(event.location)},
        "attendees": [
            {"emailAddress": {"address": address}, "type": "required"}
            for address in event.attendees
        ],
        "isOnlineMeeting": event.online_meeting,
        "recurrence": graph_recurrence(event, zone, tz) if event.rrule else None,
    }
    if event.online_meeting:
        payload["onlineMeetingProvider"] = "teamsForBusiness"
    return payload


def create_body(want: Desired) -> dict[str, Any]:
    """POST body: the payload, our two properties, and a transactionId that makes a retry safe."""
    transaction = uuid.uuid5(_TRANSACTIONS, f"{want.event.key}\n{want.digest}")
    return {**want.payload, **_properties(want), "transactionId": str(transaction)}


def patch_body(want: Desired) -> dict[str, Any]:
    """PATCH body: the payload and our properties; a series' holiday mark is cleared, because
    a patch that changes its timing drops its cancelled occurrences (they are cancelled, and
    marked, again afterwards)."""
    body = {**want.payload, **_properties(want)}
    if want.payload.get("recurrence"):
        body["singleValueExtendedProperties"].append({"id": HOLIDAYS_PROPERTY, "value": ""})
    return body


def holidays_mark(days: Iterable[date]) -> dict[str, Any]:
    """PATCH body that records which holiday occurrences of a series rte has cancelled."""
    value = ",".join(sorted({day.isoformat() for day in days}))
    return {"singleValueExtendedProperties": [{"id": HOLIDAYS_PROPERTY, "value": value}]}


def marked_holidays(value: str | None) -> frozenset[date]:
    """The dates a holiday mark holds ("2026-12-25,2027-01-06"); unreadable parts are skipped."""
    found = set()
    for part in (value or "").split(","):
        try:
            found.add(date.fromisoformat(part.strip()))
        except ValueError:
            continue
    return frozenset(found)


def graph_recurrence(event: ArtEvent, zone: ZoneInfo, tz: str) -> dict[str, Any]:
    """The RRULE of `event` as a Graph patternedRecurrence (weekly or daily rules only)."""
    rule = parse_rrule(event.rrule or "")
    frequency = rule.get("FREQ")
    if frequency not in ("WEEKLY", "DAILY"):
        raise ValueError(f"event {event.key}: Outlook sync supports weekly and daily series only")
    unsupported = set(rule) - {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT", "WKST"}
    if unsupported:
        raise ValueError(f"event {event.key}: RRULE parts {sorted(unsupported)} are not supported")
    start = event.start.astimezone(zone)
    pattern: dict[str, Any] = {"type": frequency.lower(), "interval": int(rule.get("INTERVAL", 1))}
    if frequency == "WEEKLY":
        days = rule.get("BYDAY", list(_RRULE_DAYS)[start.weekday()]).split(",")
        pattern["daysOfWeek"] = [_RRULE_DAYS[day] for day in days]
        pattern["firstDayOfWeek"] = _RRULE_DAYS[rule.get("WKST", "MO")]
    span: dict[str, Any] = {"startDate": start.date().isoformat(), "recurrenceTimeZone": tz}
    if "UNTIL" in rule:
        span |= {"type": "endDate", "endDate": _until(rule["UNTIL"], zone).isoformat()}
    elif "COUNT" in rule:
        span |= {"type": "numbered", "numberOfOccurrences": int(rule["COUNT"])}
    else:
        span["type"] = "noEnd"
    return {"pattern": pattern, "range": span}


def parse_rrule(rrule: str) -> dict[str, str]:
    value = rrule.strip().removeprefix("RRULE:")
    try:
        return dict(part.split("=", 1) for part in value.upper().split(";") if part)  # type: ignore[misc]
    except ValueError:
        raise ValueError(f"not a recurrence rule: {rrule!r}") from None


def event_end(event: ArtEvent) -> datetime | None:
    """When the event (the last occurrence of a series) ends; None for an endless series."""
    if not event.rrule:
        return event.end
    until = parse_rrule(event.rrule).get("UNTIL")
    return None if until is None else _until_moment(until) + (event.end - event.start)


def holiday_dates(event: ArtEvent, tz: str) -> frozenset[date]:
    """The dates (in the ART's zone) of the occurrences the series must not have."""
    zone = ZoneInfo(tz)
    return frozenset(moment.astimezone(zone).date() for moment in event.exdates)


def one_line(value: str) -> str:
    """Text for a one-line field (subject, location): breaks and controls become spaces."""
    return " ".join(_CONTROLS.sub(" ", value).split())


def text(value: str) -> str:
    """Text for a body: line breaks as LF, other control characters removed."""
    return _TEXT_CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _properties(want: Desired) -> dict[str, Any]:
    return {
        "singleValueExtendedProperties": [
            {"id": KEY_PROPERTY, "value": want.event.key},
            {"id": DIGEST_PROPERTY, "value": want.digest},
        ]
    }


def _wall_time(moment: datetime, zone: ZoneInfo, tz: str) -> dict[str, str]:
    local = moment.astimezone(zone) if moment.tzinfo else moment
    return {"dateTime": local.strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": tz}


def _until(value: str, zone: ZoneInfo) -> date:
    """The local date of an RRULE UNTIL (a UTC date-time "20261208T090000Z" or a date)."""
    if "T" in value:
        return _until_moment(value).astimezone(zone).date()
    return datetime.strptime(value, "%Y%m%d").date()


def _until_moment(value: str) -> datetime:
    """An RRULE UNTIL as a UTC instant (a bare date counts to the end of that day)."""
    if "T" in value:
        return datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    return datetime.combine(datetime.strptime(value, "%Y%m%d").date(), time.max, tzinfo=UTC)


def _over(ends: datetime | None, since: datetime | None) -> bool:
    return since is not None and ends is not None and ends < since
