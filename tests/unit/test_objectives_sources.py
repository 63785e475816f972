"""The two sources of PI objectives: the YAML file and Jira issues (here: REST-shaped JSON)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from art.config_check import validate_config
from art.config_errors import ConfigError
from connectors.config_file import read_config
from connectors.jira_fields import FieldMappingError
from connectors.objectives_jira import (
    ObjectiveFieldIds,
    ObjectiveQuery,
    objective_field_ids,
    objectives_from_issues,
    objectives_jql,
)
from connectors.objectives_yaml import ObjectivesFileError, read_objectives
from flows.cli.common import DEMO_CONFIG
from flows.steps.bootstrap import bootstrap
from tests.objectives_builders import train

# --------------------------------------------------------------------------
# YAML


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "objectives.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ObjectivesFileError) as caught:
        read_objectives(path)
    return [str(problem) for problem in caught.value.problems]


def test_the_demo_file_holds_seven_teams_in_two_pis_and_one_hostile_objective() -> None:
    config = read_config(DEMO_CONFIG)
    assert config.objectives.source == "yaml" and config.objectives.file is not None
    objectives = read_objectives(config.objectives.file)
    assert {o.pi for o in objectives} == {"PI 2026.3", "PI 2026.4"}
    assert {o.team for o in objectives} == {team.name for team in config.teams}
    assert all(o.actual_value is not None for o in objectives if o.pi == "PI 2026.3")
    assert all(o.actual_value is None for o in objectives if o.pi == "PI 2026.4")
    assert any('<ac:structured-macro ac:name="html">' in o.text for o in objectives)
    first = objectives[0]
    assert (first.team, first.pi, first.committed, first.planned_value, first.actual_value) == (
        "Atlas",
        "PI 2026.3",
        True,
        8,
        8,
    )
    assert first.features == ("AUR-5", "AUR-6")


def test_every_problem_in_the_file_is_named_by_its_path(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
objectives:
  PI 1:
    Alpha:
      - {text: Good, committed: true, planned: 11}
      - {text: '', committed: maybe, actual: -1, features: [not-a-key]}
      - {text: Typo, committed: true, planed: 5}
""",
    )
    assert problems(path) == [
        "objectives.PI 1.Alpha[0].planned: must be <= 10",
        "objectives.PI 1.Alpha[1].text: must not be empty",
        "objectives.PI 1.Alpha[1].committed: must be true or false",
        "objectives.PI 1.Alpha[1].actual: must be >= 0",
        "objectives.PI 1.Alpha[1].features[0]: must match the pattern "
        "^[A-Z][A-Z0-9_]*-[1-9][0-9]*$",
        "objectives.PI 1.Alpha[2].planed: unknown key (allowed: text, committed, planned, actual, "
        "features, key)",
    ]


def test_a_file_that_is_not_a_mapping_or_not_yaml_is_a_clear_error(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "- just a list\n")) == [
        "the file must hold a mapping (objectives: {PI: {team: [...]}})"
    ]
    duplicate = write(tmp_path, "objectives:\n  PI 1: {}\n  PI 1: {}\n")
    assert "duplicate key 'PI 1'" in problems(duplicate)[0]
    assert "line 3" in problems(duplicate)[0]
    assert problems(tmp_path / "missing.yaml") == ["no such file"]
    with pytest.raises(ObjectivesFileError) as caught:
        read_objectives(tmp_path / "missing.yaml")
    assert caught.value.source == str(tmp_path / "missing.yaml")


def test_an_objectives_section_without_its_file_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        train(file=None)
    assert [str(p) for p in caught.value.problems] == [
        "objectives.file: is required when objectives.source is 'yaml'"
    ]


# --------------------------------------------------------------------------
# Jira

FIELDS = [
    {"id": "summary", "name": "Summary"},
    {"id": "issuetype", "name": "Issue Type"},
    {"id": "issuelinks", "name": "Linked Issues"},
    {"id": "customfield_10001", "name": "Team"},
    {"id": "customfield_10100", "name": "PI"},
    {"id": "customfield_10101", "name": "Commitment"},
    {"id": "customfield_10102", "name": "Planned Business Value"},
    {"id": "customfield_10103", "name": "Actual Business Value"},
]
IDS = ObjectiveFieldIds(
    team="customfield_10001",
    pi="customfield_10100",
    committed="customfield_10101",
    planned_value="customfield_10102",
    actual_value="customfield_10103",
)


def link(key: str, issue_type: str, side: str = "outwardIssue") -> dict[str, Any]:
    return {
        "type": {"name": "Relates", "outward": "relates to", "inward": "relates to"},
        side: {"key": key, "fields": {"issuetype": {"name": issue_type}, "summary": "x"}},
    }


def issue(key: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "summary": f"Objective {key}",
        "issuetype": {"name": "PI Objective"},
        "customfield_10001": {"id": "1", "value": "Alpha team"},
        "customfield_10100": {"value": "PI 1"},
        "customfield_10101": {"value": "Committed"},
        "customfield_10102": 8.0,
        "customfield_10103": None,
        "issuelinks": [],
    }
    base.update(fields)
    return {"id": key.split("-")[1], "key": key, "fields": base}


