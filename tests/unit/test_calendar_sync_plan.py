"""Planning an Outlook sync: Graph JSON for an ART event, and create/update/cancel by digest."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.model import ArtEvent
from connectors.outlook_events import Existing, desired, graph_payload, plan_sync

TZ = "Europe/Berlin"
BERLIN = ZoneInfo(TZ)
SYNC = ArtEvent(
    key="aurora-art/pi-2026-4/art-sync",
    title="ART Sync: PI 2026.4",
    start=datetime(2026, 10, 7, 11, 0, tzinfo=BERLIN),
    end=datetime(2026, 10, 7, 11, 45, tzinfo=BERLIN),
    attendees=("rte@example.com",),
    rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20261209T100000Z",
    exdates=(datetime(2026, 11, 4, 11, 0, tzinfo=BERLIN),),
    online_meeting=True,
)
DEMO_DAY = ArtEvent(
    key="aurora-art/pi-2026-4/system-demo/iteration-1",
    title="System Demo",
    start=datetime(2026, 10, 16, 14, 0, tzinfo=BERLIN),
    end=datetime(2026, 10, 16, 15, 30, tzinfo=BERLIN),
)
SCOPES = ("aurora-art/pi-2026-4/",)
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def existing(event: ArtEvent, *, id: str = "id-1", **changes: object) -> Existing:
    found = Existing(
        id=id,
        key=event.key,
        digest=desired(event, TZ).digest,
        has_attendees=bool(event.attendees),
        cancelled=frozenset(moment.date() for moment in event.exdates),
        ends=event.end.astimezone(UTC),
    )
    return replace(found, **changes)  # type: ignore[arg-type]


def test_a_weekly_series_becomes_one_graph_series_in_wall_clock_time() -> None:
    payload = graph_payload(SYNC, TZ)
    assert payload["start"] == {"dateTime": "2026-10-07T11:00:00", "timeZone": TZ}
    assert payload["recurrence"] == {
        "pattern": {
            "type": "weekly",
            "interval": 2,
            "daysOfWeek": ["wednesday"],
            "firstDayOfWeek": "monday",
        },
        "range": {
            "type": "endDate",
            "startDate": "2026-10-07",
            "endDate": "2026-12-09",  # UNTIL is 10:00 UTC, 11:00 in Berlin: the same day
            "recurrenceTimeZone": TZ,
        },
    }
    assert payload["isOnlineMeeting"] and payload["onlineMeetingProvider"] == "teamsForBusiness"
    assert graph_payload(DEMO_DAY, TZ)["recurrence"] is None  # a patch turns a series back


@pytest.mark.parametrize("rrule", ["FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=WEEKLY;BYSETPOS=1"])
def test_a_rule_outlook_sync_cannot_express_is_refused_by_event(rrule: str) -> None:
    with pytest.raises(ValueError, match=SYNC.key):
        graph_payload(replace(SYNC, rrule=rrule), TZ)


def test_titles_and_locations_are_one_line_bodies_keep_their_lines() -> None:
    odd = replace(DEMO_DAY, title="A\r\nB\u2028C\x1b[2J", location="Room\n1", description="x\r\ny")
    payload = graph_payload(odd, TZ)
    assert payload["subject"] == "A B C [2J" and payload["location"]["displayName"] == "Room 1"
    assert payload["body"] == {"contentType": "text", "content": "x\ny"}


@given(
    title=st.text(max_size=20),
    minutes=st.integers(min_value=0, max_value=600),
    attendee=st.emails(),
)
def test_the_digest_changes_exactly_when_what_we_write_changes(
    title: str, minutes: int, attendee: str
) -> None:
    changed = replace(
        DEMO_DAY,
        title=title or DEMO_DAY.title,
        start=DEMO_DAY.start + timedelta(minutes=minutes),
        attendees=(attendee,),
    )
    same_payload = graph_payload(changed, TZ) == graph_payload(DEMO_DAY, TZ)
    assert (desired(changed, TZ).digest == desired(DEMO_DAY, TZ).digest) == same_payload


def test_unchanged_events_are_left_alone_and_changed_ones_updated_in_place() -> None:
    plan = plan_sync(
        [SYNC, DEMO_DAY], [existing(SYNC), existing(DEMO_DAY, id="id-2")], tz=TZ, scopes=SCOPES
    )
    assert plan.writes == 0 and len(plan.unchanged) == 2 and plan.repair == ()
    moved = replace(DEMO_DAY, start=DEMO_DAY.start + timedelta(days=7))
    plan = plan_sync(
        [SYNC, moved], [existing(SYNC), existing(DEMO_DAY, id="id-2")], tz=TZ, scopes=SCOPES
    )
    [(have, want)] = plan.update
    assert have.id == "id-2" and want.event is moved and plan.create == ()


def test_a_series_missing_a_cancelled_holiday_is_repaired_not_rewritten() -> None:
    plan = plan_sync([SYNC], [existing(SYNC, cancelled=frozenset())], tz=TZ, scopes=SCOPES)
    assert plan.writes == 0 and [have.id for have, _ in plan.repair] == ["id-1"]


def test_removals_stay_inside_the_synced_pis_and_drop_second_copies() -> None:
    other_pi = replace(DEMO_DAY, key="aurora-art/pi-2026-3/system-demo/iteration-1")
    plan = plan_sync(
        [DEMO_DAY],
        [
            existing(DEMO_DAY, id="first"),
            existing(DEMO_DAY, id="copy"),
            existing(SYNC, id="gone"),
            existing(other_pi, id="older-pi"),
        ],
        tz=TZ,
        scopes=SCOPES,
    )
    assert sorted(item.id for item in plan.remove) == ["copy", "gone"]
    assert [item.id for item in plan.unchanged] == ["first"]


def test_history_is_neither_created_changed_nor_cancelled() -> None:
    past = replace(DEMO_DAY, title="Renamed")  # it took place on 16 October
    plan = plan_sync([past, SYNC], [existing(DEMO_DAY)], tz=TZ, scopes=SCOPES, since=NOW)
    assert plan.update == () and plan.past == 1 and [w.event for w in plan.create] == [SYNC]
    gone = plan_sync([], [existing(DEMO_DAY)], tz=TZ, scopes=SCOPES, since=NOW)
    assert gone.remove == ()
    # An old event moved into the future is the same event: updated, not created again.
    future = replace(
        DEMO_DAY, start=DEMO_DAY.start + timedelta(weeks=4), end=DEMO_DAY.end + timedelta(weeks=4)
    )
    revived = plan_sync([future], [existing(DEMO_DAY)], tz=TZ, scopes=SCOPES, since=NOW)
    assert [have.id for have, _ in revived.update] == ["id-1"] and revived.create == ()
    assert date(2026, 11, 13) == future.start.date()
