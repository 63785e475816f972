"""A stateful stand-in for the slice of Microsoft Graph v1.0 that `rte` uses.

Mailbox calendars (`/users/{id}/events`, `/users/{id}/calendar/events`,
`/users/{id}/calendars/{id}/events`): create (with `transactionId`
de-duplication), list (`$filter` on a single-value extended property with
`eq`/`startswith`/`contains`, `$expand` of those properties, `$select`,
`$top` paging with `@odata.nextLink`), get, patch, `cancel` (with a comment),
delete, `instances` of a series (occurrences can be cancelled or deleted);
`$batch` of at most 20 requests, answered in a shuffled order, where each item
can get its own injected fault (a `Fault` whose path matches the item's URL,
e.g. 429 with Retry-After); and `sendMail`.

Injected faults (`FakeServer.inject`) follow Graph's meaning: a 429 or 503 is
answered before the request is processed, while a dropped connection or a
cut-off body happens after it was (the answer was lost, not the request).

It answers the way Graph does, not the way it was written to: start and end
in UTC with seven fractional digits, a text body wrapped in HTML, the
recurrence filled out with defaults, extended-property ids with a lower-case
GUID. Request bodies are checked against the event type of the contract
subset (an unknown property is a 400), and a series whose timing is patched
loses its cancelled occurrences, as in Exchange.

Where the documentation says more than the CSDL, the fake follows the
documentation:

- `cancelledOccurrences` ("Contains occurrenceId property values of cancelled
  instances in a recurring series, if the event is the series master ...
  Returned only on $select in a Get operation which specifies the id of a
  series master event"): Microsoft Graph v1.0, "event resource type",
  https://learn.microsoft.com/en-us/graph/api/resources/event?view=graph-rest-1.0
  (the same text is the property's description in the Graph SDKs). So a
  listing never carries it; `GET .../events/{id}?$select=cancelledOccurrences`
  of a series master does.
- `Prefer: outlook.timezone="..."` ("For all GET operations that return
  events, you can use the Prefer: outlook.timezone header to specify the time
  zone for the event start and end times in the response"; without it they
  are in UTC): "Get event", https://learn.microsoft.com/en-us/graph/api/event-get
  (the fake knows IANA zone names and "UTC", not Windows ones).
- A PATCH is a meeting update for the attendees ("Update event",
  https://learn.microsoft.com/en-us/graph/api/event-update, says which
  attendees an attendees-only update reaches, and nothing of updates that
  attendees are spared): the fake counts every PATCH of an event with
  attendees as an update notice, an extended-property-only PATCH included,
  the costlier reading of what the page leaves open.

A person editing an event in Outlook is `edit_event`: the fields change, rte's
extended properties stay as they were.

Tests read its state: `events(mailbox)`, `notices` (the invitations, updates
and cancellations attendees would get), `sent_mail`, `item_log` (every batch
item) and the base class's request log.
"""

from __future__ import annotations

import base64
import copy
import html
import itertools
import json
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from tests.fakes.graph_contract import problems
from tests.fakes.server import FakeServer, Fault, Logged, Request, Response

V1 = "/v1.0"
MAX_BATCH = 20
DEFAULT_PAGE = 10  # Graph's default page size for events
MAX_PAGE = 1000
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_GUID = re.compile(r"\{[0-9a-fA-F-]{36}\}")
_PROPERTY_FILTER = re.compile(
    r"^singleValueExtendedProperties/any\(ep:\s*ep/id eq '(?P<id>(?:[^']|'')+)'\s+and\s+"
    r"(?:ep/value (?P<op>eq) '(?P<value>(?:[^']|'')*)'"
    r"|(?P<fn>startswith|contains)\(ep/value,\s*'(?P<arg>(?:[^']|'')*)'\))\)$",
    re.IGNORECASE,
)
_EXPAND = re.compile(r"^singleValueExtendedProperties\(\$filter=(?P<clauses>.+)\)$", re.IGNORECASE)
_EXPAND_ID = re.compile(r"id eq '((?:[^']|'')+)'", re.IGNORECASE)
_FAULT_CODES = {429: "TooManyRequests", 503: "ServiceUnavailable", 504: "GatewayTimeout"}
_READ_ONLY = {"id", "createdDateTime", "lastModifiedDateTime", "changeKey", "type", "iCalUId"}


