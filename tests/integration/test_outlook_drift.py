"""Drift in Outlook, against a Graph fake that answers as Graph documents it.

A person edits an event rte owns (subject, time, body, attendees, the series'
pattern) in Outlook; rte's digest property stays as it was. The sync must see
the edit in the fields Graph returns (UTC with seven fractional digits, HTML
bodies with a Teams block, filled-out recurrences), report it, or with
`calendar.on_drift: restore` put the plan back in the same `$batch` writes,
and never make a second event of it. And Graph lists no
`cancelledOccurrences`: the holidays rte cancelled are remembered on the
series, so an unchanged calendar costs the listing alone.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from connectors.outlook_drift import changes, observed
from connectors.outlook_events import HOLIDAYS_PROPERTY, KEY_PROPERTY, desired
from flows.steps.calendar import art_prefix, describe_plan, diff_calendar
from rules.calendar import plan_calendar
from tests.calendar_builders import DEMO, demo_config
from tests.fakes.graph import GraphFake, StoredEvent, property_id
from tests.integration.outlook_fixtures import LONG_AGO, MAILBOX, outlook, sync

LISTING = "GET /v1.0/users/{user}/calendar/events"
DEMO_KEY = "aurora-art/pi-2026-4/system-demo/iteration-1"
SERIES = "aurora-art/pi-2027-1/art-sync"
EPIPHANY = date(2027, 1, 6)


def by_key(graph: GraphFake) -> dict[str, StoredEvent]:
    key_id = property_id(KEY_PROPERTY)
    found: dict[str, StoredEvent] = {}
    for event in graph.events(MAILBOX):
        key = event.properties[key_id]
        assert key not in found, f"two events carry {key}"
        found[key] = event
    return found


def moved_two_hours(event: StoredEvent) -> dict[str, Any]:
    """What a person does in Outlook: a new subject, the meeting two hours later."""
    later = {}
    for name in ("start", "end"):
        moment = dict(event.data[name])
        hour = int(moment["dateTime"][11:13]) + 2
        moment["dateTime"] = f"{moment['dateTime'][:11]}{hour:02d}{moment['dateTime'][13:]}"
        later[name] = moment
    return {"subject": "Demo moved by Kim", **later}


def edited_demo(graph: GraphFake) -> StoredEvent:
    """The first sync, then a person's edit of the demo event (and the log cleared)."""
    sync(graph, demo_config())
    demo = by_key(graph)[DEMO_KEY]
    graph.edit_event(demo.id, **moved_two_hours(demo))
    graph.reset_log()
    return demo


def planned(graph: GraphFake, **calendar: Any):  # type: ignore[no-untyped-def]
    """The plan the next sync would carry out (what `--dry-run` prints)."""
    config = demo_config(**calendar)
    existing = outlook(graph, config).list_events(art_prefix(config))
    return diff_calendar(config, plan_calendar(config).events, existing, LONG_AGO)


def test_an_unchanged_calendar_costs_the_listing_alone(graph: GraphFake) -> None:
    sync(graph, demo_config())
    graph.reset_log()
    plan = planned(graph)
    assert plan.writes == 0 and plan.repair == () and plan.drift == ()
    assert not [line for line in describe_plan(plan) if line.startswith("cancel holidays of")]
    again = sync(graph, demo_config())
    assert again.outcome.batch_requests == 0 == graph.batch_count()
    assert set(graph.counts()) == {LISTING} and graph.notices == []


def test_a_persons_edit_is_reported_and_left_without_a_write_or_a_duplicate(
    graph: GraphFake,
) -> None:
    edited_demo(graph)
    plan = planned(graph)
    [drift] = plan.drift
    assert drift.key == DEMO_KEY and not drift.restored
    assert (
        drift.changes[0] == "subject: 'System Demo: PI 2026.4 Iteration 1' -> 'Demo moved by Kim'"
    )
    assert [line.split(":")[0] for line in drift.changes] == ["subject", "start", "end"]
    assert "start: 2026-10-16 14:00 -> 2026-10-16 16:00" in drift.changes
    assert f"drift: {drift.line()}" in describe_plan(plan)  # what --dry-run prints
    assert describe_plan(plan)[-1].endswith(", 1 changed in Outlook")
    reported = sync(graph, demo_config())
    assert reported.outcome.drift == plan.drift and reported.writes == 0
    assert graph.batch_count() == 0 and graph.notices == []
    assert by_key(graph)[DEMO_KEY].data["subject"] == "Demo moved by Kim"
    assert len(graph.events(MAILBOX)) == 75  # one event per key, no second one


def test_restore_puts_the_plan_back_in_the_same_batch_and_the_next_sync_is_quiet(
    graph: GraphFake,
) -> None:
    demo = edited_demo(graph)
    restored = sync(graph, demo_config(on_drift="restore"))
    [drift] = restored.outcome.drift
    assert drift.restored and restored.outcome.updated == 1 == restored.writes
    assert graph.batch_count() == 1 and restored.outcome.batch_requests == 1
    again = by_key(graph)[DEMO_KEY]
    assert again.id == demo.id and len(graph.events(MAILBOX)) == 75
    assert again.data["subject"] == "System Demo: PI 2026.4 Iteration 1"
    assert again.data["start"] == {"dateTime": "2026-10-16T14:00:00", "timeZone": "Europe/Berlin"}
    assert [notice.kind for notice in graph.notices] == ["update"]
    graph.reset_log()
    quiet = sync(graph, demo_config(on_drift="restore"))
    assert quiet.outcome.drift == () and graph.batch_count() == 0


