"""Storms of every kind of fault, at 1% to 50%: finish right, or stop clearly and resumably.

Each storm run publishes against a fake that fails requests at random
(`tests.reliability.storms`). Whatever happens, the run must either end with
the same result as a clean run, or stop with an error that names the service
and how far the run got; its retry time stays within the policy's run
budget; and a clean run afterwards must finish the job (the same pages,
events or issues as one clean run), after which there is nothing left to
write.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from art.model import WorkItem
from connectors.graph_client import GraphCallFailed
from connectors.http import RequestCounter
from connectors.jira import JiraError, connect
from connectors.jira_sync import SyncOutcome, sync_issues
from connectors.outlook import SyncOutcome as CalendarOutcome
from connectors.state_store import StateStore
from flows.steps.bootstrap import bootstrap
from flows.steps.publishing import PublishFailed, PublishRun, publish_pages
from tests.fakes.graph import GraphFake
from tests.fakes.jira import FakeJira
from tests.fakes.jira_data import demo_field_list, demo_issues
from tests.fakes.server import FakeServer
from tests.integration.jira_fixtures import NOW, credentials, jira_config
from tests.integration.outlook_fixtures import mailer
from tests.reliability.outage import stop_all
from tests.reliability.runs import sync_calendar, write_back
from tests.reliability.scenarios import (
    CONFLUENCE_ENV,
    JIRA_ENV,
    MAILBOX,
    SPACE,
    calendar_train,
    confluence_site,
    confluence_train,
    objective_page_versions,
    rollup_site,
)
from tests.reliability.snapshots import calendar_state, confluence_state, record_calendar
from tests.reliability.storms import STORM, STORM_CONFLUENCE, storm, within_budget

RUNS: list[str] = []  # service:kind:rate of every storm run, for the counts in the README


@pytest.fixture(scope="module")
def launch() -> Iterator[Callable[[FakeServer], Any]]:
    """Start fakes now, stop them all at the end of the module (stopping one costs a poll)."""
    started: list[FakeServer] = []

    def start(fake: FakeServer) -> Any:
        fake.start()
        started.append(fake)
        return fake

    yield start
    stop_all(started)


@pytest.fixture(autouse=True)
def confluence_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CONFLUENCE_ENV.items():
        monkeypatch.setenv(name, value)


# --------------------------------------------------------------------------
# Confluence pages


@pytest.fixture(scope="module")
def clean_pages(launch: Callable, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """What one clean publish leaves, per deployment."""
    _, pages = objective_page_versions()
    clean = {}
    for deployment in ("cloud", "datacenter"):
        fake = launch(confluence_site(deployment))
        out = tmp_path_factory.mktemp("clean")
        with pytest.MonkeyPatch.context() as env:
            for name, value in CONFLUENCE_ENV.items():
                env.setenv(name, value)
            target = bootstrap(confluence_train(fake, out / "state"), out).pages
            assert not publish_pages(pages, target, dry_run=False).failed
        clean[deployment] = confluence_state(fake, SPACE)
    return clean


def test_pages_under_a_storm(
    storm_case, launch: Callable, clean_pages: dict, tmp_path: Path
) -> None:
    kind, rate, seed = storm_case
    deployment = ("cloud", "datacenter")[seed % 2]  # the large sweep's seeds give both each case
    _, pages = objective_page_versions()
    fake = launch(confluence_site(deployment, seed=seed))
    config = confluence_train(fake, tmp_path / "state")

    def publish() -> tuple[PublishRun, RequestCounter]:
        target = bootstrap(config, tmp_path, policy=STORM_CONFLUENCE).pages
        return publish_pages(pages, target, dry_run=False), target.counter

    fake.inject(storm(kind, rate))
    stormy, counter = publish()
    assert within_budget(counter), counter.retry_seconds
    fake.clear_faults()
    stopped = bool(stormy.failed)
    if stopped:
        with pytest.raises(PublishFailed) as failed:
            stormy.raise_for_failures()
        message = str(failed.value)
        assert message.startswith(f"{stormy.target}: ") and " published" in message, message
    else:
        assert confluence_state(fake, SPACE) == clean_pages[deployment]
    resumed, _ = publish()
    assert not resumed.failed and confluence_state(fake, SPACE) == clean_pages[deployment]
    fake.reset_log()
    publish()
    assert fake.write_count() == 0
    RUNS.append(f"confluence-{deployment}:{kind}:{rate}:{'stopped' if stopped else 'completed'}")


# --------------------------------------------------------------------------
# Outlook calendar and mail


def sync(fake: GraphFake, counter: RequestCounter | None = None) -> CalendarOutcome:
    return sync_calendar(fake, calendar_train(2), STORM, counter)


@pytest.fixture(scope="module")
def clean_calendar(launch: Callable) -> dict:
    fake = launch(GraphFake(mailboxes=(MAILBOX,)))
    assert not sync(fake).failures
    return calendar_state(fake, MAILBOX)


def test_the_calendar_under_a_storm(storm_case, launch: Callable, clean_calendar: dict) -> None:
    kind, rate, seed = storm_case
    fake = launch(GraphFake(mailboxes=(MAILBOX,), seed=seed))
    log = record_calendar(fake)
    if kind == "timeout":  # slow requests, not slow items: the fake answers a batch's items
        fake.inject(storm(kind, rate, r"\$batch$"), storm(kind, rate, "/events$", "GET"))
    else:  # under one lock, and Graph answers a batch within its own time limit anyway
        fake.inject(storm(kind, rate))
    counter = RequestCounter()
    stopped = True
    try:
        outcome = sync(fake, counter=counter)
    except GraphCallFailed as exc:
        assert str(exc).startswith(f"Microsoft Graph, mailbox {MAILBOX}"), exc
        assert "nothing was changed" in str(exc) or "confirmed done before" in str(exc)
    else:
        stopped = bool(outcome.failures)
        if stopped:
            assert outcome.failure_summary().startswith(f"{len(outcome.failures)} change(s)")
        else:
            assert calendar_state(fake, MAILBOX) == clean_calendar
    assert within_budget(counter), counter.retry_seconds
    fake.clear_faults()
    resumed = sync(fake)
    assert not resumed.failures and calendar_state(fake, MAILBOX) == clean_calendar
    assert set(log.invites().values()) == {1}, "an attendee was invited twice"
    fake.reset_log()
    assert sync(fake).batch_requests == 0
    RUNS.append(f"graph:{kind}:{rate}:{'stopped' if stopped else 'completed'}")


MAILS = 5  # one a night


def test_the_escalation_mail_under_a_storm(storm_case, launch: Callable) -> None:
    kind, rate, seed = storm_case
    fake = launch(GraphFake(mailboxes=(MAILBOX,), seed=seed))
    fake.inject(storm(kind, rate))
    mail = mailer(fake, STORM)
    for night in range(MAILS):
        outcome = "completed"
        try:
            mail.send_mail(["rte@example.com"], f"ART health {night}", "<p>3 findings</p>")
        except GraphCallFailed as exc:
            assert str(exc).startswith(f"Microsoft Graph, mailbox {MAILBOX}"), exc
            assert "sendMail" in str(exc), exc
            outcome = "stopped"
        sent = [mail["subject"] for mail in fake.sent_mail].count(f"ART health {night}")
        # sent once, or (its answer lost, or refused) at most once: never twice
        assert sent == 1 if outcome == "completed" else sent <= 1
        RUNS.append(f"mail:{kind}:{rate}:{outcome}")


# --------------------------------------------------------------------------
# Jira


ISSUES = 101  # two search pages (100 a page) and a bulkfetch: requests to fail between


def jira_sync(
    fake: FakeJira, store: StateStore, *, counter: RequestCounter | None = None
) -> SyncOutcome:
    config = jira_config(fake)
    site = connect(config, credentials(fake), policy=STORM, counter=counter)
    return sync_issues(site, store, config, now=fake.now)


def night_after(fake: FakeJira) -> None:
    """The fake as the next night finds it: an hour on, one feature moved."""
    fake.clear_faults()
    fake.reset(demo_issues()[:ISSUES], demo_field_list(), NOW)
    fake.advance(hours=1)
    fake.transition("AUR-30", "Done")


@pytest.fixture(scope="module")
def jira_site(launch: Callable, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The fake, a store as the last clean sync left it, and what a clean night leads to."""
    fake = launch(FakeJira("cloud", fields=demo_field_list(), now=NOW))
    fake.reset(demo_issues()[:ISSUES], demo_field_list(), NOW)
    synced = tmp_path_factory.mktemp("synced")
    with StateStore.in_dir(synced) as store:
        jira_sync(fake, store)
    night_after(fake)
    fresh = tmp_path_factory.mktemp("fresh")
    with StateStore.in_dir(fresh) as store:
        expected: tuple[WorkItem, ...] = tuple(jira_sync(fake, store).parsed.items)
    return fake, synced, expected


