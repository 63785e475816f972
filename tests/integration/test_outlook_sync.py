"""The ART calendar synced into a mailbox calendar through msgraph-sdk, against the Graph fake."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from connectors.graph_client import GraphApp, GraphCallFailed
from connectors.outlook import HOLIDAY_COMMENT, REMOVED_COMMENT, OutlookCalendar
from connectors.outlook_events import DIGEST_PROPERTY, KEY_PROPERTY
from tests.calendar_builders import DEMO, demo_config, shifted_pis
from tests.fakes.graph import GraphFake, property_id
from tests.fakes.server import Fault
from tests.integration.outlook_fixtures import FAST, MAILBOX, batches_needed, sync

EPIPHANY = date(2027, 1, 6)
LISTING = "GET /v1.0/users/{user}/calendar/events"
SERIES_WITH_HOLIDAY = "aurora-art/pi-2027-1/art-sync"


def stored_by_key(graph: GraphFake) -> dict:  # type: ignore[type-arg]
    key_id = property_id(KEY_PROPERTY)
    return {event.properties[key_id]: event for event in graph.events(MAILBOX)}


def test_the_first_sync_creates_every_event_once_with_one_invite_each(graph: GraphFake) -> None:
    first = sync(graph, demo_config())
    stored = stored_by_key(graph)
    assert stored.keys() == {event.key for event in first.plan.events}
    assert first.outcome.created == len(first.plan.events) == 75 and not first.outcome.failures
    digests = {event.properties[property_id(DIGEST_PROPERTY)] for event in stored.values()}
    assert len(digests) == len(stored)
    invites = graph.notices_of("invite")
    assert len(invites) == len(stored)  # a weekly series is one invitation, not ten
    series = stored[SERIES_WITH_HOLIDAY]
    assert series.data["recurrence"]["pattern"]["daysOfWeek"] == ["wednesday"]
    assert series.cancelled == {EPIPHANY}
    [holiday] = graph.notices_of("cancel-occurrence")
    assert (holiday.occurrence, holiday.comment) == (EPIPHANY, HOLIDAY_COMMENT)
    # 75 writes in 4 batches; the one series with a holiday: one lookup, one cancellation,
    # and one mark of the dates it cancelled (Graph lists no cancelledOccurrences).
    assert graph.batch_count() == batches_needed(75) + 1 + 1 + 1 == first.outcome.batch_requests
    assert graph.count(LISTING) == 1
    assert all(200 <= entry.status < 300 for entry in graph.item_log)


def test_the_second_sync_writes_nothing(graph: GraphFake) -> None:
    sync(graph, demo_config())
    graph.reset_log()
    again = sync(graph, demo_config())
    assert again.writes == 0 and again.outcome.unchanged == 75
    assert graph.counts() == {LISTING: 1}  # the listing, and not one write
    assert graph.notices == []


def test_moving_a_pi_a_week_updates_its_events_in_place(graph: GraphFake) -> None:
    sync(graph, demo_config())
    before = {key: event.id for key, event in stored_by_key(graph).items()}
    graph.reset_log()
    moved = sync(graph, demo_config(pis=shifted_pis(1, index=2)))  # PI 2027.1 a week later
    after = stored_by_key(graph)
    assert {key: event.id for key, event in after.items()} == before  # same events, same ids
    in_pi = [key for key in before if key.startswith("aurora-art/pi-2027-1/")]
    assert moved.outcome.updated == len(in_pi) == moved.writes and moved.outcome.created == 0
    assert graph.notices_of("invite") == [] and graph.notices_of("cancel") == []
    assert len(graph.notices_of("update")) == len(in_pi) + 1  # the series' holiday mark too
    planning = after["aurora-art/pi-2027-1/pi-planning/day-1"].data["start"]
    assert planning == {"dateTime": "2026-12-21T09:00:00", "timeZone": "Europe/Berlin"}
    # Patching the series dropped its exceptions; the holiday is cancelled again.
    assert after[SERIES_WITH_HOLIDAY].cancelled == {EPIPHANY}
    assert graph.batch_count() == batches_needed(len(in_pi)) + 1 + 1 + 1


def test_removing_a_template_cancels_its_events_with_a_message(graph: GraphFake) -> None:
    sync(graph, demo_config())
    graph.reset_log()
    events = [event for event in DEMO["calendar"]["events"] if event["key"] != "po-sync"]
    removed = sync(graph, demo_config(events=events))
    assert removed.outcome.removed == 3 and removed.writes == 3  # one series per PI
    cancels = graph.notices_of("cancel")
    assert len(cancels) == 3 and {notice.comment for notice in cancels} == {REMOVED_COMMENT}
    assert not any("/po-sync" in key for key in stored_by_key(graph))
    assert graph.notices_of("update") == [] and graph.batch_count() == 1


def test_a_hostile_title_stays_one_harmless_line(graph: GraphFake) -> None:
    hostile = "Demo\r\nBcc: evil@example.com\r\n<script>alert(1)</script> & <b>more</b>"
    events = [
        {
            "key": "demo",
            "title": hostile,
            "kind": "inspect-adapt",
            "description": "Agenda:\r\n1. <img src=x onerror=alert(1)>",
        }
    ]
    sync(graph, demo_config(events=events))
    stored = stored_by_key(graph)["aurora-art/pi-2026-4/demo"]
    subject = graph.event_json(stored.id)["subject"]
    assert subject == (
        "Demo Bcc: evil@example.com <script>alert(1)</script> & <b>more</b>: PI 2026.4"
    )
    assert "\r" not in subject and "\n" not in subject
    assert stored.data["body"] == {
        "contentType": "text",  # shown as text by Outlook: the markup is never interpreted
        "content": "Agenda:\n1. <img src=x onerror=alert(1)>",
    }
    graph.reset_log()
    assert sync(graph, demo_config(events=events)).writes == 0


@pytest.mark.parametrize("teams", [["Atlas"], ["Atlas", "Borealis"], DEMO["teams"][:5]])
def test_writes_cost_one_batch_request_per_twenty_changes(graph: GraphFake, teams: list) -> None:
    names = [team if isinstance(team, str) else team["name"] for team in teams]
    events = [{"key": "review", "title": "Review", "kind": "iteration-review", "teams": names}]
    first = sync(graph, demo_config(events=events))
    assert first.writes == 12 * len(names)  # 3 PIs x 4 iterations x teams
    assert graph.batch_count() == batches_needed(first.writes)
    assert graph.count(LISTING) == 1 and len(graph.item_log) == first.writes


def test_throttled_batch_items_are_retried_alone_and_created_once(graph: GraphFake) -> None:
    graph.inject(
        Fault(
            "status", path=r"/calendar/events$", method="POST", status=429, retry_after="3", times=7
        )
    )
    events = [
        {
            "key": "review",
            "title": "Review",
            "kind": "iteration-review",
            "teams": ["Atlas", "Borealis"],
        }
    ]
    first = sync(graph, demo_config(events=events))
    assert not first.outcome.failures and first.outcome.created == 24
    assert len(graph.events()) == 24 and len(graph.notices_of("invite")) == 24
    assert [entry.status for entry in graph.item_log].count(429) == 7
    assert graph.batch_count() == 2 + 1  # 20 + 4, then the 7 throttled ones together


def test_a_throttling_storm_ends_in_a_clear_failure_then_a_clean_rerun(graph: GraphFake) -> None:
    graph.inject(
        Fault(
            "status",
            path=r"/calendar/events$",
            method="POST",
            status=429,
            retry_after="0",
            times=None,
        )
    )
    events = [
        {"key": "planning", "title": "Planning", "kind": "iteration-planning", "teams": ["Atlas"]}
    ]
    stormy = sync(graph, demo_config(events=events))
    assert stormy.outcome.created == 0 and len(stormy.outcome.failures) == 12
    assert stormy.outcome.failures[0].startswith("create aurora-art/pi-2026-3/planning/atlas/")
    assert "HTTP 429" in stormy.outcome.failures[0]
    assert graph.batch_count() == FAST.attempts  # bounded rounds, not endless
    graph.clear_faults()
    assert sync(graph, demo_config(events=events)).outcome.created == 12
    assert len(graph.events()) == 12


def test_a_lost_batch_answer_is_sent_again_without_duplicates(graph: GraphFake) -> None:
    graph.inject(Fault("drop", path=r"\$batch$", times=1))  # processed, then the answer is lost
    events = [
        {"key": "planning", "title": "Planning", "kind": "iteration-planning", "teams": ["Atlas"]}
    ]
    first = sync(graph, demo_config(events=events))
    assert not first.outcome.failures
    assert len(graph.events()) == 12  # the transactionId made the repeated creates no-ops
    assert len(graph.notices_of("invite")) == 12


def test_a_run_that_stopped_before_cancelling_holidays_is_repaired(graph: GraphFake) -> None:
    graph.inject(Fault("status", path=r"/instances$", status=500, times=None))
    broken = sync(graph, demo_config())
    assert broken.outcome.failures == (
        f"occurrences of {SERIES_WITH_HOLIDAY}: HTTP 500 InternalServerError: Injected",
    )
    assert stored_by_key(graph)[SERIES_WITH_HOLIDAY].cancelled == set()
    graph.clear_faults()
    graph.reset_log()
    repaired = sync(graph, demo_config())
    assert repaired.writes == 0 and repaired.outcome.occurrences_cancelled == 1
    assert stored_by_key(graph)[SERIES_WITH_HOLIDAY].cancelled == {EPIPHANY}
    assert graph.batch_count() == 3  # one lookup, one cancellation, one mark


def test_history_is_left_alone(graph: GraphFake) -> None:
    since = datetime(2026, 10, 5, tzinfo=UTC)  # PI 2026.3 is over
    first = sync(graph, demo_config(), since=since)
    assert not any("/pi-2026-3/" in key for key in stored_by_key(graph))
    assert first.outcome.past == sum("/pi-2026-3/" in e.key for e in first.plan.events)
    sync(graph, demo_config())  # a sync without a horizon creates the old PI's events...
    graph.reset_log()
    older = sync(graph, demo_config(pis=shifted_pis(-1, index=0)), since=since)
    assert older.writes == 0  # ...and once it is over, changing it sends nothing


def test_a_pi_dropped_from_the_config_and_other_trains_are_not_touched(graph: GraphFake) -> None:
    sync(graph, demo_config())
    other = demo_config()
    other = other.model_copy(update={"art": other.art.model_copy(update={"name": "Borealis ART"})})
    sync(graph, other)
    assert len(graph.events()) == 2 * 75
    graph.reset_log()
    later_only = sync(graph, demo_config(pis=DEMO["cadence"]["pis"][1:]))
    assert later_only.writes == 0 and graph.notices == []


def test_a_named_calendar_of_the_mailbox_can_be_used(graph: GraphFake) -> None:
    graph.add_calendar(MAILBOX, "cal-art", "ART events")
    events = [{"key": "ia", "title": "I&A", "kind": "inspect-adapt"}]
    sync(graph, demo_config(events=events), calendar_id="cal-art")
    assert {event.calendar for event in graph.events()} == {"cal-art"}
    graph.reset_log()
    assert sync(graph, demo_config(events=events), calendar_id="cal-art").writes == 0
    assert graph.count("GET /v1.0/users/{user}/calendars/{calendar}/events") == 1


def test_a_wrong_token_or_mailbox_is_a_clear_error_without_the_token(graph: GraphFake) -> None:
    config = demo_config()
    wrong = OutlookCalendar(
        app=GraphApp.static_token("s3cr3t-token-value", f"{graph.url}/v1.0"),
        mailbox=MAILBOX,
        tz=config.art.timezone,
        policy=FAST,
    )
    with pytest.raises(GraphCallFailed) as caught:
        wrong.list_events("aurora-art/")
    assert "HTTP 401" in str(caught.value) and "s3cr3t" not in str(caught.value)
    nobody = OutlookCalendar(
        app=GraphApp.static_token(graph.token, f"{graph.url}/v1.0"),
        mailbox="someone-else@example.com",
        tz=config.art.timezone,
        policy=FAST,
    )
    with pytest.raises(GraphCallFailed, match="HTTP 404 to list events: ErrorInvalidUser"):
        nobody.list_events("aurora-art/")


def test_a_throttled_batch_request_is_sent_again_after_retry_after(graph: GraphFake) -> None:
    graph.inject(Fault("status", path=r"\$batch$", status=429, retry_after="1", times=2))
    events = [
        {"key": "planning", "title": "Planning", "kind": "iteration-planning", "teams": ["Atlas"]}
    ]
    first = sync(graph, demo_config(events=events))
    assert first.outcome.created == 12 and not first.outcome.failures
    assert graph.batch_count() == 3 and len(graph.events()) == 12  # two refusals, one success
    assert first.outcome.batch_requests == 3  # every request on the wire is counted
