"""Drafting art.yaml from a site survey (`rte init`), without a site: the choices and the file."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml

from art.config_check import validate_config
from art.model import BoardColumn
from flows.steps.art_yaml import comment_text, render_art_yaml, scalar
from flows.steps.config_draft import draft_config, draft_hierarchy
from flows.steps.field_choice import SPECS, choose_field
from flows.steps.site_survey import BoardSurvey, SiteSurvey

TODAY = date(2026, 12, 9)  # a Wednesday
HOSTILE = [
    "Done # really",
    "a: b",
    "yes",
    "007",
    "1e3",
    "[x]",
    "x, y",
    "{y}",
    "a\nb",
    "'q'",
    '"dq"',
    "-1",
    "null",
    "~",
    "Gül",
    "- item",
    "*alias",
    "&anchor",
    "!tag",
    "%percent",
    "@at",
    "`tick`",
    " padded ",
    "line\u2028separator",
    "env:JIRA_TOKEN",
    "https://x.atlassian.net",
]


def status(name: str, category: str, status_id: int) -> dict[str, Any]:
    return {"id": str(status_id), "name": name, "statusCategory": {"key": category}}


def field(field_id: str, name: str, kind: str, custom: str | None = None) -> dict[str, Any]:
    schema = {"type": kind, **({"custom": custom} if custom else {})}
    return {"id": field_id, "name": name, "schema": schema}


def survey(**changes: Any) -> SiteSurvey:
    statuses = [
        status("Done", "done", 1),
        status("Funnel", "new", 2),
        status("Implementing", "indeterminate", 3),
        status("Analyzing", "new", 4),
    ]
    values: dict[str, Any] = {
        "url": "https://aurora.atlassian.net",
        "deployment": "cloud",
        "project": {
            "key": "AUR",
            "id": "10000",
            "name": "Aurora",
            "issueTypes": [
                {"name": "Story", "subtask": False, "hierarchyLevel": 0},
                {"name": "Sub-task", "subtask": True, "hierarchyLevel": -1},
                {"name": "Feature", "subtask": False, "hierarchyLevel": 1},
                {"name": "Epic", "subtask": False, "hierarchyLevel": 2},
            ],
        },
        "project_count": 3,
        "type_statuses": {"Feature": tuple(statuses), "Story": tuple(statuses[:1])},
        "statuses": tuple(statuses),
        "boards": (),
        "board": None,
        "fields": (field("customfield_1", "Team", "option"),),
        "link_types": ({"name": "Blocks", "inward": "is blocked by", "outward": "blocks"},),
        "sample": (),
    }
    values.update(changes)
    return SiteSurvey(**values)


def drafted(site: SiteSurvey) -> tuple[str, dict[str, Any]]:
    draft = draft_config(site, user_ref="env:JIRA_USER", token_ref="env:JIRA_TOKEN", today=TODAY)
    text = render_art_yaml(draft)
    data = yaml.safe_load(text)
    validate_config(data)  # what `rte check-config` holds it to
    return text, data


@pytest.mark.parametrize("value", HOSTILE)
def test_a_scalar_reads_back_as_written_in_a_block_and_in_a_flow(value: str) -> None:
    assert yaml.safe_load(f"key: {scalar(value)}")["key"] == value
    assert yaml.safe_load(f"key: [{scalar(value)}, {{a: {scalar(value)}}}]")["key"] == [
        value,
        {"a": value},
    ]


def test_a_comment_holds_one_line_of_text() -> None:
    assert comment_text("a\nb\r\x1b[31mc\u2028d") == "a b [31mc d"


def test_statuses_become_states_by_category_and_the_monday_starts_the_pi() -> None:
    text, data = drafted(survey())
    assert [state["name"] for state in data["kanban"]["states"]] == [
        "Funnel",
        "Analyzing",
        "Implementing",
        "Done",
    ]
    assert data["cadence"]["pis"] == [{"name": "PI 1", "start": date(2026, 12, 7)}]
    assert data["jira"]["hierarchy"] == [
        {"level": "story", "issue_types": ["Story"]},
        {"level": "feature", "issue_types": ["Feature"]},
        {"level": "epic", "issue_types": ["Epic"]},
    ]
    assert "sub-task types left out: Sub-task" in " ".join(text.split())
    assert data["teams"] == [{"name": "Team 1"}]  # no value on the (empty) sample


def test_hostile_names_from_jira_stay_values_and_comments_stay_comments() -> None:
    names = ["Done # really", "a: b", "x, y", "[x]", "yes", "007", "- item"]
    statuses = [status(name, "indeterminate", n) for n, name in enumerate(names, start=10)]
    sample = [{"fields": {"customfield_1": {"value": name}}} for name in names]
    board = BoardSurvey(
        7,
        "Board\n# injected: true",
        tuple(BoardColumn(name, frozenset({name}), wip_limit=3) for name in names),
        (),
        "issueCount",
    )
    site = survey(
        type_statuses={"Feature": tuple(statuses)}, statuses=tuple(statuses), sample=sample,
        board=board, project={**survey().project, "name": "Aurora\ninjected: true"},
    )  # fmt: skip
    _, data = drafted(site)
    assert [state["name"] for state in data["kanban"]["states"]] == names
    assert sorted(team["name"] for team in data["teams"]) == sorted(names)
    assert data["art"]["name"] == "Aurora\ninjected: true"
    assert "injected" not in data and "injected" not in data["kanban"]


def test_a_board_minimum_above_its_limit_is_dropped_and_said() -> None:
    board = BoardSurvey(
        7, "Kanban", (BoardColumn("Implementing", frozenset({"Implementing"}), 2, 5),), (), "x"
    )
    text, data = drafted(survey(board=board))
    assert data["kanban"]["states"] == [
        {"name": "Implementing", "statuses": ["Implementing"], "wip_limit": 2}
    ]
    assert "a minimum above the limit dropped in: Implementing" in " ".join(text.split())


def test_two_fields_of_one_name_pick_the_one_of_the_right_type_and_say_both_ids() -> None:
    story_points = next(spec for spec in SPECS if spec.key == "story_points")
    fields = [
        field("customfield_20", "Story Points", "string", "textfield"),
        field("customfield_10", "Story Points", "number", "float"),
    ]
    choice = choose_field(story_points, fields, [])
    assert choice.value == "customfield_10"  # the name would pick both
    assert "customfield_20" in choice.why and "not of type number" in choice.why
    assert choice.todo is not None and "customfield_10 and customfield_20" in choice.todo


def test_two_story_point_fields_both_filled_in_are_a_todo() -> None:
    story_points = next(spec for spec in SPECS if spec.key == "story_points")
    fields = [
        field("customfield_10", "Story Points", "number", "float"),
        field("customfield_11", "Story point estimate", "number", "float"),
    ]
    sample = [{"fields": {"customfield_10": 3, "customfield_11": 5}}]
    choice = choose_field(story_points, fields, sample)
    assert choice.value == "Story Points"
    assert choice.todo == "check that customfield_10 is the field your teams fill in"


def test_a_missing_field_is_said_and_left_out() -> None:
    text, data = drafted(survey(fields=()))
    assert "story_points" not in data["jira"]["fields"]
    assert "# story_points: (none found)" in text


def test_data_center_without_feature_types_puts_epics_right_above_stories() -> None:
    levels, said = draft_hierarchy(
        [{"name": "Story", "subtask": False}, {"name": "Epic", "subtask": False}], datacenter=True
    )
    assert [(level.level, level.issue_types) for level in levels] == [
        ("story", ("Story",)),
        ("epic", ("Epic",)),
    ]
    assert said.todo == "check which level each issue type is"


def test_a_cloud_epic_at_level_one_is_a_feature_to_check() -> None:
    levels, said = draft_hierarchy(
        [{"name": "Story", "hierarchyLevel": 0}, {"name": "Epic", "hierarchyLevel": 1}],
        datacenter=False,
    )
    assert [level.level for level in levels] == ["story", "feature"]
    assert said.todo is not None and "Epic type" in said.todo


def test_a_risk_issue_type_is_the_trains_risks_not_a_backlog_level() -> None:
    for datacenter in (True, False):
        levels, said = draft_hierarchy(
            [
                {"name": "Story", "subtask": False, "hierarchyLevel": 0},
                {"name": "Risk", "subtask": False, "hierarchyLevel": 0},
            ],
            datacenter=datacenter,
        )
        assert [(level.level, level.issue_types) for level in levels] == [("story", ("Story",))]
        assert "risks (risks.issue_type) left out: Risk" in said.note