def test_a_jira_sync_under_a_storm(storm_case, jira_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kind, rate, seed = storm_case
    fake, synced, expected = jira_site
    night_after(fake)
    fake._random.seed(seed)
    shutil.copytree(synced, tmp_path / "state")
    with StateStore.in_dir(tmp_path / "state") as store:
        fake.inject(storm(kind, rate))
        counter = RequestCounter()
        outcome = "completed"
        try:
            jira_sync(fake, store, counter=counter)
        except JiraError as exc:
            assert str(exc).startswith(f"Jira at {fake.url}"), exc
            assert "the state store keeps the sync of" in str(exc), exc
            outcome = "stopped"
        assert within_budget(counter), counter.retry_seconds
        fake.clear_faults()
        assert tuple(jira_sync(fake, store).parsed.items) == expected
    RUNS.append(f"jira:{kind}:{rate}:{outcome}")


# --------------------------------------------------------------------------
# Roll-up write-back


def rollup_changes(fake: FakeJira) -> Counter[str]:
    """Edits that changed Rolled-up Points, by issue (a PUT repeating a value changes nothing)."""
    return Counter(
        issue["key"]
        for issue in fake.issues.values()
        for history in issue["histories"]
        for item in history["items"]
        if item.get("field") == "Rolled-up Points"
    )


def test_the_write_back_under_a_storm(
    storm_case, launch: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kind, rate, seed = storm_case
    for name, value in JIRA_ENV.items():
        monkeypatch.setenv(name, value)
    deployment = ("cloud", "datacenter")[seed % 2]
    issues, fields = rollup_site(deployment)
    fake = launch(FakeJira(deployment, issues=issues, fields=fields, now=NOW, seed=seed))
    state = tmp_path / "state"
    fake.inject(storm(kind, rate))
    counter = RequestCounter()
    _, stormy = write_back(fake, deployment, state, policy=STORM, counter=counter)
    assert within_budget(counter), counter.retry_seconds
    outcome = "completed"
    if isinstance(stormy, JiraError):  # the sync before the writes did not get through
        assert str(stormy).startswith(f"Jira at {fake.url}"), stormy
        outcome = "stopped"
    elif not stormy.ok:
        assert (stormy.stopped or "").startswith(f"Jira at {fake.url}") or stormy.failed, stormy
        outcome = "stopped"
    fake.clear_faults()
    fake.advance(minutes=5)
    _, resumed = write_back(fake, deployment, state)
    assert resumed.ok, resumed
    assert set(rollup_changes(fake).values()) == {1}  # each parent's value changed once
    fake.advance(minutes=5)
    assert write_back(fake, deployment, state)[0] == 0
    RUNS.append(f"jira-write-back:{kind}:{rate}:{outcome}")
