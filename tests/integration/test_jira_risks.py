"""Risks come from Jira like every other issue: in the train's projects with its one search,
and from elsewhere (`risks.jql`) OR-ed into that same search, so at no request of their own."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from art.config import RisksConfig
from connectors.http import RequestCounter
from connectors.jira import connect
from connectors.jira_sync import SyncOutcome, sync_issues
from connectors.state_store import StateStore
from rules.risks import Roam, risks_of
from tests.calendar_builders import demo_config
from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import FAST, by_key, credentials, jira_config

ELSEWHERE = RisksConfig(jql="project = RISK")


def sync(
    fake: FakeJira, store: StateStore, risks: RisksConfig | None = None
) -> tuple[SyncOutcome, dict[str, int]]:
    counter = RequestCounter()
    config = jira_config(fake)
    site = connect(config, credentials(fake), policy=FAST, counter=counter)
    outcome = sync_issues(site, store, config, now=fake.now, risks=risks)
    return outcome, {endpoint: count for endpoint, count, _ in counter.rows()}


def in_project_risk(fake: FakeJira, key: str, issue_id: str, issue_type: str) -> dict[str, Any]:
    """A copy of a demo risk, moved to the RISK project (and given another type if asked)."""
    stored = copy.deepcopy(next(i for i in fake.issues.values() if i["key"] == "AUR-648"))
    raw = {"id": issue_id, "key": key, "changelog": {"histories": []}}
    raw["fields"] = {
        **stored["fields"],
        "project": {"key": "RISK", "id": "10100"},
        "issuetype": {**stored["fields"]["issuetype"], "name": issue_type},
        "issuelinks": [],
    }
    return raw


def test_the_trains_risks_come_with_its_issues_owner_and_due_date_included(
    site: FakeJira, store: StateStore
) -> None:
    outcome, _ = sync(site, store)
    risks = {risk.key: risk for risk in risks_of(outcome.parsed.items, demo_config())}
    assert len(risks) == 11
    overdue = risks["AUR-648"]
    assert (overdue.roam, overdue.due, overdue.team) == (Roam.OWNED, date(2026, 11, 13), "Draco")
    assert overdue.owner is not None and risks["AUR-647"].owner is None


def test_risks_elsewhere_join_the_same_search_at_no_request_of_their_own(
    cloud: FakeJira, tmp_path: Path
) -> None:
    cloud.add_issues(
        [
            in_project_risk(cloud, "RISK-1", "99001", "Risk"),
            in_project_risk(cloud, "RISK-2", "99002", "Task"),  # not a risk: stays out
        ]
    )
    with StateStore.in_dir(tmp_path / "without") as plain:
        without, plain_cost = sync(cloud, plain)
    with StateStore.in_dir(tmp_path / "with") as store:
        with_risks, cost = sync(cloud, store, ELSEWHERE)
        assert cost == plain_cost
        assert set(by_key(with_risks)) - set(by_key(without)) == {"RISK-1"}
        cloud.advance(days=1)
        cloud.edit("RISK-1", summary="Still a risk, now reworded")
        night, night_cost = sync(cloud, store, ELSEWHERE)
    assert night.mode == "incremental" and night.fetched == 1
    assert by_key(night)["RISK-1"].summary == "Still a risk, now reworded"
    assert night_cost == {
        "GET /rest/api/3/search/jql": 2,
        "POST /rest/api/3/changelog/bulkfetch": 1,
    }
