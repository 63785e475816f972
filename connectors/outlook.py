"""Outlook through Microsoft Graph: the ART calendar kept in sync.

Events live in one shared or resource mailbox (`/users/{mailbox}`; app-only
auth cannot write group calendars), in its main calendar or a named one. A
sync is a reconcile:

1. list our events: one `$filter` on our key property, for keys that start
   with the ART's prefix, with our properties `$expand`ed and the fields rte
   owns `$select`ed (pages of 100);
2. plan (`connectors.outlook_events.plan_sync`): create, update, remove,
   leave alone, by comparing the digest of what we would write, and the
   owned fields with what Graph returned (a person's edit: reported, or
   restored by the same patches);
3. apply in `$batch` requests of at most 20: creates (with a transactionId),
   patches, cancellations (with a message; plain deletes for events without
   attendees, which have nobody to tell);
4. series with public holidays: Graph has no way to create a series with
   exceptions, so after a series is created or changed (which drops its
   exceptions), its occurrences in the holidays' window are looked up and
   the holiday ones cancelled, again batched; then the series is marked
   with the dates it has cancelled (`rte.holidays`), because Graph lists no
   `cancelledOccurrences`. An unchanged series whose mark lacks a holiday (a
   run that crashed between 3 and 4) is repaired the same way.

So a first sync costs ceil(writes / 20) batch requests plus the listing (and,
when series have holidays, one lookup round, ceil(holidays / 20) more and one
marking round); a second sync costs the listing only. Every count includes the
requests the retry policy sent again. The mailbox's mail is
`connectors.outlook_mail`; both reach Graph through `connectors.graph_client`.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphServiceClient

from art.model import Drift
from connectors.errors import ServiceErrors
from connectors.graph_batch import BatchCall, BatchResult, BatchSender
from connectors.graph_client import (
    ERRORS,
    GraphApp,
    GraphCallFailed,
    graph_call,
    graph_errors,
    graph_session,
)
from connectors.http import RequestCounter, RetryPolicy
from connectors.outlook_drift import OWNED_FIELDS, observed
from connectors.outlook_events import (
    DIGEST_PROPERTY,
    HOLIDAYS_PROPERTY,
    KEY_PROPERTY,
    Desired,
    Existing,
    SyncPlan,
    create_body,
    holiday_dates,
    holidays_mark,
    marked_holidays,
    patch_body,
)

PAGE_SIZE = 100
MAX_OCCURRENCES = 1000  # Graph's page limit; a holiday window never holds that many
REMOVED_COMMENT = "This event is no longer on the ART calendar and has been cancelled."
HOLIDAY_COMMENT = "No meeting on this day: it is a public holiday."


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What a sync did, and what it could not do (Graph's code and message per failure)."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    past: int = 0
    occurrences_cancelled: int = 0
    batch_requests: int = 0  # every `$batch` request sent, the policy's repeats included
    failures: tuple[str, ...] = ()
    drift: tuple[Drift, ...] = ()  # events a person changed: restored, or only reported

    def failure_summary(self, limit: int = 10) -> str:
        """'2 change(s) failed (24 created, ...; the next run retries only those): ...'."""
        shown = "; ".join(self.failures[:limit])
        more = f"; and {len(self.failures) - limit} more" if len(self.failures) > limit else ""
        return (
            f"{len(self.failures)} change(s) failed ({self.created} created, {self.updated} "
            f"updated, {self.removed} cancelled, {self.occurrences_cancelled} holiday "
            f"occurrence(s) cancelled; the next run retries only what failed): {shown}{more}"
        )


@dataclass
class OutlookCalendar:
    """One mailbox calendar as `rte` writes it."""

    app: GraphApp
    mailbox: str
    tz: str
    calendar_id: str | None = None
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    counter: RequestCounter = field(default_factory=RequestCounter)

    # -- public, synchronous --------------------------------------------------
    def list_events(self, prefix: str) -> tuple[Existing, ...]:
        """Our events whose key starts with `prefix` (case-insensitively, as Graph compares)."""
        try:
            return asyncio.run(self._list(prefix))
        except GraphCallFailed as exc:
            raise GraphCallFailed(f"{exc}; nothing was changed") from None

    def apply(self, plan: SyncPlan) -> SyncOutcome:
        """Carry out `plan`; failures are collected, not raised, so one bad event stops nothing.

        Graph itself failing (a `$batch` request that spent the retry budget)
        does stop the run: a `GraphCallFailed` that says how many writes were
        done before; the next run's diff finds them done and does the rest.
        """
        return asyncio.run(self._apply(plan))

    @property
    def _errors(self) -> ServiceErrors:
        return graph_errors(self.app, self.mailbox)

    # -- listing --------------------------------------------------------------
    async def _list(self, prefix: str) -> tuple[Existing, ...]:
        """The SDK builds and sends each page request; the JSON is read here.

        (The SDK's typed models cost milliseconds per event to build, for
        fields this listing does not ask for.)
        """
        async with graph_session(self.app, policy=self.policy, counter=self.counter) as adapter:
            builder = self._events(GraphServiceClient(request_adapter=adapter))
            query = type(builder).EventsRequestBuilderGetQueryParameters(
                filter=(
                    f"singleValueExtendedProperties/any(ep: ep/id eq '{KEY_PROPERTY}' "
                    f"and startswith(ep/value, '{_odata_text(prefix)}'))"
                ),
                expand=[
                    "singleValueExtendedProperties($filter="
                    f"id eq '{KEY_PROPERTY}' or id eq '{DIGEST_PROPERTY}' "
                    f"or id eq '{HOLIDAYS_PROPERTY}')"
                ],
                select=["id", *OWNED_FIELDS],
                top=PAGE_SIZE,
            )
            request = builder.to_get_request_information(
                RequestConfiguration(query_parameters=query)
            )
            found: list[Existing] = []
            while True:
                send = partial(adapter.send_primitive_async, request, "bytes", ERRORS)
                raw = await graph_call(send, "list events", self._errors)
                page = json.loads(raw or b"{}")
                found += [item for item in map(existing_from, page.get("value", [])) if item]
                link = page.get("@odata.nextLink")
                if not link:
                    return tuple(found)
                request = builder.with_url(link).to_get_request_information()

    # -- writing --------------------------------------------------------------
    async def _apply(self, plan: SyncPlan) -> SyncOutcome:
        errors = self._errors
        async with graph_session(self.app, policy=self.policy, counter=self.counter) as adapter:
            sender = BatchSender(adapter, self.policy, errors, counter=self.counter)
            before = self._batches_sent()
            try:
                outcome = await self._applied(plan, sender)
                return replace(outcome, batch_requests=self._batches_sent() - before)
            except (GraphCallFailed, ValueError) as exc:
                said = str(exc) if isinstance(exc, GraphCallFailed) else f"{errors.where}: {exc}"
                raise GraphCallFailed(
                    errors.scrub(
                        f"{said}; {sender.written} write(s) confirmed done before "
                        f"({plan.writes} planned, plus holiday cancellations); the next run "
                        "does the rest"
                    )
                ) from None

    async def _applied(self, plan: SyncPlan, sender: BatchSender) -> SyncOutcome:
        """Write the plan, then cancel the holiday occurrences of the series it wrote."""
        calls = [
            *(
                BatchCall(f"create-{n}", "POST", self._events_path(), create_body(want))
                for n, want in enumerate(plan.create)
            ),
            *(
                BatchCall(f"update-{n}", "PATCH", self._event_path(have.id), patch_body(want))
                for n, (have, want) in enumerate(plan.update)
            ),
            *(
                self._removal(f"remove-{n}", have.id, have.has_attendees, REMOVED_COMMENT)
                for n, have in enumerate(plan.remove)
            ),
        ]
        results = await sender.run(calls)
        failures: list[str] = []
        series: list[tuple[str, Desired]] = [(have.id, want) for have, want in plan.repair]
        done = {"create": 0, "update": 0, "remove": 0}
        for n, want in enumerate(plan.create):
            created = _checked(results[f"create-{n}"], f"create {want.event.key}", failures)
            if created is not None:
                done["create"] += 1
                if want.event.exdates:
                    series.append((created.body["id"], want))
        for n, (have, want) in enumerate(plan.update):
            if _checked(results[f"update-{n}"], f"update {want.event.key}", failures):
                done["update"] += 1
                if want.event.exdates:
                    series.append((have.id, want))
        for n, have in enumerate(plan.remove):
            gone = _checked(results[f"remove-{n}"], f"remove {have.key}", failures, gone_ok=True)
            done["remove"] += gone is not None
        cancelled = await self._cancel_holidays(sender, series, failures)
        return SyncOutcome(
            created=done["create"],
            updated=done["update"],
            removed=done["remove"],
            unchanged=len(plan.unchanged),
            past=plan.past,
            occurrences_cancelled=cancelled,
            failures=tuple(map(sender.errors.scrub, failures)),  # Graph's words, quoted
            drift=plan.drift,
        )

    def _batches_sent(self) -> int:
        """`$batch` requests on the wire so far, each one the transport sent again included."""
        return sum(
            count for endpoint, count, _ in self.counter.rows() if endpoint.endswith("/$batch")
        )

    async def _cancel_holidays(
        self, sender: BatchSender, series: list[tuple[str, Desired]], failures: list[str]
    ) -> int:
        """Cancel the holiday occurrences of each (series id, desired event), then mark each
        series whose holidays are all cancelled; return how many occurrences were cancelled."""
        zone = ZoneInfo(self.tz)
        lookups = [
            BatchCall(f"instances-{n}", "GET", self._instances_path(event_id, want, zone))
            for n, (event_id, want) in enumerate(series)
        ]
        found = await sender.run(lookups)
        cancels: list[BatchCall] = []
        owners: list[int] = []  # the series (index) each cancellation belongs to
        looked_up: list[int] = []
        for n, (_, want) in enumerate(series):
            answer = _checked(found[f"instances-{n}"], f"occurrences of {want.event.key}", failures)
            if answer is None:
                continue
            looked_up.append(n)
            holidays = holiday_dates(want.event, self.tz)
            for occurrence in answer.body.get("value", []):
                if _local_date(occurrence.get("start") or {}, zone) in holidays:
                    owners.append(n)
                    cancels.append(
                        self._removal(
                            f"cancel-{len(cancels)}",
                            occurrence["id"],
                            bool(want.event.attendees),
                            HOLIDAY_COMMENT,
                        )
                    )
        done = await sender.run(cancels)
        failed: set[int] = set()
        cancelled = 0
        for owner, call in zip(owners, cancels, strict=True):
            if _checked(done[call.id], f"cancel occurrence {call.id}", failures, gone_ok=True):
                cancelled += 1
            else:
                failed.add(owner)
        marks = {
            f"mark-{n}": BatchCall(
                f"mark-{n}",
                "PATCH",
                self._event_path(series[n][0]),
                holidays_mark(holiday_dates(series[n][1].event, self.tz)),
            )
            for n in looked_up
            if n not in failed
        }
        marked = await sender.run(list(marks.values()))
        for call_id, (_, want) in ((f"mark-{n}", series[n]) for n in looked_up):
            if call_id in marks:
                _checked(marked[call_id], f"mark the holidays of {want.event.key}", failures)
        return cancelled

    # -- plumbing -------------------------------------------------------------
    def _events(self, client: GraphServiceClient) -> Any:
        user = client.users.by_user_id(self.mailbox)
        if self.calendar_id:
            return user.calendars.by_calendar_id(self.calendar_id).events
        return user.calendar.events

    def _user_path(self) -> str:
        return f"/users/{quote(self.mailbox, safe='@')}"

    def _events_path(self) -> str:
        if self.calendar_id:
            return f"{self._user_path()}/calendars/{quote(self.calendar_id, safe='')}/events"
        return f"{self._user_path()}/calendar/events"

    def _event_path(self, event_id: str) -> str:
        return f"{self._user_path()}/events/{quote(event_id, safe='')}"

    def _instances_path(self, event_id: str, want: Desired, zone: ZoneInfo) -> str:
        days = sorted(holiday_dates(want.event, self.tz))
        window = {
            "startDateTime": _midnight(days[0], zone),
            "endDateTime": _midnight(days[-1] + timedelta(days=1), zone),
            "$select": "id,start",
            "$top": str(MAX_OCCURRENCES),
        }
        return f"{self._event_path(event_id)}/instances?{urlencode(window)}"

    def _removal(self, call_id: str, event_id: str, has_attendees: bool, comment: str) -> BatchCall:
        """Cancel (attendees are told why) or, with nobody to tell, delete."""
        if has_attendees:
            return BatchCall(
                call_id, "POST", f"{self._event_path(event_id)}/cancel", {"Comment": comment}
            )
        return BatchCall(call_id, "DELETE", self._event_path(event_id))


def existing_from(event: dict[str, Any]) -> Existing | None:
    """One listed event (Graph JSON) as the planner needs it; None if it lacks our key."""
    properties = {
        str(prop.get("id", "")).lower(): str(prop.get("value") or "")
        for prop in event.get("singleValueExtendedProperties") or []
    }
    key = properties.get(KEY_PROPERTY.lower())
    if not key or not event.get("id"):
        return None
    return Existing(
        id=event["id"],
        key=key,
        digest=properties.get(DIGEST_PROPERTY.lower()),
        has_attendees=bool(event.get("attendees")),
        cancelled=marked_holidays(properties.get(HOLIDAYS_PROPERTY.lower())),
        ends=_ends(event),
        observed=observed(event),
    )


def _ends(event: dict[str, Any]) -> datetime | None:
    """When a listed event is over: its end, or the day after its series' end date."""
    recurrence = event.get("recurrence")
    if recurrence:
        span = recurrence.get("range") or {}
        try:
            end_date = date.fromisoformat(span.get("endDate") or "")
        except ValueError:
            return None
        if span.get("type") != "endDate" or end_date.year < 1900:  # Graph fills in 0001-01-01
            return None
        return datetime.combine(end_date + timedelta(days=1), time(0), tzinfo=UTC)
    end = event.get("end") or {}
    return _instant(end["dateTime"], end.get("timeZone")) if end.get("dateTime") else None


def _instant(value: str, zone_name: str | None) -> datetime:
    wall = datetime.fromisoformat(value[:19])
    try:
        zone = ZoneInfo(zone_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # a Windows zone name: Graph sends UTC unless asked otherwise
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _local_date(moment: dict[str, str], zone: ZoneInfo) -> date | None:
    value = moment.get("dateTime")
    if not value:
        return None
    return _instant(value, moment.get("timeZone")).astimezone(zone).date()


def _midnight(day: date, zone: ZoneInfo) -> str:
    moment = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _checked(
    result: BatchResult, what: str, failures: list[str], *, gone_ok: bool = False
) -> BatchResult | None:
    """The result if the item succeeded (or, for removals, found nothing left to remove)."""
    if result.ok or (gone_ok and result.status == 404):
        return result
    failures.append(f"{what}: {result.error()}")
    return None


def _odata_text(value: str) -> str:
    """A string literal for an OData filter: a single quote is doubled."""
    return value.replace("'", "''")
