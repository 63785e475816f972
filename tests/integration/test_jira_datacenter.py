"""Jira Data Center through the real `jira` library: startAt pages, whole changelogs."""

from __future__ import annotations

import math

import pytest
from pydantic import SecretStr

from connectors.jira import JiraCredentials, connect
from connectors.jira_sync import sync_issues
from connectors.state_store import StateStore
from tests.fakes.jira import FakeJira
from tests.fakes.jira_data import synthetic_field_list, synthetic_issues
from tests.fakes.server import Fault
from tests.integration.jira_fixtures import (
    FAST,
    NOW,
    STORMPROOF,
    by_key,
    export_items,
    jira_config,
    run_sync,
)

SEARCH = "GET /rest/api/2/search"
ISSUE = "GET /rest/api/2/issue/{id}"


def test_a_full_sync_matches_the_export_through_epic_and_parent_links(
    datacenter: FakeJira, store: StateStore
) -> None:
    outcome, counter = run_sync(datacenter, store)
    items = by_key(outcome)
    assert items == export_items()  # hierarchy, legacy sprints, histories without fieldId
    assert items["AUR-30"].parent is not None
    assert dict((e, c) for e, c, _ in counter.rows()) == {"GET /rest/api/2/field": 1, SEARCH: 1}
    searches = [request for request, _ in datacenter.exchanges if request.path.endswith("/search")]
    assert [request.arg("expand") for request in searches] == ["changelog"]


def test_the_assignee_comes_with_the_search_by_its_display_name(
    datacenter: FakeJira, store: StateStore
) -> None:
    outcome, counter = run_sync(datacenter, store)
    searches = [request for request, _ in datacenter.exchanges if request.path.endswith("/search")]
    assert all("assignee" in request.arg("fields").split(",") for request in searches)
    assert by_key(outcome)["AUR-336"].assignee == "Florian Richter"
    assert dict((e, c) for e, c, _ in counter.rows()) == {"GET /rest/api/2/field": 1, SEARCH: 1}


def test_a_personal_access_token_is_sent_as_a_bearer_token(
    datacenter: FakeJira, store: StateStore
) -> None:
    run_sync(datacenter, store)
    headers = {request.headers["authorization"] for request, _ in datacenter.exchanges}
    assert headers == {f"Bearer {datacenter.token}"}


def test_truncated_changelogs_are_read_again_whole(datacenter: FakeJira, store: StateStore) -> None:
    datacenter.changelog_limit = 3
    outcome, counter = run_sync(datacenter, store)
    assert by_key(outcome) == export_items()
    truncated = sum(1 for issue in datacenter.issues.values() if len(issue["histories"]) > 3)
    assert truncated > 0
    assert dict((e, c) for e, c, _ in counter.rows())[ISSUE] == truncated


@pytest.mark.parametrize("count", [0, 1, 1000, 1001])
def test_startat_pages_cover_every_issue_once(store: StateStore, count: int) -> None:
    fake = FakeJira("datacenter", user=None, fields=synthetic_field_list(), now=NOW)
    fake.add_issues(synthetic_issues(count, now=NOW, project="AUR"), owned=True)
    with fake.running():
        outcome, counter = run_sync(fake, store)
    assert len(outcome.parsed.items) == count
    assert dict((e, c) for e, c, _ in counter.rows())[SEARCH] == max(1, math.ceil(count / 1000))


def test_a_storm_on_data_center_ends_in_success(datacenter: FakeJira, store: StateStore) -> None:
    datacenter.changelog_limit = 3
    datacenter.inject(
        Fault("status", path="/rest/api/2/", status=429, retry_after="2", times=None, rate=0.2),
        Fault("drop", path="/rest/api/2/issue", times=None, rate=0.1),
    )
    outcome, counter = run_sync(datacenter, store, policy=STORMPROOF)
    assert by_key(outcome) == export_items()
    assert sum(counter.retries.values()) > 0


def test_basic_auth_works_where_the_site_allows_it(store: StateStore) -> None:
    fake = FakeJira("datacenter", user="svc-rte", fields=synthetic_field_list(), now=NOW)
    fake.add_issues(synthetic_issues(3, now=NOW, project="AUR"))
    with fake.running():
        config = jira_config(fake)
        credentials = JiraCredentials(token=SecretStr(fake.token), user=SecretStr("svc-rte"))
        site = connect(config, credentials, policy=FAST)
        assert len(sync_issues(site, store, config, now=NOW).parsed.items) == 3
