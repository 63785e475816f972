"""What the fakes hold, in a form two runs can be compared by.

A crashed run followed by a clean one must leave exactly what one clean run
leaves. Ids, version numbers and timestamps legitimately differ between the
two histories (a page taken over after a crash gets one more version), so
the snapshots keep what a reader sees: page titles, parents, bodies,
attachments and rte's marker (which must describe the page's current
version, or the next run would rewrite it); events by rte key with their
content, cancelled occurrences and nothing without a key.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from connectors.outlook_events import DIGEST_PROPERTY, KEY_PROPERTY
from tests.fakes.confluence import FakeConfluence
from tests.fakes.graph import GraphFake, StoredEvent, property_id

KEY_ID = property_id(KEY_PROPERTY)
DIGEST_ID = property_id(DIGEST_PROPERTY)


def confluence_state(fake: FakeConfluence, space: str) -> dict[str, Any]:
    """Every current page of `space` by title: parent, body, attachments and rte's marker."""
    with fake.lock:
        pages = [
            page
            for page in fake.state.pages.values()
            if page.space_key == space and page.status == "current"
        ]
        titles = Counter(page.title for page in pages)
        assert max(titles.values()) == 1, f"duplicate pages: {titles}"
        state: dict[str, Any] = {}
        for page in pages:
            parent = fake.state.pages.get(page.parent_id or "")
            marker = fake.property_value(page.id, "rte.page")
            attachments = fake.state.attachments.get(page.id, {})
            state[page.title] = {
                "parent": parent.title if parent else None,
                "body": page.body,
                "attachments": {
                    name: hashlib.sha256(found.data).hexdigest()
                    for name, found in sorted(attachments.items())
                },
                "marker": None
                if marker is None
                else {k: v for k, v in marker.items() if k != "version"},
                "marker_is_current": marker is None or marker.get("version") == page.version,
            }
        return state


@dataclass
class CalendarLog:
    """Every event the Graph fake ever created, and every notice attendees got, by rte key."""

    created: Counter[str] = field(default_factory=Counter)
    notices: Counter[tuple[str, str, date | None]] = field(default_factory=Counter)

    def invites(self) -> Counter[str]:
        return Counter({key: n for (kind, key, _), n in self.notices.items() if kind == "invite"})


class _RecordingStore(dict[str, StoredEvent]):
    def __init__(self, log: CalendarLog, *args: Any) -> None:
        super().__init__(*args)
        self.log = log

    def __setitem__(self, event_id: str, event: StoredEvent) -> None:
        if event_id not in self:
            self.log.created[event.properties.get(KEY_ID, "")] += 1
        super().__setitem__(event_id, event)


def record_calendar(fake: GraphFake) -> CalendarLog:
    """Start logging creations and notices by key (the fake's own log has ids, not keys)."""
    log = CalendarLog()
    fake.stored = _RecordingStore(log, fake.stored)
    notify = fake._notify

    def keyed(
        kind: str, event: StoredEvent, comment: str = "", occurrence: date | None = None
    ) -> None:
        if event.attendees():
            log.notices[(kind, event.properties.get(KEY_ID, ""), occurrence)] += 1
        notify(kind, event, comment, occurrence)

    fake._notify = keyed  # type: ignore[method-assign]
    return log


def calendar_state(fake: GraphFake, mailbox: str) -> dict[str, Any]:
    """Every event of the mailbox by rte key; fails on a duplicate key or an event without one."""
    events = fake.events(mailbox)
    keys = Counter(event.properties.get(KEY_ID) for event in events)
    assert None not in keys, "an event without an rte key (orphaned)"
    assert not keys or max(keys.values()) == 1, f"duplicate events: {keys}"
    return {
        event.properties[KEY_ID]: {
            "digest": event.properties.get(DIGEST_ID),
            "data": {k: v for k, v in event.data.items() if k != "transactionId"},
            "cancelled": sorted(event.cancelled),
        }
        for event in events
    }
