"""The retry time of a whole run is capped, not only that of each call.

Found by the storms: every call had its own budget (6 attempts within
300 s), so a run against a service that kept failing spent the whole budget
on every page, every batch, every issue; and the rounds in which Graph
`$batch` items throttled on their own were bounded by attempts only, so a
long Retry-After on an item was waited out round after round. Now the calls
of one run share `RetryPolicy.run_seconds` through their `RequestCounter`,
and item rounds stop at the policy's `total_seconds` like any request.
"""

from __future__ import annotations

from dataclasses import replace

from connectors.http import RequestCounter, RetriesExhaustedError, RetryPolicy
from connectors.http_requests import retrying_session
from tests.fake_clock import FakeClock
from tests.fakes.graph import GraphFake
from tests.fakes.server import FakeServer, Fault
from tests.reliability.runs import sync_calendar
from tests.reliability.scenarios import MAILBOX, calendar_train

# Many attempts and long calls allowed, a short run: only the run's budget can end it.
PATIENT = RetryPolicy(
    attempts=50,
    total_seconds=60,
    run_seconds=0.3,
    max_wait=0.05,
    backoff_initial=0.05,
    backoff_max=0.05,
)


def test_a_run_stops_retrying_once_its_budget_is_spent() -> None:
    fake = FakeServer()
    fake.inject(Fault("status", status=503, times=None))
    counter, clock = RequestCounter(), FakeClock()
    with fake.running():
        session = retrying_session(replace(PATIENT, clock=clock, jitter=lambda: 1.0), counter)
        messages = []
        for page in range(10):
            try:
                session.get(f"{fake.url}/page/{page}")
            except RetriesExhaustedError as exc:
                messages.append(str(exc))
    assert len(messages) == 10
    # 10 calls of 49 waits each without the cap; with it, the run waits until the next
    # wait would pass its budget, and not once more (attempts take no time on this clock)
    assert sum(clock.waits) <= PATIENT.run_seconds < sum(clock.waits) + PATIENT.max_wait
    assert counter.retry_seconds == sum(clock.waits)
    assert "the run's retry budget of 0.3 s is spent" in messages[-1]
    assert counter.total == 10 + len(clock.waits) < 30  # after the budget, one try a call


def test_throttled_batch_items_stop_at_the_policys_total_time() -> None:
    fake = GraphFake(mailboxes=(MAILBOX,))
    # Every new event is throttled for an hour, item by item inside the batches.
    fake.inject(
        Fault("status", path="/events$", method="POST", status=429, retry_after="3600", times=None)
    )
    policy = RetryPolicy(attempts=20, total_seconds=0.3, max_wait=0.1, backoff_initial=0.01)
    with fake.running():
        outcome = sync_calendar(fake, calendar_train(2), policy)
    assert outcome.created == 0 and outcome.failures
    assert all("HTTP 429" in failure for failure in outcome.failures)
    # Each round of the throttled items waits 0.1 s (the Retry-After, capped): a 4th round
    # would start past the 0.3 s the policy allows, where its 20 attempts alone allow 20.
    posted = [entry for entry in fake.item_log if entry.method == "POST"]
    rounds, rest = divmod(len(posted), len(outcome.failures))
    assert rest == 0 and 1 <= rounds <= 3, (len(posted), len(outcome.failures))
