"""Crash the Outlook calendar sync after every single write; the next run must finish the job.

The sync the `art_calendar` flow runs (list our events, diff, apply in
`$batch` requests, then cancel the holiday occurrences of new series) against
the Graph fake, from an empty calendar (creates) and from the previous
version of the calendar (updates, cancellations and creates). For every
write k of a clean run and both ways of dying, the run is stopped right
after write k and run again without faults. The mailbox must then hold what
the clean run left (no duplicate event, no event without our key), attendees
must have got exactly the notices of one clean run (one invitation per
event, no second update or cancellation), and one more run writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from art.config import ArtConfig
from connectors.graph_client import GraphCallFailed
from tests.fakes.graph import GraphFake
from tests.reliability.outage import Outage, crash_points, install, stop_all
from tests.reliability.runs import sync_calendar
from tests.reliability.scenarios import MAILBOX, calendar_train
from tests.reliability.snapshots import CalendarLog, calendar_state, record_calendar

TRIED: list[int] = []


@pytest.fixture
def mailbox_factory() -> Iterator:
    started: list[GraphFake] = []

    def start(before: ArtConfig | None) -> tuple[GraphFake, CalendarLog]:
        fake = GraphFake(mailboxes=(MAILBOX,))
        fake.start()
        started.append(fake)
        if before is not None:
            assert not sync_calendar(fake, before).failures
        return fake, record_calendar(fake)

    yield start
    stop_all(started)


@pytest.mark.parametrize("scenario", ["create", "change"])
def test_a_sync_killed_after_any_write_is_finished_by_the_next(
    scenario: str, mailbox_factory
) -> None:
    before = calendar_train(1) if scenario == "change" else None
    config = calendar_train(2)

    reference, clean_log = mailbox_factory(before)
    counting = install(reference, Outage())
    clean = sync_calendar(reference, config)
    assert not clean.failures
    expected = calendar_state(reference, MAILBOX)
    writes = len(counting.writes)
    assert writes >= (25 if scenario == "create" else 13)
    assert clean.batch_requests >= (4 if scenario == "create" else 1)  # 2 + holiday rounds
    assert max(clean_log.created.values()) == 1

    for k, mode in crash_points(writes):
        fake, log = mailbox_factory(before)
        outage = install(fake, Outage(k, mode))
        try:
            crashed = sync_calendar(fake, config)
        except GraphCallFailed as exc:  # it says where it stopped, as far as it can know
            assert str(exc).startswith(f"Microsoft Graph, mailbox {MAILBOX}"), exc
            confirmed = re.search(r"; (\d+) write\(s\) confirmed done before", str(exc))
            assert confirmed and int(confirmed[1]) <= k, (k, mode, exc)
        else:  # Graph answered each throttled item alone: the sync reports the failures
            assert crashed.failures or (k, mode) == (writes, "outage"), (k, mode, crashed)
        assert len(outage.writes) == k, (k, mode, outage.writes)
        outage.lift()
        resumed = sync_calendar(fake, config)
        assert not resumed.failures, (k, mode, resumed.failures)
        assert calendar_state(fake, MAILBOX) == expected, (k, mode)
        assert log.notices == clean_log.notices, (k, mode)
        assert log.created == clean_log.created, (k, mode)
        fake.reset_log()
        settled = sync_calendar(fake, config)
        assert settled.batch_requests == 0 and fake.count(method="POST") == 0, (k, mode)
        TRIED.append(k)
