"""The Jira fake speaks Atlassian's published contract, and so does our client.

Every request our connector sent to the fake, and every answer the fake gave,
is checked with openapi-core against the subsets of Atlassian's OpenAPI specs
in tests/contracts (`tests.integration.jira_contract` says how, and what it
adjusts for real Jira's ways). Data Center has no published OpenAPI document;
its v2 answers have the shapes of the v3 ones and are checked against those.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from connectors.jira import connect
from connectors.jira_board import fetch_boards
from connectors.state_store import StateStore
from tests.fakes.jira import FakeJira
from tests.integration.jira_contract import check_exchanges
from tests.integration.jira_fixtures import FAST, credentials, jira_config, run_sync


@pytest.mark.filterwarnings("ignore:Unsupported scheme type")  # OAuth2, which we do not use
def test_cloud_requests_and_answers_follow_the_published_contract(
    cloud: FakeJira, store: StateStore
) -> None:
    cloud.board(3, [("Implementing", ["Implementing"], 1, 8), ("Done", ["Done"], None, None)])
    run_sync(cloud, store)
    cloud.transition("AUR-30", "Done")
    cloud.advance(hours=2)
    run_sync(cloud, store)
    fetch_boards(connect(jira_config(cloud), credentials(cloud), policy=FAST), [3])
    auth = (cloud.user or "", cloud.token)
    requests.get(f"{cloud.url}/rest/api/3/serverInfo", auth=auth, timeout=5)
    requests.get(
        f"{cloud.url}/rest/api/3/issue/AUR-30/changelog?maxResults=2", auth=auth, timeout=5
    )
    routes = {route for route in cloud.counts()}
    assert {"GET /rest/api/3/search/jql", "POST /rest/api/3/changelog/bulkfetch"} <= routes
    assert check_exchanges(cloud, requests_too=True) >= 14


def test_data_center_answers_have_the_v3_shapes(datacenter: FakeJira, store: StateStore) -> None:
    datacenter.changelog_limit = 2
    datacenter.board(4, [("Analyzing", ["Analyzing"], None, 4)])
    run_sync(datacenter, store)
    fetch_boards(connect(jira_config(datacenter), credentials(datacenter), policy=FAST), [4])
    assert check_exchanges(datacenter, requests_too=False) > 3


def test_the_removed_search_answers_410(cloud: FakeJira) -> None:
    auth = (cloud.user or "", cloud.token)
    for version in (2, 3):
        answer = requests.get(f"{cloud.url}/rest/api/{version}/search?jql=x", auth=auth, timeout=5)
        assert answer.status_code == 410


@pytest.mark.parametrize(
    "body",
    [
        {"issueIdsOrKeys": [str(n) for n in range(1001)]},
        {"issueIdsOrKeys": ["AUR-1"], "fieldIds": [f"customfield_{n}" for n in range(11)]},
        {"issueIdsOrKeys": ["AUR-1"], "fieldsByKeys": False},  # what atlassian-python-api sends
        {"issueIdsOrKeys": ["AUR-1"], "maxResults": 10001},
        {"issueIdsOrKeys": []},
    ],
    ids=["1001-issues", "11-fields", "unknown-key", "too-many-results", "no-issues"],
)
def test_bulkfetch_refuses_what_the_schema_refuses(cloud: FakeJira, body: dict[str, Any]) -> None:
    auth = (cloud.user or "", cloud.token)
    answer = requests.post(
        f"{cloud.url}/rest/api/3/changelog/bulkfetch", json=body, auth=auth, timeout=5
    )
    assert answer.status_code == 400
    assert answer.json()["errorMessages"]


@pytest.mark.parametrize(
    ("fields", "page"), [("id", 5000), ("key,id", 5000), ("summary", 100), ("*all", 100)]
)
def test_search_pages_are_capped_like_jira_cloud(cloud: FakeJira, fields: str, page: int) -> None:
    for number in range(700, 5700):
        cloud.issues[str(100000 + number)] = {
            "id": str(100000 + number),
            "key": f"AUR-{number}",
            "fields": {},
            "histories": [],
        }
    auth = (cloud.user or "", cloud.token)
    answer = requests.get(
        f"{cloud.url}/rest/api/3/search/jql",
        params={"jql": "project = AUR", "fields": fields, "maxResults": 9999},
        auth=auth,
        timeout=30,
    ).json()
    assert len(answer["issues"]) == page and answer["isLast"] is False
    assert "total" not in answer and answer["nextPageToken"]


def test_search_without_fields_returns_ids_only(cloud: FakeJira) -> None:
    auth = (cloud.user or "", cloud.token)
    answer = requests.get(
        f"{cloud.url}/rest/api/3/search/jql", params={"jql": "key = AUR-1"}, auth=auth, timeout=5
    ).json()
    assert answer == {"issues": [{"id": cloud._find("AUR-1")["id"]}], "isLast": True}


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"fields": []}, "is not of type 'object'"),
        ({"update": {"labels": "x"}}, "is not of type 'array'"),
        ({"fields": {"summary": "x"}, "historyMetadata": {"type": 7}}, "is not of type 'string'"),
    ],
    ids=["fields-not-a-map", "update-not-a-list", "nested-schema"],
)
def test_the_edit_refuses_what_the_schema_refuses(
    cloud: FakeJira, body: dict[str, Any], complaint: str
) -> None:
    """`IssueUpdateDetails` and the schemas it names come from the subset: a body they
    refuse never reaches the fake's own field checks (which would answer 204 or 501)."""
    auth = (cloud.user or "", cloud.token)
    answer = requests.put(f"{cloud.url}/rest/api/3/issue/AUR-30", json=body, auth=auth, timeout=5)
    assert answer.status_code == 400
    assert complaint in answer.json()["errorMessages"][0]
