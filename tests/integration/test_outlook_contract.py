"""The Graph fake and our request bodies, checked against Graph's own event type.

`tests/contracts/msgraph-event-subset.json` is condensed from Graph's
published CSDL. If the fake answered in a shape Graph never uses, or our
connector wrote a property Graph does not have, the tests against the fake
would prove nothing; these keep both honest.
"""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.error import HTTPError

from connectors.outlook_events import KEY_PROPERTY, create_body, desired, patch_body
from rules.calendar import plan_calendar
from tests.calendar_builders import TZ, demo_config
from tests.fakes.graph import GraphFake, property_id
from tests.fakes.graph_contract import problems
from tests.integration.outlook_fixtures import MAILBOX, sync


def request(graph: GraphFake, method: str, path: str, body: object = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    sent = urllib.request.Request(
        f"{graph.url}/v1.0{path}",
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {graph.token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(sent) as answer:
            raw = answer.read()
            return answer.status, json.loads(raw) if raw else {}
    except HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_every_body_we_write_is_a_graph_event() -> None:
    for event in plan_calendar(demo_config()).events:
        want = desired(event, TZ)
        assert problems("event", create_body(want)) == [], event.key
        assert problems("event", patch_body(want)) == [], event.key


def test_the_fakes_events_are_graph_events(graph: GraphFake) -> None:
    sync(graph, demo_config())
    stored = graph.events(MAILBOX)
    series = next(event for event in stored if event.data.get("recurrence"))
    for event in stored:
        assert problems("event", graph.event_json(event.id)) == [], event.id
    status, page = request(
        graph,
        "GET",
        f"/users/{MAILBOX}/events/{series.id}/instances?"
        "startDateTime=2026-01-01T00:00:00Z&endDateTime=2028-01-01T00:00:00Z",
    )
    assert status == 200 and page["value"]
    for occurrence in page["value"]:
        assert problems("event", occurrence) == []
        assert occurrence["type"] == "occurrence" and occurrence["seriesMasterId"] == series.id


def test_the_fake_answers_in_graphs_shapes_not_ours(graph: GraphFake) -> None:
    sync(graph, demo_config())
    series = next(event for event in graph.events() if event.data.get("recurrence"))
    answer = graph.event_json(series.id)
    assert answer["start"]["timeZone"] == "UTC"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0000000", answer["start"]["dateTime"])
    assert answer["body"]["contentType"] == "html" and "<html>" in answer["body"]["content"]
    pattern = answer["recurrence"]["pattern"]
    assert pattern["month"] == 0 and pattern["index"] == "first"  # defaults filled in
    ids = [prop["id"] for prop in answer["singleValueExtendedProperties"]]
    assert property_id(KEY_PROPERTY) in ids and KEY_PROPERTY not in ids  # lower-case GUID
    assert property_id(KEY_PROPERTY) != KEY_PROPERTY  # we write it in upper case


def test_the_fake_refuses_what_graph_refuses(graph: GraphFake) -> None:
    events = f"/users/{MAILBOX}/calendar/events"
    start = {"dateTime": "2026-10-06T10:00:00", "timeZone": "Europe/Berlin"}
    status, body = request(
        graph, "POST", events, {"subject": "x", "start": start, "end": start, "colour": "red"}
    )
    assert status == 400 and "colour" in body["error"]["message"]
    status, body = request(
        graph, "POST", events, {"subject": "x", "start": start, "end": start, "showAs": "maybe"}
    )
    assert status == 400
    status, body = request(
        graph,
        "POST",
        "/$batch",
        {"requests": [{"id": str(n), "method": "GET", "url": events} for n in range(21)]},
    )
    assert status == 400 and "20" in body["error"]["message"]
    status, body = request(
        graph,
        "POST",
        "/$batch",
        {"requests": [{"id": "1", "method": "GET", "url": f"{graph.url}/v1.0{events}"}]},
    )
    assert status == 200 and body["responses"][0]["status"] == 400  # absolute URL in a batch
    status, body = request(graph, "GET", events + "?$filter=subject%20eq%20'x'")
    assert status == 400
