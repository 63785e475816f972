"""Shared set-up for the Jira connector tests: a fast retry policy, configs, running fakes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from art.config import JiraAuth, JiraConfig
from art.model import WorkItem
from connectors.http import RequestCounter, RetryPolicy
from connectors.jira import JiraCredentials, connect
from connectors.jira_export import read_export
from connectors.jira_sync import SyncOutcome, sync_issues
from connectors.state_store import StateStore
from tests.fakes.jira import FakeJira
from tests.fakes.jira_data import DEMO, as_datacenter, demo_field_list, demo_issues
from tests.jira_builders import demo_fields

# Real Retry-After headers, waits cut to 10 ms so a storm costs milliseconds.
FAST = RetryPolicy(
    attempts=4,
    total_seconds=10,
    max_wait=0.01,
    backoff_initial=0.001,
    backoff_max=0.01,
    connect_timeout=2,
    read_timeout=2,
)
# For random storms: enough attempts that a run of bad luck is not a test failure.
STORMPROOF = replace(FAST, attempts=12)
NOW = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)  # the night after the demo's snapshot


def jira_config(fake: FakeJira, **overrides: Any) -> JiraConfig:
    dc = not fake.cloud
    values: dict[str, Any] = {
        "backend": "cloud" if fake.cloud else "datacenter",
        "url": fake.url,
        "auth": JiraAuth(user=None if dc else "env:JIRA_USER", token="env:JIRA_TOKEN"),
        "projects": ("AUR",),
        "fields": demo_fields(
            **({"epic_link": "Epic Link", "parent_link": "Parent Link"} if dc else {})
        ),
    }
    values.update(overrides)
    return JiraConfig(**values)


def credentials(fake: FakeJira) -> JiraCredentials:
    user = SecretStr(fake.user) if fake.cloud and fake.user else None
    return JiraCredentials(token=SecretStr(fake.token), user=user)


def run_sync(
    fake: FakeJira,
    store: StateStore,
    config: JiraConfig | None = None,
    *,
    full: bool = False,
    policy: RetryPolicy = FAST,
) -> tuple[SyncOutcome, RequestCounter]:
    """One sync as the nightly run does it, at the fake's current time."""
    counter = RequestCounter()
    site = connect(config or jira_config(fake), credentials(fake), policy=policy, counter=counter)
    return sync_issues(site, store, config or jira_config(fake), full=full, now=fake.now), counter


@cache
def _export_items() -> tuple[WorkItem, ...]:
    export = JiraConfig(backend="export", export_dir=str(DEMO), fields=demo_fields())
    return read_export(Path(DEMO), export).items


def export_items() -> dict[str, WorkItem]:
    """The demo parsed straight from its files: what a correct connector must arrive at."""
    return {item.key: item for item in _export_items()}


def by_key(outcome: SyncOutcome) -> dict[str, WorkItem]:
    return {item.key: item for item in outcome.parsed.items}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    with StateStore.in_dir(tmp_path / "state") as opened:
        yield opened


@pytest.fixture(scope="module")
def cloud_site() -> Iterator[FakeJira]:
    fake = FakeJira("cloud", fields=demo_field_list(), now=NOW)
    with fake.running():
        yield fake


@pytest.fixture
def cloud(cloud_site: FakeJira) -> FakeJira:
    """The demo ART on a Cloud site, freshly seeded (the socket is shared by the module)."""
    cloud_site.user, cloud_site.token = "rte@example.com", "secret-api-token-123"
    cloud_site.reset(demo_issues(), demo_field_list(), NOW)
    return cloud_site


@pytest.fixture(scope="module")
def datacenter_site() -> Iterator[FakeJira]:
    fake = FakeJira("datacenter", user=None, now=NOW)
    with fake.running():
        yield fake


@pytest.fixture
def datacenter(datacenter_site: FakeJira) -> FakeJira:
    """The demo ART as a Data Center site shows it, freshly seeded."""
    datacenter_site.changelog_limit = None
    datacenter_site.reset(*as_datacenter(demo_issues(), demo_field_list()), NOW)
    return datacenter_site


@pytest.fixture(params=["cloud", "datacenter"])
def site(request: pytest.FixtureRequest) -> FakeJira:
    """The demo ART on a freshly seeded Cloud site, then on a Data Center one."""
    fake: FakeJira = request.getfixturevalue(request.param)
    return fake


def hierarchy_links(fake: FakeJira) -> dict[str, str]:
    """The fields a site's hierarchy needs: none on Cloud (`parent`), Epic/Parent Link on DC."""
    return {} if fake.cloud else {"epic_link": "Epic Link", "parent_link": "Parent Link"}


def write_art_yaml(
    fake: FakeJira,
    folder: Path,
    *,
    board: int | None = None,
    fields: dict[str, str] | None = None,
    team_board: int | None = None,
) -> Path:
    """A minimal art.yaml for the fake site; credentials by reference (JIRA_USER, JIRA_TOKEN).

    `fields` adds to (or overrides) the mapping of Story Points, Team, Flagged and Sprint;
    `team_board` is the board of team Atlas.
    """
    mapping = {
        "story_points": "Story Points",
        "team": "Team",
        "flagged": "Flagged",
        "sprint": "Sprint",
        **(fields or {}),
    }
    auth = (
        "{user: 'env:JIRA_USER', token: 'env:JIRA_TOKEN'}"
        if fake.cloud
        else ("{token: 'env:JIRA_TOKEN'}")
    )
    kanban = (
        f"kanban: {{level: feature, board: {board}}}"
        if board
        else "kanban:\n  level: feature\n  states:\n"
        "    - {name: Analyzing, statuses: [Analyzing], wip_limit: 4}\n"
        "    - {name: Implementing, statuses: [Implementing], wip_limit: 8}"
    )
    path = folder / "art.yaml"
    path.write_text(
        f"""art: {{name: Aurora ART, timezone: Europe/Berlin}}
teams: [{{name: Atlas{f", board: {team_board}" if team_board else ""}}}]
jira:
  backend: {"cloud" if fake.cloud else "datacenter"}
  url: {fake.url}
  auth: {auth}
  projects: [AUR]
  fields: {json.dumps(mapping)}
{kanban}
cadence:
  pis: [{{name: PI 2026.4, start: 2026-10-05}}]
state_dir: state
""",
        encoding="utf-8",
    )
    return path
