"""Reading how a Jira site is set up, on both deployments: what `rte init` and
`rte check-config --online` read, read-only, counted, and in the published shapes."""

from __future__ import annotations

import pytest

from connectors.http import RequestCounter
from connectors.jira import JiraError, JiraSite, connect
from tests.fakes.jira import FakeJira
from tests.integration.jira_contract import check_exchanges
from tests.integration.jira_fixtures import FAST, credentials, jira_config


def site_of(fake: FakeJira, counter: RequestCounter | None = None) -> JiraSite:
    return connect(jira_config(fake), credentials(fake), policy=FAST, counter=counter)


@pytest.mark.filterwarnings("ignore:Unsupported scheme type")
def test_the_set_up_of_a_site_reads_alike_on_both_deployments(site: FakeJira) -> None:
    site.board(3, [("Analyzing", ["Analyzing"], None, 4), ("Done", ["Done"], None, None)])
    site.board(4, [("Doing", ["In Progress"], None, 2)], project="AUR", name="Atlas")
    site.board(9, [("Doing", ["In Progress"], None, None)], project="OTHER")
    counter = RequestCounter()
    jira = site_of(site, counter)

    assert [project["key"] for project in jira.projects()] == ["AUR"]
    project = jira.project("AUR")
    types = {entry["name"]: entry for entry in project["issueTypes"]}
    assert set(types) == {"Epic", "Feature", "Enabler", "Story", "Task", "Bug", "Risk"}
    if site.cloud:  # Data Center's issue types do not know their level
        assert (types["Epic"]["hierarchyLevel"], types["Story"]["hierarchyLevel"]) == (2, 0)
    else:
        assert "hierarchyLevel" not in types["Epic"]
    by_type = {entry["name"]: entry["statuses"] for entry in jira.project_statuses("AUR")}
    feature_statuses = {status["name"] for status in by_type["Feature"]}
    assert {"Funnel", "Implementing", "Done"} <= feature_statuses
    assert "statusCategory" in by_type["Feature"][0]
    assert [(board["id"], board["name"]) for board in jira.boards("AUR")] == [
        (3, "Board 3"),
        (4, "Atlas"),
    ]
    blocks = {link["name"]: link for link in jira.link_types()}["Blocks"]
    assert (blocks["inward"], blocks["outward"]) == ("is blocked by", "blocks")
    assert jira.count('project = "AUR" AND issuetype = "Epic"') == 4
    sample = jira.sample_issues('project = "AUR" ORDER BY updated DESC', ["labels"], 5)
    assert len(sample) == 5 and set(sample[0]["fields"]) <= {"labels"}

    assert counter.total == 7  # one request a read: no listing needed a second page
    check_exchanges(site, requests_too=site.cloud)


def test_projects_and_boards_are_read_page_by_page(cloud: FakeJira) -> None:
    for number in range(60):
        cloud.project(f"P{number:02d}")
        cloud.board(100 + number, [("Doing", ["In Progress"], None, None)], project="AUR")
    jira = site_of(cloud)
    assert len(jira.projects()) == 61  # 60 and AUR
    assert len(jira.boards("AUR")) == 60
    assert cloud.count("GET /rest/api/3/project/search") == 2
    assert cloud.count("GET /rest/agile/1.0/board") == 2


def test_a_missing_project_says_what_to_check(site: FakeJira) -> None:
    with pytest.raises(JiraError) as caught:
        site_of(site).project("NOPE")
    assert "HTTP 404" in str(caught.value)
    assert "is there a project 'NOPE', and may the account browse it?" in str(caught.value)


def test_counting_matches_labels_and_fix_versions(site: FakeJira) -> None:
    jira = site_of(site)
    assert jira.count('project = "AUR" AND labels = "pi-2027.1"') > 0
    assert jira.count('project = "AUR" AND labels = "no-such-label"') == 0
    assert jira.count('project = "AUR" AND fixVersion = "PI 2099.1"') == 0
