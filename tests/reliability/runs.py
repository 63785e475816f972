"""The runs the reliability suites crash and storm: what a flow or command does, step by step.

Shared by the crash suites and the storms, so that each test module holds
only tests: the calendar sync of the `art_calendar` flow (through the
integration tests' Outlook builders, here with the reliability policies) and
`rte rollup --write-back`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from art.config import ArtConfig
from connectors.http import RequestCounter, RetryPolicy
from connectors.jira import JiraError
from connectors.outlook import SyncOutcome
from flows.steps.bootstrap import bootstrap
from flows.steps.jira_snapshot import JiraSnapshot
from flows.steps.rollup_write_back import write_back_rollup
from rules.rollup import evaluate_rollup, plan_write_back
from tests.fakes.graph import GraphFake
from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import NOW
from tests.integration.outlook_fixtures import sync
from tests.reliability.scenarios import FAST, rollup_train

# --------------------------------------------------------------------------
# Outlook calendar


def sync_calendar(
    graph: GraphFake,
    config: ArtConfig,
    policy: RetryPolicy = FAST,
    counter: RequestCounter | None = None,
) -> SyncOutcome:
    """What the calendar flow's tasks do (plan, list, diff, apply) under a reliability
    policy, its requests counted by `counter` if given."""
    return sync(graph, config, policy=policy, counter=counter).outcome


# --------------------------------------------------------------------------
# Roll-up write-back


def write_back(
    fake: FakeJira,
    deployment: str,
    state: Path,
    policy: RetryPolicy = FAST,
    counter: RequestCounter | None = None,
) -> tuple[int, Any]:
    """`rte rollup --write-back`'s steps: (planned writes, WriteResult or the error raised).

    The credentials come from `scenarios.JIRA_ENV`, which the caller sets; `counter`, if
    given, counts the Jira requests."""
    config = rollup_train(fake.url, deployment, str(state))
    counter = counter if counter is not None else RequestCounter()
    try:
        jira = bootstrap(config, ".", policy=policy, jira_counter=counter).live_jira()
        synced = jira.sync(now=fake.now)
    except JiraError as exc:  # the run died before writing anything
        return 0, exc
    snapshot = JiraSnapshot(
        items=synced.outcome.parsed.items,
        rejected=(),
        columns=synced.columns,
        as_of=NOW.date(),
        site=config.jira.url,
        field_ids=synced.outcome.ids,
    )
    report = evaluate_rollup(snapshot.items, config)
    plan = plan_write_back(report.rows, report.hierarchy.items)
    return len(plan), write_back_rollup(jira, snapshot, plan)