def property_id(raw: str) -> str:
    """An extended-property id as Graph hands it back: the GUID in lower case."""
    return _GUID.sub(lambda match: match.group(0).lower(), raw)


@dataclass(frozen=True)
class Notice:
    """What an attendee's inbox would get: an invitation, an update or a cancellation."""

    kind: str  # "invite" | "update" | "cancel" | "cancel-occurrence"
    event_id: str
    subject: str
    recipients: tuple[str, ...]
    comment: str = ""
    occurrence: date | None = None


@dataclass
class StoredEvent:
    id: str
    mailbox: str
    calendar: str
    data: dict[str, Any]
    properties: dict[str, str]  # extended-property id (lower-case GUID) -> value
    created: datetime
    modified: datetime
    cancelled: set[date] = field(default_factory=set)
    version: int = 1

    def attendees(self) -> tuple[str, ...]:
        return tuple(
            attendee["emailAddress"]["address"] for attendee in self.data.get("attendees") or []
        )


class GraphFake(FakeServer):
    """Graph v1.0 events and sendMail for the listed mailboxes, behind a static bearer token."""

    def __init__(
        self,
        *,
        mailboxes: tuple[str, ...] = ("art-calendar@example.com",),
        token: str = "fake-graph-token",
        latency: float = 0.0,
        seed: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(latency=latency, seed=seed, tls=tls)
        self.token = token
        self.calendars = {box.lower(): {"calendar-main": "Calendar"} for box in mailboxes}
        self.stored: dict[str, StoredEvent] = {}
        self.transactions: dict[tuple[str, str], str] = {}
        self.notices: list[Notice] = []
        self.sent_mail: list[dict[str, Any]] = []
        self.item_log: list[Logged] = []
        self._held = threading.local()
        self._ids = itertools.count(1)
        self._clock = itertools.count(1)
        self._routes_for_events()

    # -- faults: a throttled request is not processed --------------------------
    def _answer(self, request: Request) -> tuple[str, Response]:
        """Take the request's fault first: Graph's 429 and 503 mean "not done", so a status
        fault skips the handler (the base class would run it, then replace the answer).
        Other faults (a dropped connection, a cut body) still hit a request that was done."""
        fault = super()._pending_fault(request.method, request.path)
        self._held.fault = fault
        if fault is not None and fault.kind == "status":
            return self._route_name(request), Response(fault.status)
        return super()._answer(request)

    def _pending_fault(self, method: str, path: str) -> Fault | None:
        """The fault `_answer` took for this request (the base class asks right after it)."""
        fault, self._held.fault = getattr(self._held, "fault", None), None
        return fault

    def _route_name(self, request: Request) -> str:
        for method, regex, name, _ in self._routes:
            if method == request.method and regex.match(request.path):
                return name
        return f"{request.method} (no route)"

    # -- test helpers -------------------------------------------------------
    def add_calendar(self, mailbox: str, calendar_id: str, name: str) -> None:
        self.calendars[mailbox.lower()][calendar_id] = name

    def events(self, mailbox: str | None = None) -> list[StoredEvent]:
        with self.lock:
            return [
                event
                for event in self.stored.values()
                if mailbox is None or event.mailbox == mailbox.lower()
            ]

    def event_json(self, event_id: str) -> dict[str, Any]:
        """The event as a GET that `$expand`s all its extended properties returns it."""
        with self.lock:
            event = self.stored[event_id]
            return self._render(event, expand={p.lower() for p in event.properties}, select=None)

    def edit_event(self, event_id: str, **fields: Any) -> StoredEvent:
        """A person edits the event in Outlook: `fields` (Graph names, e.g. subject, start,
        body) replace the stored ones; rte's extended properties are left as they were."""
        with self.lock:
            event = self.stored[event_id]
            if any(name in fields for name in ("start", "end", "recurrence")):
                event.cancelled.clear()
            event.data.update(copy.deepcopy(fields))
            event.modified = self._now()
            event.version += 1
            return event

    def notices_of(self, kind: str) -> list[Notice]:
        return [notice for notice in self.notices if notice.kind == kind]

    def reset_log(self) -> None:
        with self.lock:
            super().reset_log()
            self.item_log.clear()
            self.notices.clear()

    def batch_count(self) -> int:
        return self.count(f"POST {V1}/\\$batch")

    # -- routing ------------------------------------------------------------
    def _routes_for_events(self) -> None:
        lists = (
            f"{V1}/users/{{user}}/events",
            f"{V1}/users/{{user}}/calendar/events",
            f"{V1}/users/{{user}}/calendars/{{calendar}}/events",
        )
        for prefix in lists:
            self.route("GET", prefix, self._guarded(self._list))
            self.route("POST", prefix, self._guarded(self._create))
            self.route("GET", prefix + "/{event}", self._guarded(self._get))
            self.route("PATCH", prefix + "/{event}", self._guarded(self._patch))
            self.route("DELETE", prefix + "/{event}", self._guarded(self._delete))
            self.route("POST", prefix + "/{event}/cancel", self._guarded(self._cancel))
            self.route("GET", prefix + "/{event}/instances", self._guarded(self._instances))
        self.route("POST", f"{V1}/users/{{user}}/sendMail", self._guarded(self._send_mail))
        self.route("POST", f"{V1}/\\$batch", self._authorised(self._batch))

    def _authorised(self, handler: Any) -> Any:
        def answer(request: Request, **params: str) -> Response:
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return _error(
                    401, "InvalidAuthenticationToken", "Access token is empty or invalid."
                )
            return handler(request, **params)

        return answer

    def _guarded(self, handler: Any) -> Any:
        """Authorisation, then the mailbox and calendar named in the path must exist."""

        def answer(
            request: Request, user: str, calendar: str | None = None, **params: str
        ) -> Response:
            mailbox = unquote(user).lower()  # the SDK sends "@" as %40
            if mailbox not in self.calendars:
                return _error(404, "ErrorInvalidUser", "The requested user is invalid.")
            calendar_id = unquote(calendar) if calendar is not None else "calendar-main"
            if calendar_id not in self.calendars[mailbox]:
                return _error(404, "ErrorItemNotFound", "The specified object was not found.")
            ids = {name: unquote(value) for name, value in params.items()}
            return handler(request, mailbox=mailbox, calendar=calendar_id, **ids)

        return self._authorised(answer)

    # -- events -------------------------------------------------------------
    def _list(self, request: Request, mailbox: str, calendar: str) -> Response:
        try:
            matches = _filter(request.arg("$filter"))
            expand = _expanded_ids(request.arg("$expand"))
        except ValueError as exc:
            return _error(400, "BadRequest", str(exc))
        select = _selected(request.arg("$select"))
        found = [
            event
            for event in self.stored.values()
            if event.mailbox == mailbox and event.calendar == calendar and matches(event.properties)
        ]
        zone = _preferred_zone(request)
        rendered = [self._render(event, expand=expand, select=select, zone=zone) for event in found]
        body = self._page(request, rendered)
        body["@odata.context"] = f"{self.url}{V1}/$metadata#users('{mailbox}')/events"
        return Response(200, body)

    def _create(self, request: Request, mailbox: str, calendar: str) -> Response:
        body = request.json()
        invalid = _invalid_event(body)
        if invalid:
            return invalid
        transaction = body.get("transactionId")
        if transaction and (mailbox, transaction) in self.transactions:
            existing = self.stored.get(self.transactions[(mailbox, transaction)])
            if existing is not None:  # a retried create: the first one's event, nothing new
                return Response(201, self._render(existing, expand=None, select=None))
        now = self._now()
        event = StoredEvent(
            id=_opaque("AAMkAGEvent", next(self._ids)),
            mailbox=mailbox,
            calendar=calendar,
            data={k: v for k, v in body.items() if k != "singleValueExtendedProperties"},
            properties={},
            created=now,
            modified=now,
        )
        _set_properties(event, body)
        self.stored[event.id] = event
        if transaction:
            self.transactions[(mailbox, transaction)] = event.id
        self._notify("invite", event)
        return Response(201, self._render(event, expand=None, select=None))

    def _get(self, request: Request, mailbox: str, calendar: str, event: str) -> Response:
        stored = self._find(mailbox, event)
        if stored is None:
            return _not_found()
        expand = _expanded_ids(request.arg("$expand"))
        select = _selected(request.arg("$select"))
        rendered = self._render(stored, expand=expand, select=select, zone=_preferred_zone(request))
        if (
            select is not None
            and "cancelledOccurrences" in select
            and stored.data.get("recurrence")
        ):
            # documented as returned only here: a GET of a series master by id, on $select
            rendered["cancelledOccurrences"] = [
                f"OID.{stored.id}.{day.isoformat()}" for day in sorted(stored.cancelled)
            ]
        return Response(200, rendered)

    def _patch(self, request: Request, mailbox: str, calendar: str, event: str) -> Response:
        stored = self._find(mailbox, event)
        if stored is None:
            return _not_found()
        body = request.json()
        invalid = _invalid_event(body)
        if invalid:
            return invalid
        if "transactionId" in body and body["transactionId"] != stored.data.get("transactionId"):
            return _error(400, "ErrorInvalidRequest", "transactionId cannot be changed.")
        timing = ("start", "end", "recurrence")
        if any(name in body and body[name] != stored.data.get(name) for name in timing):
            stored.cancelled.clear()  # Exchange drops a series' exceptions when its timing changes
        stored.data.update({k: v for k, v in body.items() if k != "singleValueExtendedProperties"})
        _set_properties(stored, body)
        stored.modified = self._now()
        stored.version += 1
        self._notify("update", stored)
        return Response(200, self._render(stored, expand=None, select=None))

    def _delete(self, request: Request, mailbox: str, calendar: str, event: str) -> Response:
        return self._remove(mailbox, event, comment="", status=204)

    def _cancel(self, request: Request, mailbox: str, calendar: str, event: str) -> Response:
        body = {name.lower(): value for name, value in (request.json() or {}).items()}
        return self._remove(mailbox, event, comment=str(body.get("comment") or ""), status=202)

    def _remove(self, mailbox: str, event_id: str, comment: str, status: int) -> Response:
        occurrence = _occurrence_of(event_id)
        if occurrence is not None:
            series_id, day = occurrence
            series = self._find(mailbox, series_id)
            if (
                series is None
                or day not in _occurrence_dates(series.data)
                or day in series.cancelled
            ):
                return _not_found()
            series.cancelled.add(day)
            self._notify("cancel-occurrence", series, comment=comment, occurrence=day)
            return Response(status)
        stored = self._find(mailbox, event_id)
        if stored is None:
            return _not_found()
        del self.stored[stored.id]
        self._notify("cancel", stored, comment=comment)
        return Response(status)

    def _instances(self, request: Request, mailbox: str, calendar: str, event: str) -> Response:
        series = self._find(mailbox, event)
        if series is None:
            return _not_found()
        try:
            window_start = _parse_instant(request.arg("startDateTime"))
            window_end = _parse_instant(request.arg("endDateTime"))
        except (TypeError, ValueError):
            return _error(
                400, "ErrorInvalidParameter", "startDateTime and endDateTime are required."
            )
        occurrences = [
            self._occurrence_json(series, day, _preferred_zone(request))
            for day in _occurrence_dates(series.data)
            if day not in series.cancelled
            and window_start <= _utc(series.data["start"], day) < window_end
        ]
        return Response(200, self._page(request, occurrences))

    def _page(self, request: Request, items: list[dict[str, Any]]) -> dict[str, Any]:
        """One page of `items` by `$top` (default 10, as Graph) and `$skip`, with a nextLink."""
        top = min(int(request.arg("$top") or DEFAULT_PAGE), MAX_PAGE)
        skip = int(request.arg("$skip") or 0)
        body: dict[str, Any] = {"value": items[skip : skip + top]}
        if skip + top < len(items):
            query = {name: values[0] for name, values in request.query.items()}
            query["$skip"] = str(skip + top)
            body["@odata.nextLink"] = f"{self.url}{request.path}?{urlencode(query)}"
        return body

    # -- mail ---------------------------------------------------------------
    def _send_mail(self, request: Request, mailbox: str, calendar: str) -> Response:
        body = {name.lower(): value for name, value in (request.json() or {}).items()}
        message = body.get("message")
        if not isinstance(message, dict):
            return _error(400, "ErrorInvalidRequest", "The message is missing.")
        message = {name[:1].lower() + name[1:]: value for name, value in message.items()}
        recipients = message.get("toRecipients") or []
        if not recipients:
            return _error(400, "ErrorInvalidRecipients", "At least one recipient is not valid.")
        self.sent_mail.append({"from": mailbox, **message})
        return Response(202)

    # -- $batch -------------------------------------------------------------
    def _batch(self, request: Request) -> Response:
        requests = (request.json() or {}).get("requests")
        if not isinstance(requests, list) or not requests:
            return _error(400, "BadRequest", "Invalid batch payload format.")
        if len(requests) > MAX_BATCH:
            return _error(400, "BadRequest", f"The number of batch requests exceeds {MAX_BATCH}.")
        ids = [item.get("id") for item in requests]
        if len(set(ids)) != len(ids) or not all(isinstance(i, str) and i for i in ids):
            return _error(400, "BadRequest", "Batch request ids must be unique, non-empty strings.")
        responses = [self._batch_item(request, item) for item in requests]
        self._random.shuffle(responses)  # Graph answers in any order
        return Response(200, {"responses": responses})

    def _batch_item(self, outer: Request, item: dict[str, Any]) -> dict[str, Any]:
        url = str(item.get("url") or "")
        method = str(item.get("method") or "").upper()
        if not url.startswith("/"):
            return _item(
                item["id"], _error(400, "BadRequest", "Invalid request URL: must be relative.")
            )
        parts = urlsplit(url)
        path = V1 + parts.path
        body = item.get("body")
        inner = Request(
            method=method,
            path=path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={
                **outer.headers,
                **{k.lower(): v for k, v in (item.get("headers") or {}).items()},
            },
            body=json.dumps(body).encode() if body is not None else b"",
        )
        fault = super()._pending_fault(method, path)
        if fault is not None and fault.kind == "delay":
            time.sleep(fault.seconds)
        if fault is not None and fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            code = _FAULT_CODES.get(fault.status, "InternalServerError")
            response = Response(fault.status, _error(fault.status, code, "Injected").body, headers)
            route = f"{method} (injected)"
        else:
            route, response = super()._answer(inner)
        with self.lock:
            self.item_log.append(Logged(method, route, path, response.status))
        return _item(item["id"], response)

    # -- rendering ----------------------------------------------------------
    def _render(
        self,
        event: StoredEvent,
        *,
        expand: set[str] | None,
        select: set[str] | None,
        zone: str | None = None,
    ) -> dict[str, Any]:
        data = event.data
        text = (data.get("body") or {}).get("content") or ""
        content_type = (data.get("body") or {}).get("contentType", "text")
        online = bool(data.get("isOnlineMeeting"))
        rendered: dict[str, Any] = {
            "@odata.etag": f'W/"{event.id[-8:]}{event.version}"',
            "id": event.id,
            "createdDateTime": _stamp(event.created),
            "lastModifiedDateTime": _stamp(event.modified),
            "changeKey": f"{event.id[-8:]}{event.version}",
            "categories": data.get("categories") or [],
            "transactionId": data.get("transactionId"),
            "originalStartTimeZone": data["start"]["timeZone"],
            "originalEndTimeZone": data["end"]["timeZone"],
            "iCalUId": "040000008200E00074C5B7101A82E008" + event.id[-16:],
            "reminderMinutesBeforeStart": 15,
            "isReminderOn": True,
            "hasAttachments": False,
            "subject": data.get("subject") or "",
            "bodyPreview": (text if content_type == "text" else re.sub("<[^>]+>", "", text))[:255],
            "importance": "normal",
            "sensitivity": "normal",
            "isAllDay": bool(data.get("isAllDay")),
            "isCancelled": False,
            "isOrganizer": True,
            "responseRequested": True,
            "seriesMasterId": None,
            "showAs": "busy",
            "type": "seriesMaster" if data.get("recurrence") else "singleInstance",
            "webLink": f"https://outlook.office365.com/owa/?itemid={event.id}&exvsurl=1",
            "onlineMeetingUrl": None,
            "isOnlineMeeting": online,
            "onlineMeetingProvider": "teamsForBusiness" if online else "unknown",
            "allowNewTimeProposals": True,
            "isDraft": False,
            "hideAttendees": False,
            "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"},
            "body": {"contentType": "html", "content": _html_body(text, content_type, online)},
            "start": _as_zone(data["start"], zone),
            "end": _as_zone(data["end"], zone),
            "location": _location(data.get("location")),
            "locations": [_location(data["location"])]
            if (data.get("location") or {}).get("displayName")
            else [],
            "recurrence": _filled_recurrence(data.get("recurrence")),
            "attendees": [
                {
                    "type": attendee.get("type", "required"),
                    "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
                    "emailAddress": {
                        "name": attendee["emailAddress"].get("name")
                        or attendee["emailAddress"]["address"],
                        "address": attendee["emailAddress"]["address"],
                    },
                }
                for attendee in data.get("attendees") or []
            ],
            "organizer": {"emailAddress": {"name": "ART Calendar", "address": event.mailbox}},
            "onlineMeeting": (
                {"joinUrl": f"https://teams.microsoft.com/l/meetup-join/{event.id[-12:]}"}
                if online
                else None
            ),
        }
        if select is not None:
            rendered = {
                name: value
                for name, value in rendered.items()
                if name in select or name in ("id", "@odata.etag")
            }
        if expand is not None:
            rendered["singleValueExtendedProperties"] = [
                {"id": prop_id, "value": value}
                for prop_id, value in event.properties.items()
                if prop_id.lower() in expand
            ]
        return rendered

    def _occurrence_json(self, series: StoredEvent, day: date, shown: str | None) -> dict[str, Any]:
        rendered = self._render(series, expand=None, select=None)
        duration = _local(series.data["end"]) - _local(series.data["start"])
        start = datetime.combine(day, _local(series.data["start"]).time())
        zone = series.data["start"]["timeZone"]
        rendered.update(
            id=_occurrence_id(series.id, day),
            type="occurrence",
            seriesMasterId=series.id,
            recurrence=None,
            originalStart=_stamp(start.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)),
            start=_as_zone({"dateTime": start.isoformat(), "timeZone": zone}, shown),
            end=_as_zone({"dateTime": (start + duration).isoformat(), "timeZone": zone}, shown),
        )
        return rendered

    # -- helpers ------------------------------------------------------------
    def _find(self, mailbox: str, event_id: str) -> StoredEvent | None:
        event = self.stored.get(event_id)
        return event if event is not None and event.mailbox == mailbox else None

    def _notify(
        self, kind: str, event: StoredEvent, comment: str = "", occurrence: date | None = None
    ) -> None:
        recipients = event.attendees()
        if recipients:
            self.notices.append(
                Notice(
                    kind, event.id, event.data.get("subject") or "", recipients, comment, occurrence
                )
            )

    def _now(self) -> datetime:
        return _EPOCH + timedelta(seconds=next(self._clock))


