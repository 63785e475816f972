"""PI objectives read from a live Jira (the Jira fake: Cloud and Data Center)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from art.config import ArtConfig
from art.config_check import validate_config
from flows.steps.bootstrap import bootstrap
from tests.fakes.jira import FakeJira

FIELDS = [
    {"id": "summary", "name": "Summary", "custom": False},
    {"id": "issuetype", "name": "Issue Type", "custom": False},
    {"id": "issuelinks", "name": "Linked Issues", "custom": False},
    {"id": "customfield_10001", "name": "Team", "custom": True},
    {"id": "customfield_10100", "name": "PI", "custom": True},
    {"id": "customfield_10101", "name": "Commitment", "custom": True},
    {"id": "customfield_10102", "name": "Planned Business Value", "custom": True},
    {"id": "customfield_10103", "name": "Actual Business Value", "custom": True},
]


def raw_issue(number: int, issue_type: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": str(10_000 + number),
        "key": f"AUR-{number}",
        "fields": {
            "summary": f"{issue_type} {number}",
            "issuetype": {"name": issue_type},
            "project": {"key": "AUR"},
            "status": {"name": "Open", "statusCategory": {"key": "new"}},
            "created": "2026-10-01T09:00:00.000+0200",
            "updated": "2026-10-01T09:00:00.000+0200",
            **fields,
        },
    }


ISSUES = [
    raw_issue(
        1,
        "PI Objective",
        customfield_10001={"value": "Atlas"},
        customfield_10100={"value": "PI 2026.4"},
        customfield_10101={"value": "Committed"},
        customfield_10102=8,
        customfield_10103=6,
        issuelinks=[
            {
                "type": {"name": "Relates", "outward": "relates to", "inward": "relates to"},
                "outwardIssue": {"key": "AUR-3", "fields": {"issuetype": {"name": "Feature"}}},
            }
        ],
    ),
    raw_issue(
        2,
        "PI Objective",
        customfield_10001={"value": "Atlas"},
        customfield_10100={"value": "PI 2026.4"},
        customfield_10101={"value": "Uncommitted"},
        customfield_10102=3,
    ),
    raw_issue(3, "Feature"),
]


@pytest.fixture(params=["cloud", "datacenter"])
def jira(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    fake = FakeJira(request.param, issues=ISSUES, fields=FIELDS)
    monkeypatch.setenv("JIRA_USER", fake.user or "")
    monkeypatch.setenv("JIRA_TOKEN", fake.token)
    with fake.running():
        yield fake


def config_for(fake: FakeJira) -> ArtConfig:
    cloud = fake.deployment == "cloud"
    return validate_config(
        {
            "art": {"name": "Aurora ART"},
            "teams": [{"name": "Atlas"}],
            "jira": {
                "backend": fake.deployment,
                "url": fake.url,
                "projects": ["AUR"],
                "auth": {"user": "env:JIRA_USER", "token": "env:JIRA_TOKEN"}
                if cloud
                else {"token": "env:JIRA_TOKEN"},
            },
            "kanban": {"states": [{"name": "Doing", "statuses": ["Doing"]}]},
            "cadence": {"pis": [{"name": "PI 2026.4", "start": "2026-10-05"}]},
            "objectives": {"source": "jira", "fields": {"team": "Team"}},
        }
    )


def test_objective_issues_are_searched_with_their_fields_and_mapped(jira: FakeJira) -> None:
    source = bootstrap(config_for(jira), ".").objectives.read()
    got = [
        (o.key, o.team, o.pi, o.committed, o.planned_value, o.actual_value, o.features)
        for o in source.objectives
    ]
    assert got == [
        ("AUR-1", "Atlas", "PI 2026.4", True, 8, 6, ("AUR-3",)),
        ("AUR-2", "Atlas", "PI 2026.4", False, 3, None, ()),
    ]
    assert source.rejected == () and source.jira_site == jira.url
