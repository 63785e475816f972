"""Field discovery: config names and ids become exactly one Jira field id each."""

from __future__ import annotations

import pytest

from art.config import JiraFields, WsjfFields
from art.config_errors import ConfigError
from connectors.jira_fields import SYSTEM_FIELDS, FieldIds, FieldMappingError, resolve_fields
from tests.jira_builders import (
    BUSINESS_VALUE,
    FLAGGED,
    JOB_SIZE,
    SPRINT,
    STORY_POINTS,
    TEAM,
    WSJF,
    demo_fields,
    field_entry,
    field_list,
)


def test_names_resolve_to_ids_whatever_their_case_and_spacing() -> None:
    ids = resolve_fields(JiraFields(story_points="  story   POINTS ", team="team"), field_list())
    assert ids.story_points == STORY_POINTS
    assert ids.team == TEAM


def test_an_id_is_taken_as_it_is() -> None:
    ids = resolve_fields(JiraFields(story_points=STORY_POINTS), field_list())
    assert ids.story_points == STORY_POINTS


def test_a_system_field_id_is_accepted() -> None:
    ids = resolve_fields(JiraFields(value_stream="labels"), field_list())
    assert ids.value_stream == "labels"


def test_an_id_wins_over_a_field_whose_name_looks_like_it() -> None:
    decoy = field_entry("customfield_19999", STORY_POINTS)
    ids = resolve_fields(JiraFields(story_points=STORY_POINTS), field_list(decoy))
    assert ids.story_points == STORY_POINTS


def test_the_whole_demo_mapping_resolves_including_wsjf_parts() -> None:
    ids = resolve_fields(demo_fields(), field_list())
    assert ids.wsjf_score == WSJF
    assert ids.wsjf_business_value == BUSINESS_VALUE == ids.business_value
    assert ids.wsjf_job_size == JOB_SIZE
    assert ids.flagged == FLAGGED
    assert ids.flagged_name == "Flagged"
    assert ids.sprint == SPRINT
    assert ids.epic_link is None and ids.parent_link is None


def test_an_ambiguous_name_lists_the_config_path_and_every_candidate() -> None:
    second_team = field_entry("customfield_10200", "Team")
    with pytest.raises(FieldMappingError) as caught:
        resolve_fields(JiraFields(team="Team"), field_list(second_team))
    [problem] = caught.value.problems
    assert problem.path == "jira.fields.team"
    assert TEAM in problem.message and "customfield_10200" in problem.message


def test_an_unknown_name_suggests_the_near_matches_with_their_ids() -> None:
    with pytest.raises(FieldMappingError) as caught:
        resolve_fields(JiraFields(story_points="Story Pints"), field_list())
    [problem] = caught.value.problems
    assert problem.path == "jira.fields.story_points"
    assert "'Story Pints'" in problem.message
    assert "Story Points" in problem.message and STORY_POINTS in problem.message


def test_an_unknown_name_with_nothing_close_says_so_without_suggestions() -> None:
    with pytest.raises(FieldMappingError) as caught:
        resolve_fields(JiraFields(work_type="Xyzzy"), field_list())
    [problem] = caught.value.problems
    assert "Xyzzy" in problem.message and "did you mean" not in problem.message


def test_every_problem_is_reported_at_once_with_its_own_path() -> None:
    fields = JiraFields(
        story_points="Story Pints",
        team="Teem",
        wsjf=WsjfFields(job_size="Job Sise"),
    )
    with pytest.raises(FieldMappingError) as caught:
        resolve_fields(fields, field_list())
    paths = [problem.path for problem in caught.value.problems]
    assert paths == ["jira.fields.story_points", "jira.fields.team", "jira.fields.wsjf.job_size"]
    assert all(path in str(caught.value) for path in paths)


def test_a_mapping_error_is_reported_like_any_config_error() -> None:
    with pytest.raises(ConfigError):
        resolve_fields(JiraFields(team="nope"), field_list())


def test_defaults_missing_from_the_site_are_simply_absent() -> None:
    """A site without Jira Software has no Sprint or Flagged field; not the user's mistake."""
    bare_site = [entry for entry in field_list() if entry["id"] not in (SPRINT, FLAGGED)]
    ids = resolve_fields(JiraFields(), bare_site)
    assert ids.sprint is None and ids.flagged is None and ids.flagged_name is None


def test_the_same_default_written_explicitly_must_exist() -> None:
    bare_site = [entry for entry in field_list() if entry["id"] != SPRINT]
    with pytest.raises(FieldMappingError) as caught:
        resolve_fields(JiraFields(sprint="Sprint"), bare_site)
    assert [problem.path for problem in caught.value.problems] == ["jira.fields.sprint"]


def test_malformed_field_list_entries_are_skipped() -> None:
    junk: list = [None, {"name": "no id"}, {"id": "", "name": "empty"}, "text"]
    ids = resolve_fields(JiraFields(team="Team"), junk + field_list())
    assert ids.team == TEAM


def test_requested_fields_are_the_system_fields_plus_each_mapped_id_once() -> None:
    ids = resolve_fields(demo_fields(), field_list())
    requested = ids.requested()
    assert requested == sorted(requested)
    assert set(SYSTEM_FIELDS) <= set(requested)
    assert {STORY_POINTS, TEAM, SPRINT, FLAGGED, WSJF, JOB_SIZE} <= set(requested)
    assert requested.count(BUSINESS_VALUE) == 1
    assert "Flagged" not in requested  # the display name is not a field id


def test_requested_fields_without_any_mapping_are_the_system_fields() -> None:
    assert FieldIds().requested() == sorted(SYSTEM_FIELDS)


def test_mapped_names_only_the_configured_attributes() -> None:
    assert FieldIds(team=TEAM, wsjf_score=WSJF).mapped() == {"team": TEAM, "wsjf_score": WSJF}