# --------------------------------------------------------------------------
# Query options


def _filter(expression: str | None) -> Any:
    """A predicate on an event's extended properties for the one `$filter` form Graph allows."""
    if expression is None:
        return lambda properties: True
    match = _PROPERTY_FILTER.match(expression.strip())
    if match is None:
        raise ValueError(f"Invalid filter clause: {expression}")
    wanted_id = property_id(match["id"].replace("''", "'"))
    operator = (match["op"] or match["fn"]).lower()
    operand = (match["value"] if match["op"] else match["arg"]).replace("''", "'").casefold()

    def matches(properties: dict[str, str]) -> bool:
        value = properties.get(wanted_id)
        if value is None:
            return False
        value = value.casefold()  # Graph compares extended-property values case-insensitively
        if operator == "eq":
            return value == operand
        if operator == "startswith":
            return value.startswith(operand)
        return operand in value

    return matches


def _expanded_ids(expression: str | None) -> set[str] | None:
    if expression is None:
        return None
    match = _EXPAND.match(expression.strip())
    if match is None:
        raise ValueError(f"Unsupported $expand: {expression}")
    return {
        property_id(raw.replace("''", "'")).lower() for raw in _EXPAND_ID.findall(match["clauses"])
    }


def _selected(expression: str | None) -> set[str] | None:
    return None if expression is None else {name.strip() for name in expression.split(",")}


