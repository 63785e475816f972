"""Jira Cloud through the real `jira` library against the stateful fake: complete, cheap, robust."""

from __future__ import annotations

import base64
import logging
import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from connectors import jira as jira_connector
from connectors.http import RequestCounter
from connectors.jira import JiraAuthError, JiraCredentials, JiraError, JiraUnavailableError, connect
from connectors.jira_fields import FieldMappingError
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

FIELD = "GET /rest/api/3/field"
SEARCH = "GET /rest/api/3/search/jql"
BULK = "POST /rest/api/3/changelog/bulkfetch"


def requests_by_endpoint(counter: RequestCounter) -> dict[str, int]:
    return {endpoint: count for endpoint, count, _ in counter.rows()}


def full_sync_cost(issues: int) -> dict[str, int]:
    """The lower bound: the field list, a page per 100 issues, a bulkfetch per 1000."""
    cost = {FIELD: 1, SEARCH: max(1, math.ceil(issues / 100))}
    if issues:
        cost[BULK] = math.ceil(issues / 1000)
    return cost


def test_a_full_sync_reads_complete_histories_at_the_lower_bound(
    cloud: FakeJira, store: StateStore
) -> None:
    outcome, counter = run_sync(cloud, store)
    expected = export_items()
    assert by_key(outcome) == expected  # every transition and flag, as the export has them
    assert outcome.mode == "full" and outcome.fetched == len(expected)
    assert requests_by_endpoint(counter) == full_sync_cost(len(expected))
    assert cloud.counts() == counter.requests  # what we counted is what the server saw
    assert all(request.path.startswith("/rest/api/3/") for request, _ in cloud.exchanges)


def test_search_asks_only_for_the_mapped_fields_and_bulkfetch_only_for_status_and_flag(
    cloud: FakeJira, store: StateStore
) -> None:
    run_sync(cloud, store)
    searches = [request for request, _ in cloud.exchanges if request.path.endswith("/search/jql")]
    asked = {field for request in searches for field in request.query["fields"]}
    assert "*all" not in asked and "description" not in asked and "customfield_10016" in asked
    assert {request.arg("maxResults") for request in searches} == {"100"}
    bulk = [request.json() for request, _ in cloud.exchanges if request.path.endswith("bulkfetch")]
    assert [body["fieldIds"] for body in bulk] == [["status", "customfield_10021"]]


def test_the_assignee_comes_with_the_other_fields_at_no_extra_request(
    cloud: FakeJira, store: StateStore
) -> None:
    outcome, counter = run_sync(cloud, store)
    searches = [request for request, _ in cloud.exchanges if request.path.endswith("/search/jql")]
    assert all("assignee" in request.query["fields"] for request in searches)
    items = by_key(outcome)
    assert items["AUR-336"].assignee == "Florian Richter"  # a story in progress
    assert items["AUR-89"].assignee == "David Wolf"  # a feature, its product manager
    assert requests_by_endpoint(counter) == full_sync_cost(len(items))


def test_a_history_longer_than_any_page_arrives_whole(cloud: FakeJira, store: StateStore) -> None:
    for step in range(150):  # far past the 40 a search embeds and the 100 a changelog page holds
        status = "In Progress" if step % 2 == 0 else "In Review"
        cloud.transition("AUR-30", status, at=NOW - timedelta(minutes=300 - step))
    outcome, _ = run_sync(cloud, store)
    item = by_key(outcome)["AUR-30"]
    assert len(item.transitions) == 1 + len(export_items()["AUR-30"].transitions) - 1 + 150
    assert item.transitions[-1].to_status == "In Review" == item.status
    assert not [w for w in outcome.parsed.warnings if w.key == "AUR-30"]


def test_bulkfetch_pages_by_token_and_chunks_by_issue(
    cloud: FakeJira, store: StateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jira_connector, "BULK_ISSUES", 100)
    monkeypatch.setattr(jira_connector, "BULK_HISTORIES", 50)
    outcome, counter = run_sync(cloud, store)
    assert by_key(outcome) == export_items()
    expected_calls = 0
    ordered = sorted(cloud.issues.values(), key=lambda issue: int(issue["key"].split("-")[1]))
    for start in range(0, len(ordered), 100):
        wanted = sum(
            1
            for issue in ordered[start : start + 100]
            for history in issue["histories"]
            if any(i.get("fieldId") in ("status", "customfield_10021") for i in history["items"])
        )
        expected_calls += max(1, math.ceil(wanted / 50))
    assert requests_by_endpoint(counter)[BULK] == expected_calls


