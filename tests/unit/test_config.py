"""art.yaml validation: every problem named by its field path, nothing echoed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from art.config import ArtConfig
from art.config_check import validate_config
from art.config_errors import ConfigError
from connectors.config_file import read_config
from flows.cli import app
from flows.cli.common import DEMO_CONFIG

DEMO = yaml.safe_load(DEMO_CONFIG.read_text())


def broken(**changes: Any) -> dict[str, Any]:
    """The demo config with values replaced at dotted paths ('kanban.states.2.wip_limit')."""
    data = copy.deepcopy(DEMO)
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node: Any = data
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        key: Any = int(last) if last.isdigit() else last
        node[key] = value
    return data


def problems_of(data: object) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        validate_config(data)
    return [str(problem) for problem in caught.value.problems]


def test_the_demo_config_is_valid() -> None:
    config = read_config(DEMO_CONFIG)
    assert config.art.name == "Aurora ART"
    assert len(config.teams) == 7
    assert [column.name for column in config.kanban.columns()][:2] == ["Funnel", "Analyzing"]
    assert Path(config.jira.export_dir or "").is_absolute()


def test_team_pages_are_off_unless_asked_for_as_the_demo_does() -> None:
    assert validate_config(DEMO).confluence.team_pages
    data = copy.deepcopy(DEMO)
    del data["confluence"]["team_pages"]
    assert validate_config(data).confluence.team_pages is False


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"kanban__states__2__wip_limit": 0},
            "kanban.states[2].wip_limit: must be a positive integer",
        ),
        (
            {"kanban__states__2__wip_limit": "many"},
            "kanban.states[2].wip_limit: must be an integer",
        ),
        ({"art__timezone": "Middle/Earth"}, "art.timezone: must be an IANA time zone"),
        (
            {"jira__backend": "mainframe"},
            "jira.backend: must be one of 'cloud', 'datacenter' or 'export'",
        ),
        (
            {"teams__1__scrum_master": "not-an-email"},
            "teams[1].scrum_master: must match the pattern",
        ),
        ({"cadence__pis__1__start": "next tuesday"}, "cadence.pis[1].start: must be a date"),
        ({"cadence__iteration_weeks": -1}, "cadence.iteration_weeks: must be a positive integer"),
        ({"teams": []}, "teams: must have at least 1 entry"),
        ({"confluence__team_pages": "maybe"}, "confluence.team_pages: must be true or false"),
    ],
)
def test_a_wrong_value_is_named_by_its_path(change: dict[str, Any], expected: str) -> None:
    assert any(problem.startswith(expected) for problem in problems_of(broken(**change)))


def test_unknown_keys_are_errors_that_list_the_allowed_keys() -> None:
    data = broken(kanban__states__1__wip_limt=4)
    [problem] = problems_of(data)
    assert problem.startswith("kanban.states[1].wip_limt: unknown key (allowed: name, statuses,")
    assert "wip_limit" in problem


def test_every_problem_is_reported_at_once() -> None:
    data = broken(art__timezone="Nowhere", kanban__states__3__wip_limit=-2, teams__0__colour="red")
    found = problems_of(data)
    assert len(found) == 3
    assert {p.split(":")[0] for p in found} == {
        "art.timezone",
        "kanban.states[3].wip_limit",
        "teams[0].colour",
    }


def test_a_missing_section_is_named() -> None:
    data = copy.deepcopy(DEMO)
    del data["cadence"]
    assert problems_of(data) == ["cadence: is required"]


def test_a_pasted_secret_is_refused_and_never_repeated() -> None:
    secret = "ATATT3xFfGF0-very-secret-token"
    data = broken(
        jira__backend="cloud",
        jira__url="https://x.atlassian.net",
        jira__auth={"user": "env:JIRA_USER", "token": secret},
    )
    found = problems_of(data)
    assert any(p.startswith("jira.auth.token: must be a reference such as 'env:") for p in found)
    assert all(secret not in p for p in found)


def test_cross_field_rules_name_the_field_to_fix() -> None:
    data = broken(jira__backend="cloud")
    found = problems_of(data)
    assert "jira.url: is required when jira.backend is 'cloud'" in found
    assert "jira.auth: is required when jira.backend is 'cloud'" in found


def test_a_status_in_two_kanban_states_is_an_error() -> None:
    data = broken(kanban__states__2__statuses=["Program Backlog", "Analyzing"])
    assert problems_of(data) == [
        "kanban.states[2].statuses: status 'Analyzing' is already in kanban.states[1]"
    ]


def test_status_names_are_trimmed_as_jira_trims_them() -> None:
    data = broken(
        kanban__states__2__statuses=["  Program Backlog ", "\tReady"],
        jira__blocked_statuses=[" Blocked"],
    )
    config = validate_config(data)
    assert config.kanban.states[2].statuses == ("Program Backlog", "Ready")
    assert config.jira.blocked_statuses == ("Blocked",)
    # trimmed first, so a spaced copy of a status is still found in two states
    clash = broken(kanban__states__2__statuses=["Analyzing "])
    assert problems_of(clash) == [
        "kanban.states[2].statuses: status 'Analyzing' is already in kanban.states[1]"
    ]
    assert problems_of(broken(kanban__states__2__statuses=["  "])) == [
        "kanban.states[2].statuses[0]: must not be empty"
    ]


def test_states_and_board_are_alternatives() -> None:
    data = broken(kanban__board=42)
    assert "kanban: give either 'states' (listed here) or 'board' (read from Jira)" in problems_of(
        data
    )


def test_overlapping_pis_are_an_error() -> None:
    data = broken(cadence__pis__1__start="2026-09-01")
    [problem] = problems_of(data)
    assert problem.startswith("cadence.pis[1].start: overlaps the previous PI, which runs 70 days")


def test_duplicate_team_names_are_an_error() -> None:
    data = broken(teams__1__name="Atlas")
    assert "teams[1].name: 'Atlas' appears more than once" in problems_of(data)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "art.yaml"
    path.write_text(text)
    return path


def test_duplicate_yaml_keys_are_an_error_with_a_line_number(tmp_path: Path) -> None:
    path = write(tmp_path, "art:\n  name: A\n  name: B\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert "line 3, column 3: duplicate key 'name'" in str(caught.value)


def test_yaml_syntax_errors_carry_the_position(tmp_path: Path) -> None:
    path = write(tmp_path, "art:\n  name: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert "line 3" in str(caught.value)


def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, DEMO_CONFIG.read_text())
    assert read_config(path).jira.export_dir == str(tmp_path / "jira")


runner = CliRunner()


def test_check_config_exits_zero_on_the_demo() -> None:
    result = runner.invoke(app, ["check-config", str(DEMO_CONFIG)])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


def test_check_config_prints_every_problem_without_a_traceback(tmp_path: Path) -> None:
    data = broken(kanban__states__2__wip_limit=0, teams__0__capacity_per_iteration="lots")
    path = write(tmp_path, yaml.safe_dump(data))
    result = runner.invoke(app, ["check-config", str(path)])
    assert result.exit_code == 2
    assert "kanban.states[2].wip_limit: must be a positive integer" in result.output
    assert "teams[0].capacity_per_iteration: must be a number" in result.output
    assert "Traceback" not in result.output


def test_check_config_on_a_missing_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check-config", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_config_schema_is_json_schema_that_forbids_unknown_keys() -> None:
    result = runner.invoke(app, ["config-schema"])
    schema = json.loads(result.output)
    assert set(schema["required"]) >= {"art", "teams", "jira", "kanban", "cadence"}
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["KanbanState"]["additionalProperties"] is False
    assert ArtConfig.model_json_schema()["properties"].keys() == schema["properties"].keys()