def _invalid_event(body: Any) -> Response | None:
    if not isinstance(body, dict):
        return _error(400, "BadRequest", "Empty Payload. JSON content expected.")
    found = problems("event", body)
    written = [name for name in body if name in _READ_ONLY]
    if found or written:
        return _error(
            400, "RequestBodyRead", "; ".join(found + [f"{n} is read-only" for n in written])
        )
    for name in ("start", "end"):
        if name in body:
            try:
                _local(body[name])
            except (KeyError, TypeError, ValueError):
                return _error(
                    400, "ErrorInvalidRequest", f"{name} needs dateTime and a known timeZone"
                )
    return None


def _set_properties(event: StoredEvent, body: dict[str, Any]) -> None:
    for prop in body.get("singleValueExtendedProperties") or []:
        event.properties[property_id(prop["id"])] = prop["value"]


# --------------------------------------------------------------------------
# Time and recurrence


def _local(moment: dict[str, str]) -> datetime:
    """A dateTimeTimeZone as naive wall time (ZoneInfo raises for an unknown zone)."""
    ZoneInfo(moment["timeZone"])
    return datetime.fromisoformat(moment["dateTime"].split(".")[0])


def _utc(moment: dict[str, str], day: date | None = None) -> datetime:
    wall = _local(moment)
    if day is not None:
        wall = datetime.combine(day, wall.time())
    return wall.replace(tzinfo=ZoneInfo(moment["timeZone"])).astimezone(UTC)