def test_a_plan_change_updates_an_event_a_person_edited_and_is_no_drift(
    graph: GraphFake,
) -> None:
    events = [{"key": "ia", "title": "I&A", "kind": "inspect-adapt", "location": "Hall 1"}]
    sync(graph, demo_config(events=events))
    key = "aurora-art/pi-2026-4/ia"
    graph.edit_event(by_key(graph)[key].id, location={"displayName": "Kim's room"})
    graph.reset_log()
    moved = [{**events[0], "location": "Hall 2"}]
    done = sync(graph, demo_config(events=moved))  # on_drift: report, the default
    assert done.outcome.drift == () and done.outcome.updated == 3  # the plan changed: update
    assert by_key(graph)[key].data["location"] == {"displayName": "Hall 2"}
    assert len(graph.events(MAILBOX)) == 3


def test_body_attendee_and_online_meeting_edits_are_seen_in_graphs_html(
    graph: GraphFake,
) -> None:
    events = [
        {
            "key": "ia",
            "title": "I&A",
            "kind": "inspect-adapt",
            "description": "Agenda:\n1. Demo & <metrics>",
            "online_meeting": True,
        }
    ]
    sync(graph, demo_config(events=events))
    graph.reset_log()
    assert planned(graph, events=events).drift == ()  # HTML body, Teams block: no false drift
    key = "aurora-art/pi-2026-4/ia"
    stored = by_key(graph)[key]
    attendees = [*stored.data["attendees"], {"emailAddress": {"address": "guest@example.com"}}]
    graph.edit_event(
        stored.id,
        body={"contentType": "html", "content": "<p>Agenda:<br>1. Something else</p>"},
        attendees=[{**item, "type": "required"} for item in attendees],
        isOnlineMeeting=False,
    )
    [drift] = planned(graph, events=events).drift
    assert drift.changes == (
        "body: the description was edited",
        "attendees: added guest@example.com",
        "online meeting: True -> False",
    )


def test_a_series_a_person_changed_is_restored_and_its_holidays_cancelled_again(
    graph: GraphFake,
) -> None:
    sync(graph, demo_config())
    series = by_key(graph)[SERIES]
    assert series.cancelled == {EPIPHANY}
    assert series.properties[property_id(HOLIDAYS_PROPERTY)] == EPIPHANY.isoformat()
    recurrence = {**series.data["recurrence"]}
    recurrence["pattern"] = {**recurrence["pattern"], "interval": 2}
    graph.edit_event(series.id, recurrence=recurrence)  # Exchange drops the exceptions
    [drift] = planned(graph).drift
    assert drift.changes == ("recurrence: pattern.interval 1 -> 2",)
    graph.reset_log()
    restored = sync(graph, demo_config(on_drift="restore"))
    assert restored.outcome.updated == 1 and restored.outcome.occurrences_cancelled == 1
    assert by_key(graph)[SERIES].cancelled == {EPIPHANY}
    assert graph.batch_count() == 4  # the patch, the lookup, the cancellation, the mark
    graph.reset_log()
    assert sync(graph, demo_config()).outcome.batch_requests == 0


def test_graph_lists_no_cancelled_occurrences_and_gives_them_on_a_get_by_id(
    graph: GraphFake,
) -> None:
    sync(graph, demo_config())
    series = by_key(graph)[SERIES]
    headers = {"Authorization": f"Bearer {graph.token}"}
    base = f"{graph.url}/v1.0/users/{MAILBOX}/calendar/events"
    listed = httpx.get(base, params={"$top": "100"}, headers=headers).json()["value"]
    assert listed and not any("cancelledOccurrences" in event for event in listed)
    plain = httpx.get(f"{base}/{series.id}", headers=headers).json()
    assert "cancelledOccurrences" not in plain
    selected = httpx.get(
        f"{base}/{series.id}", params={"$select": "subject,cancelledOccurrences"}, headers=headers
    ).json()
    assert selected["cancelledOccurrences"] == [f"OID.{series.id}.{EPIPHANY.isoformat()}"]


def test_times_in_a_preferred_zone_compare_like_utc(graph: GraphFake) -> None:
    events = [{"key": "ia", "title": "I&A", "kind": "inspect-adapt"}]
    config = demo_config(events=events)
    sync(graph, config)
    stored = by_key(graph)["aurora-art/pi-2026-4/ia"]
    url = f"{graph.url}/v1.0/users/{MAILBOX}/calendar/events/{stored.id}"
    answers = [
        httpx.get(url, headers={"Authorization": f"Bearer {graph.token}", **extra}).json()
        for extra in ({}, {"Prefer": f'outlook.timezone="{DEMO["art"]["timezone"]}"'})
    ]
    assert answers[0]["start"]["timeZone"] == "UTC"
    assert answers[0]["start"]["dateTime"].endswith(".0000000")
    assert answers[1]["start"] == {
        "dateTime": "2026-12-11T09:00:00.0000000",
        "timeZone": DEMO["art"]["timezone"],
    }
    [event] = [e for e in plan_calendar(config).events if e.key == "aurora-art/pi-2026-4/ia"]
    want = desired(event, config.art.timezone)
    for answer in answers:
        found = observed(answer)
        assert found is not None and changes(want.payload, found, config.art.timezone) == ()
