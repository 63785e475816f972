"""`risks:` in art.yaml, and how the risks it names join the train's one search."""

from __future__ import annotations

from typing import Any

import pytest

from art.config import JiraConfig, RisksConfig
from art.config_errors import ConfigError
from connectors.jira_sync import scope_jql
from tests.config_builders import art_config

JIRA = JiraConfig(backend="cloud", url="https://x.atlassian.net", projects=("AUR",))


def problems(**risks: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        art_config(risks=risks)
    return [str(problem) for problem in caught.value.problems]


def test_by_default_risks_are_issues_of_type_risk_roamed_by_their_status() -> None:
    risks = art_config().risks
    assert (risks.issue_type, risks.label, risks.jql) == ("Risk", None, None)
    assert risks.roam_statuses == {
        "Resolved": "resolved",
        "Owned": "owned",
        "Accepted": "accepted",
        "Mitigated": "mitigated",
    }
    assert (risks.roam_within_days, risks.stale_days) == (5, 14)


def test_a_wrong_risks_setting_is_named_by_its_path() -> None:
    assert any(
        p.startswith("risks.roam_statuses.Open") for p in problems(roam_statuses={"Open": "open"})
    )
    assert any(p.startswith("risks.stale_days") for p in problems(stale_days=0))
    assert problems(issue_type=None, jql="project = RISK") == [
        "risks.jql: reads only issues of risks.issue_type or with risks.label: give one of them"
    ]


def test_risks_within_the_projects_need_nothing_more_than_the_trains_search() -> None:
    assert scope_jql(JIRA, RisksConfig()) == scope_jql(JIRA) == 'project in ("AUR")'


def test_risks_elsewhere_are_or_ed_into_the_same_search_type_and_label_only() -> None:
    risks = RisksConfig(label='risk "x"', jql="project = RISK ORDER BY created DESC")
    assert scope_jql(JIRA, risks) == (
        '((project in ("AUR")) OR ((project = RISK) AND '
        '(issuetype = "Risk" OR labels = "risk \\"x\\"")))'
    )


def test_a_risks_jql_that_cannot_be_joined_safely_is_a_config_error_naming_it() -> None:
    with pytest.raises(ConfigError) as caught:
        scope_jql(JIRA, RisksConfig(jql="project = RISK) OR (project = HR"))
    [problem] = caught.value.problems
    assert str(problem).startswith("risks.jql: closes a parenthesis it never opened")