def _as_utc(moment: dict[str, str]) -> dict[str, str]:
    return {"dateTime": _utc(moment).strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}


def _as_zone(moment: dict[str, str], zone: str | None) -> dict[str, str]:
    """UTC with seven fractional digits, or the `Prefer: outlook.timezone` zone's wall time."""
    if zone is None:
        return _as_utc(moment)
    wall = _utc(moment).astimezone(ZoneInfo(zone))
    return {"dateTime": wall.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": zone}


_PREFER_ZONE = re.compile(r'outlook\.timezone="([^"]+)"', re.IGNORECASE)


def _preferred_zone(request: Request) -> str | None:
    """The zone a `Prefer: outlook.timezone="..."` header asks for (IANA names and UTC)."""
    match = _PREFER_ZONE.search(request.headers.get("prefer", ""))
    if match is None:
        return None
    try:
        ZoneInfo(match[1])
    except (KeyError, ValueError):
        return None  # a Windows name: the fake does not know those; UTC, as without the header
    return match[1]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000Z").replace(".0000000Z", "Z")


def _parse_instant(value: str | None) -> datetime:
    if value is None:
        raise TypeError("missing")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _occurrence_dates(data: dict[str, Any]) -> list[date]:
    """The dates a series occurs on (weekly and daily patterns; ranges endDate or numbered)."""
    recurrence = data.get("recurrence")
    if not recurrence:
        return []
    pattern, span = recurrence["pattern"], recurrence["range"]
    interval = int(pattern.get("interval") or 1)
    first = date.fromisoformat(span["startDate"])
    last = (
        date.fromisoformat(span["endDate"])
        if span["type"] == "endDate"
        else first + timedelta(days=730)
    )
    limit = int(span.get("numberOfOccurrences") or 0) if span["type"] == "numbered" else None
    first_day = _WEEKDAYS.index(pattern.get("firstDayOfWeek") or "sunday")

    def week_of(day: date) -> date:
        return day - timedelta(days=(day.weekday() - first_day) % 7)

    days: list[date] = []
    day = first
    while day <= last and (limit is None or len(days) < limit):
        if pattern["type"] == "daily":
            if (day - first).days % interval == 0:
                days.append(day)
        elif pattern["type"] == "weekly":
            weeks = (week_of(day) - week_of(first)).days // 7
            if _WEEKDAYS[day.weekday()] in pattern.get("daysOfWeek", []) and weeks % interval == 0:
                days.append(day)
        else:
            raise ValueError(
                f"the fake expands daily and weekly patterns only, not {pattern['type']}"
            )
        day += timedelta(days=1)
    return days


def _filled_recurrence(recurrence: dict[str, Any] | None) -> dict[str, Any] | None:
    if not recurrence:
        return None
    pattern = {
        "type": "daily",
        "interval": 1,
        "month": 0,
        "dayOfMonth": 0,
        "firstDayOfWeek": "sunday",
        "index": "first",
    }
    pattern |= recurrence.get("pattern") or {}
    if pattern["type"] == "weekly":
        pattern.setdefault("daysOfWeek", [])
    span = {
        "type": "noEnd",
        "startDate": None,
        "endDate": "0001-01-01",
        "recurrenceTimeZone": "UTC",
        "numberOfOccurrences": 0,
    }
    span |= recurrence.get("range") or {}
    return {"pattern": pattern, "range": span}


def _occurrence_id(series_id: str, day: date) -> str:
    raw = f"{series_id}|{day.isoformat()}".encode()
    return "AAMkAGOcc" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _occurrence_of(event_id: str) -> tuple[str, date] | None:
    if not event_id.startswith("AAMkAGOcc"):
        return None
    encoded = event_id[len("AAMkAGOcc") :]
    try:
        series_id, day = (
            base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode().split("|")
        )
        return series_id, date.fromisoformat(day)
    except ValueError:
        return None


# --------------------------------------------------------------------------
# Shapes


def _opaque(prefix: str, number: int) -> str:
    return prefix + base64.urlsafe_b64encode(f"rte-fake-{number:06d}".encode()).decode().rstrip("=")


def _html_body(text: str, content_type: str, online: bool) -> str:
    inner = text if content_type == "html" else html.escape(text).replace("\n", "<br>\r\n")
    teams = (
        '<div style="width:100%"><span>________________________________________________</span>'
        "<div><span><b>Microsoft Teams meeting</b></span></div></div>"
        if online
        else ""
    )
    return (
        "<html>\r\n<head>\r\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n'
        f"</head>\r\n<body>\r\n<div>{inner}</div>{teams}\r\n</body>\r\n</html>\r\n"
    )


def _location(location: dict[str, Any] | None) -> dict[str, Any]:
    name = (location or {}).get("displayName") or ""
    filled: dict[str, Any] = {
        "displayName": name,
        "locationType": "default",
        "uniqueIdType": "unknown",
    }
    if name:
        filled |= {"uniqueId": name, "uniqueIdType": "private"}
    return filled


def _item(item_id: str, response: Response) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "id": item_id,
        "status": response.status,
        "headers": dict(response.headers),
    }
    if response.body is not None:
        answer["headers"].setdefault("Content-Type", "application/json")
        answer["body"] = copy.deepcopy(response.body)
    return answer


def _error(status: int, code: str, message: str) -> Response:
    return Response(status, {"error": {"code": code, "message": message}})


def _not_found() -> Response:
    return _error(404, "ErrorItemNotFound", "The specified object was not found in the store.")