def test_jira_field_names_are_settled_against_the_site_field_list() -> None:
    config = train(fields={"team": "Team"})
    assert objective_field_ids(config, FIELDS) == IDS
    assert IDS.requested() == sorted(
        ["summary", "issuetype", "issuelinks", *[getattr(IDS, f) for f in IDS.__slots__]]
    )
    query = ObjectiveQuery(objective_fields=tuple(IDS.requested()))
    assert query.requested() == IDS.requested()  # what JiraSite.fetch_issues asks Jira for


def test_an_unknown_or_missing_field_mapping_names_the_config_path() -> None:
    with pytest.raises(FieldMappingError) as caught:
        objective_field_ids(train(fields={"team": "Team", "pi": "Program Increment"}), FIELDS)
    assert str(caught.value.problems[0]).startswith(
        "objectives.fields.pi: no Jira field has the id or name 'Program Increment'"
    )
    with pytest.raises(ConfigError) as missing:
        objective_field_ids(train(), FIELDS)
    assert str(missing.value.problems[0]).startswith("objectives.fields.team:")


def test_issues_become_objectives_with_their_linked_features() -> None:
    batch = objectives_from_issues(
        [
            issue(
                "ART-1",
                customfield_10103=7,
                issuelinks=[
                    link("ART-10", "Feature"),
                    link("ART-11", "Story"),
                    link("ART-12", "Enabler", "inwardIssue"),
                ],
            ),
            issue("ART-2", customfield_10101=[{"value": "Uncommitted"}], customfield_10102="3"),
            issue("ART-3", customfield_10101=True, customfield_10102=None),
            issue("ART-4", customfield_10101=None),  # an empty checkbox: uncommitted
            issue("ART-5", issuetype={"name": "Story"}),  # not an objective: skipped
        ],
        IDS,
        train(),
    )
    got = [
        (o.key, o.team, o.pi, o.committed, o.planned_value, o.actual_value, o.features)
        for o in batch.objectives
    ]
    assert got == [
        ("ART-1", "Alpha team", "PI 1", True, 8, 7, ("ART-10", "ART-12")),
        ("ART-2", "Alpha team", "PI 1", False, 3, None, ()),
        ("ART-3", "Alpha team", "PI 1", True, None, None, ()),
        ("ART-4", "Alpha team", "PI 1", False, 8, None, ()),
    ]
    assert batch.rejected == () and batch.warnings == ()


def test_unreadable_issues_are_rejected_with_the_reason_and_odd_values_warned() -> None:
    batch = objectives_from_issues(
        [
            issue("ART-1", customfield_10001=None, customfield_10100=None),
            issue("ART-2", customfield_10101={"value": "Perhaps"}),
            issue("ART-3", customfield_10102=7.5, customfield_10103="lots"),
            "not an issue",
        ],
        IDS,
        train(),
    )
    assert [o.key for o in batch.objectives] == ["ART-3"]
    assert batch.objectives[0].planned_value is None
    assert [(r.key, r.reason) for r in batch.rejected] == [
        ("ART-1", "no team (customfield_10001); no PI (customfield_10100)"),
        ("ART-2", "commitment (customfield_10101) is neither committed nor uncommitted"),
        (None, "not an issue with fields"),
    ]
    assert [(r.key, r.reason) for r in batch.warnings] == [
        ("ART-3", "planned business value is not a whole number; ignored"),
        ("ART-3", "actual business value is not a whole number; ignored"),
    ]


def test_the_search_asks_for_the_objective_type_in_the_trains_projects() -> None:
    assert objectives_jql(train()) == 'project in ("ART") AND issuetype = "PI Objective"'
    assert objectives_jql(train(issue_type='Team "Goal"')).endswith('issuetype = "Team \\"Goal\\""')


def test_the_jira_source_reads_objective_issues_from_an_export(tmp_path: Path) -> None:
    export = tmp_path / "jira"
    export.mkdir()
    (export / "fields.json").write_text(json.dumps(FIELDS))
    (export / "export.json").write_text(
        json.dumps({"snapshot": "2026-04-01T09:00:00.000+0200", "site": "https://x.atlassian.net"})
    )
    issues = [issue("ART-1", customfield_10103=8), issue("ART-2", customfield_10001=None)]
    (export / "search-page-001.json").write_text(json.dumps({"issues": issues}))
    config = train(source="jira", file=None, fields={"team": "Team"}).model_copy(
        update={"jira": train().jira.model_copy(update={"export_dir": str(export)})}
    )
    source = bootstrap(config, tmp_path).objectives.read()
    assert [o.key for o in source.objectives] == ["ART-1"]
    assert [r.key for r in source.rejected] == ["ART-2"]
    assert source.jira_site == "https://x.atlassian.net"


def test_confluence_cloud_needs_the_account_e_mail() -> None:
    data = yaml.safe_load(DEMO_CONFIG.read_text())
    data["confluence"] = {
        "backend": "cloud",
        "url": "https://example.atlassian.net",
        "space": "ART",
        "auth": {"token": "env:CONFLUENCE_TOKEN"},
    }
    with pytest.raises(ConfigError) as caught:
        validate_config(data)
    assert [str(p) for p in caught.value.problems] == [
        "confluence.auth.user: is required for Confluence Cloud (the account e-mail)"
    ]