@pytest.fixture(scope="module")
def synthetic() -> Iterator[FakeJira]:
    fake = FakeJira("cloud", fields=synthetic_field_list(), now=NOW)
    with fake.running():
        yield fake


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(count=st.sampled_from([0, 1, 99, 100, 101, 250]) | st.integers(0, 320))
def test_any_number_of_issues_costs_the_lower_bound(
    synthetic: FakeJira, tmp_path_factory: pytest.TempPathFactory, count: int
) -> None:
    synthetic.issues.clear()
    issues = synthetic_issues(count, now=NOW, project="AUR")
    synthetic.add_issues(issues)
    with StateStore.in_dir(tmp_path_factory.mktemp("state")) as fresh:
        outcome, counter = run_sync(synthetic, fresh)
    assert sorted(item.key for item in outcome.parsed.items) == sorted(i["key"] for i in issues)
    assert requests_by_endpoint(counter) == full_sync_cost(count)


def test_a_field_name_that_matches_two_fields_lists_both_ids(
    cloud: FakeJira, store: StateStore
) -> None:
    cloud.field_list.append({"id": "customfield_19999", "name": "Story Points", "custom": True})
    with pytest.raises(FieldMappingError) as raised:
        run_sync(cloud, store)
    message = str(raised.value)
    assert "jira.fields.story_points" in message
    assert "customfield_10016" in message and "customfield_19999" in message
    assert cloud.count(SEARCH) == 0


@pytest.mark.parametrize(
    ("path", "status"),
    [("/search/jql", 429), ("/changelog/bulkfetch", 503), ("/field", 429)],
)
def test_a_short_storm_ends_in_success_through_one_retry_layer(
    cloud: FakeJira, store: StateStore, path: str, status: int
) -> None:
    cloud.inject(Fault("status", path=path, status=status, retry_after="1", times=3))
    outcome, counter = run_sync(cloud, store)
    assert by_key(outcome) == export_items()
    assert counter.total == cloud.count() == sum(full_sync_cost(len(export_items())).values()) + 3


def test_a_random_storm_of_every_kind_still_gives_the_same_answer(
    cloud: FakeJira, store: StateStore
) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=1), usegmt=True)
    cloud.inject(
        Fault("status", path="/rest/", status=429, retry_after=later, times=None, rate=0.15),
        Fault("status", path="/rest/", status=503, times=None, rate=0.1),
        Fault("drop", path="/rest/", times=None, rate=0.1),
        Fault("truncate", path="/rest/", times=None, rate=0.1),
    )
    outcome, counter = run_sync(cloud, store, policy=STORMPROOF)
    assert by_key(outcome) == export_items()
    assert sum(counter.retries.values()) > 0


def test_a_storm_that_outlasts_the_budget_is_a_clear_error(
    cloud: FakeJira, store: StateStore
) -> None:
    cloud.inject(
        Fault("status", path="/changelog/bulkfetch", status=429, retry_after="0", times=None)
    )
    with pytest.raises(JiraUnavailableError) as raised:
        run_sync(cloud, store)
    assert "POST /rest/api/3/changelog/bulkfetch: gave up after 4 attempt(s)" in str(raised.value)
    assert "HTTP 429" in str(raised.value)
    assert cloud.count(BULK) == FAST.attempts


def test_refused_credentials_are_named_and_never_shown(
    cloud: FakeJira, store: StateStore, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "wrong-token-6d1f0a"
    credentials = JiraCredentials(token=SecretStr(wrong), user=SecretStr("rte@example.com"))
    site = connect(jira_config(cloud), credentials, policy=FAST)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(JiraAuthError) as raised:
        sync_issues(site, store, jira_config(cloud), now=NOW)
    message = str(raised.value)
    assert "HTTP 401" in message and "jira.auth.token" in message
    encoded = base64.b64encode(f"rte@example.com:{wrong}".encode()).decode()
    for shown in (message, repr(raised.value), caplog.text, repr(credentials)):
        assert wrong not in shown and encoded not in shown
    assert cloud.count() == 1  # a refusal is final, not retried


def test_jql_jira_refuses_is_reported_with_jiras_reason(cloud: FakeJira, store: StateStore) -> None:
    config = jira_config(cloud, jql="summary ~ 'checkout'")
    with pytest.raises(JiraError, match=r"HTTP 400 to GET /rest/api/3/search/jql: Field 'summary'"):
        run_sync(cloud, store, config)


def test_a_cloud_config_against_a_data_center_site_says_to_check_the_backend(
    store: StateStore,
) -> None:
    server = FakeJira("datacenter", fields=synthetic_field_list(), now=NOW)
    with server.running():
        config = jira_config(server, backend="cloud")
        site = connect(config, JiraCredentials(token=SecretStr(server.token)), policy=FAST)
        with pytest.raises(JiraError, match=r"is jira\.backend right"):
            sync_issues(site, store, config, now=NOW)
