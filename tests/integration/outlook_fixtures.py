"""The Graph fake running on 127.0.0.1, and an `OutlookCalendar` and an `OutlookMailer` that
talk to it for real."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from art.config import ArtConfig
from connectors.graph_client import GraphApp
from connectors.http import RequestCounter, RetryPolicy
from connectors.outlook import OutlookCalendar, SyncOutcome
from connectors.outlook_mail import OutlookMailer
from flows.steps.calendar import art_prefix, diff_calendar
from rules.calendar import CalendarPlan, plan_calendar
from tests.fakes.graph import GraphFake

MAILBOX = "art-calendar@example.com"
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)
# Real Retry-After headers, but waits capped so tests do not sleep.
FAST = RetryPolicy(max_wait=0.01, backoff_initial=0.001, backoff_max=0.01)


@pytest.fixture
def graph() -> Iterator[GraphFake]:
    fake = GraphFake(mailboxes=(MAILBOX,))
    with fake.running():
        yield fake


def outlook(
    graph: GraphFake,
    config: ArtConfig,
    calendar_id: str | None = None,
    *,
    policy: RetryPolicy = FAST,
    counter: RequestCounter | None = None,
) -> OutlookCalendar:
    return OutlookCalendar(
        app=GraphApp.static_token(graph.token, f"{graph.url}/v1.0"),
        mailbox=MAILBOX,
        tz=config.art.timezone,
        calendar_id=calendar_id,
        policy=policy,
        counter=counter if counter is not None else RequestCounter(),
    )


def mailer(graph: GraphFake, policy: RetryPolicy = FAST) -> OutlookMailer:
    return OutlookMailer(
        app=GraphApp.static_token(graph.token, f"{graph.url}/v1.0"), mailbox=MAILBOX, policy=policy
    )


@dataclass(frozen=True)
class Synced:
    plan: CalendarPlan
    outcome: SyncOutcome
    writes: int  # event writes the plan asked for


def sync(
    graph: GraphFake,
    config: ArtConfig,
    *,
    since: datetime = LONG_AGO,
    calendar_id: str | None = None,
    policy: RetryPolicy = FAST,
    counter: RequestCounter | None = None,
) -> Synced:
    """One reconcile run, the way the flow does it: plan, list, diff, apply."""
    plan = plan_calendar(config)
    calendar = outlook(graph, config, calendar_id, policy=policy, counter=counter)
    existing = calendar.list_events(art_prefix(config))
    diff = diff_calendar(config, plan.events, existing, since)
    return Synced(plan, calendar.apply(diff), diff.writes)


def batches_needed(writes: int) -> int:
    return math.ceil(writes / 20)
