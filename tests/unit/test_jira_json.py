"""The Jira JSON parser: messy, real-shaped issues in, WorkItems (or reasons) out."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from art.model import FlaggedInterval, Link, StatusCategory, Transition, WorkItem
from connectors.jira_export import ExportFormatError, ExportNotFoundError, read_export
from connectors.jira_json import ParseResult, parse_issues
from connectors.jira_values import latest_sprint_name, parse_timestamp
from tests.jira_builders import (
    ACCEPTANCE_CRITERIA,
    BUSINESS_VALUE,
    EPIC_LINK,
    FLAGGED,
    JOB_SIZE,
    PARENT_LINK,
    SPRINT,
    STORY_POINTS,
    TEAM,
    VALUE_STREAM,
    WORK_TYPE,
    WSJF,
    adf,
    at,
    field_ids,
    field_list,
    flag,
    history,
    issue,
    jira_config,
    link,
)

IDS = field_ids()
DC_IDS = field_ids(epic_link="Epic Link", parent_link="Parent Link")
JIRA = jira_config()


def utc(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


def parse(*raw: Any, ids: Any = IDS, **kwargs: Any) -> ParseResult:
    return parse_issues(list(raw), ids, JIRA, **kwargs)


def parse_one(raw: dict[str, Any], **kwargs: Any) -> WorkItem:
    result = parse(raw, **kwargs)
    assert result.rejected == (), result.rejected
    [item] = result.items
    return item


def moves(item: WorkItem) -> list[tuple[str | None, str]]:
    return [(transition.from_status, transition.to_status) for transition in item.transitions]


# --------------------------------------------------------------------------
# Transitions


def test_histories_in_any_order_become_transitions_in_time_order() -> None:
    raw = issue(
        "AUR-1",
        "Validating",
        at(1),
        histories=[
            history(at(9), "Implementing", "Validating"),
            history(at(2), "Funnel", "Analyzing"),
            history(at(5), "Analyzing", "Implementing"),
        ],
    )
    item = parse_one(raw)
    assert item.transitions == (
        Transition(utc(1), None, "Funnel"),
        Transition(utc(2), "Funnel", "Analyzing"),
        Transition(utc(5), "Analyzing", "Implementing"),
        Transition(utc(9), "Implementing", "Validating"),
    )


def test_same_instant_histories_are_ordered_by_numeric_id_not_text() -> None:
    raw = issue(
        "AUR-1",
        "Implementing",
        at(1),
        histories=[
            history(at(3), "Analyzing", "Implementing", history_id="10"),
            history(at(3), "Funnel", "Analyzing", history_id="9"),
        ],
    )
    assert moves(parse_one(raw)) == [
        (None, "Funnel"),
        ("Funnel", "Analyzing"),
        ("Analyzing", "Implementing"),
    ]


@pytest.mark.parametrize(
    "changelog",
    [None, {}, {"histories": None}, {"histories": []}, {"startAt": 0, "total": 0}],
    ids=["null", "empty-object", "null-histories", "no-histories", "no-histories-key"],
)
def test_without_history_the_item_was_created_in_its_current_status(changelog: Any) -> None:
    item = parse_one(issue("AUR-1", "Implementing", at(4), changelog=changelog))
    assert item.transitions == (Transition(utc(4), None, "Implementing"),)


def test_an_issue_without_changelog_key_is_created_in_its_current_status() -> None:
    raw = issue("AUR-1", "Done", at(4))
    assert "changelog" not in raw
    assert parse_one(raw).transitions == (Transition(utc(4), None, "Done"),)


def test_created_directly_in_a_later_state_starts_there() -> None:
    raw = issue("AUR-1", "Done", at(1), histories=[history(at(6), "Implementing", "Done")])
    item = parse_one(raw)
    assert moves(item) == [(None, "Implementing"), ("Implementing", "Done")]
    assert item.first_entered({"Funnel", "Analyzing"}) is None
    assert item.first_entered({"Implementing"}) == utc(1)


def test_backward_moves_are_kept_and_first_entry_is_the_earliest() -> None:
    raw = issue(
        "AUR-1",
        "Implementing",
        at(1),
        histories=[
            history(at(2), "Funnel", "Implementing"),
            history(at(4), "Implementing", "Analyzing"),
            history(at(7), "Analyzing", "Implementing"),
        ],
    )
    item = parse_one(raw)
    assert moves(item)[2:] == [("Implementing", "Analyzing"), ("Analyzing", "Implementing")]
    assert item.first_entered({"Implementing"}) == utc(2)


def test_histories_fetched_separately_by_issue_id_are_used() -> None:
    raw = issue("AUR-1", "Analyzing", at(1), issue_id="10042")
    separate = {"10042": [history(at(3), "Funnel", "Analyzing")]}
    assert moves(parse_one(raw, changelogs=separate)) == [(None, "Funnel"), ("Funnel", "Analyzing")]


def test_histories_fetched_separately_by_key_are_used() -> None:
    raw = issue("AUR-1", "Analyzing", at(1), changelog=None)
    separate = {"AUR-1": [history(at(3), "Funnel", "Analyzing")]}
    assert moves(parse_one(raw, changelogs=separate))[-1] == ("Funnel", "Analyzing")


def test_embedded_and_separate_histories_merge_each_history_once() -> None:
    early = history(at(2), "Funnel", "Analyzing", history_id="100")
    late = history(at(5), "Analyzing", "Implementing", history_id="101")
    raw = issue("AUR-1", "Implementing", at(1), issue_id="7", histories=[late])
    item = parse_one(raw, changelogs={"7": [copy.deepcopy(late), early]})
    assert moves(item) == [
        (None, "Funnel"),
        ("Funnel", "Analyzing"),
        ("Analyzing", "Implementing"),
    ]


def test_non_status_changes_do_not_become_transitions() -> None:
    assignee = {"field": "assignee", "fieldId": "assignee", "fromString": None, "toString": "Ada"}
    raw = issue(
        "AUR-1",
        "Analyzing",
        at(1),
        histories=[
            history(at(2), items=[assignee]),
            history(at(3), "Funnel", "Analyzing"),
        ],
    )
    assert moves(parse_one(raw)) == [(None, "Funnel"), ("Funnel", "Analyzing")]


def test_a_data_center_status_item_without_field_id_is_a_status_change() -> None:
    item = {"field": "status", "fieldtype": "jira", "fromString": "Funnel", "toString": "Done"}
    raw = issue("AUR-1", "Done", at(1), histories=[history(at(2), items=[item])])
    assert moves(parse_one(raw)) == [(None, "Funnel"), ("Funnel", "Done")]


def test_a_history_older_than_the_issue_does_not_put_creation_after_it() -> None:
    raw = issue("AUR-1", "Analyzing", at(5), histories=[history(at(2), "Funnel", "Analyzing")])
    item = parse_one(raw)
    assert item.created == utc(5)
    assert item.transitions[0] == Transition(utc(2), None, "Funnel")


def test_a_history_without_timestamp_is_ignored_and_reported() -> None:
    broken = history(at(2), "Funnel", "Analyzing", history_id="55")
    broken["created"] = None
    raw = issue(
        "AUR-1",
        "Implementing",
        at(1),
        histories=[
            broken,
            history(at(3), "Analyzing", "Implementing"),
        ],
    )
    result = parse(raw)
    assert moves(result.items[0]) == [(None, "Analyzing"), ("Analyzing", "Implementing")]
    assert any("history '55'" in warning.reason for warning in result.warnings)


def test_a_changelog_ending_elsewhere_than_the_status_is_reported() -> None:
    raw = issue("AUR-1", "Done", at(1), histories=[history(at(2), "Funnel", "Analyzing")])
    result = parse(raw)
    assert result.items[0].status == "Done"
    [warning] = result.warnings
    assert warning.key == "AUR-1" and "'Analyzing'" in warning.reason and "'Done'" in warning.reason


def test_a_status_change_with_a_missing_source_continues_from_the_last_status() -> None:
    raw = issue(
        "AUR-1",
        "Implementing",
        at(1),
        histories=[
            history(at(2), "Funnel", "Analyzing"),
            history(at(3), None, "Implementing"),
        ],
    )
    assert moves(parse_one(raw))[-1] == ("Analyzing", "Implementing")


# --------------------------------------------------------------------------
# Flagged


def test_flag_set_then_cleared_is_a_closed_interval() -> None:
    raw = issue(
        "AUR-1",
        "Implementing",
        at(1),
        histories=[
            flag(at(3)),
            flag(at(6), set_=False),
        ],
        **{FLAGGED: None},
    )
    item = parse_one(raw)
    assert item.flagged == (FlaggedInterval(utc(3), utc(6)),)
    assert not item.is_flagged()


def test_a_flag_still_set_is_an_open_interval() -> None:
    raw = issue(
        "AUR-1",
        "Implementing",
        at(1),
        histories=[flag(at(3))],
        **{FLAGGED: [{"value": "Impediment", "id": "10019"}]},
    )
    item = parse_one(raw)
    assert item.flagged == (FlaggedInterval(utc(3), None),)
    assert item.is_flagged()


def test_flag_history_in_any_order_pairs_set_with_clear() -> None:
    raw = issue(
        "AUR-1",
        "Implementing",
        at(1),
        histories=[
            flag(at(8)),
            flag(at(5), set_=False),
            flag(at(2)),
            flag(at(9), set_=False),
        ],
    )
    assert parse_one(raw).flagged == (
        FlaggedInterval(utc(2), utc(5)),
        FlaggedInterval(utc(8), utc(9)),
    )


def test_flagged_now_without_history_starts_at_last_update() -> None:
    raw = issue(
        "AUR-1", "Implementing", at(1), updated=at(4), **{FLAGGED: [{"value": "Impediment"}]}
    )
    assert parse_one(raw).flagged == (FlaggedInterval(utc(4), None),)


def test_flagged_now_without_history_or_update_starts_at_creation() -> None:
    raw = issue("AUR-1", "Implementing", at(2), **{FLAGGED: [{"value": "Impediment"}]})
    raw["fields"]["updated"] = None
    assert parse_one(raw).flagged == (FlaggedInterval(utc(2), None),)


def test_a_clear_without_a_set_means_flagged_since_creation() -> None:
    raw = issue("AUR-1", "Implementing", at(1), histories=[flag(at(4), set_=False)])
    assert parse_one(raw).flagged == (FlaggedInterval(utc(1), utc(4)),)


def test_a_data_center_flag_item_without_field_id_is_recognised_by_name() -> None:
    raw = issue("AUR-1", "Implementing", at(1), histories=[flag(at(3), field_id=None)])
    assert parse_one(raw).flagged == (FlaggedInterval(utc(3), None),)


def test_a_flag_field_with_another_name_is_recognised_by_its_id() -> None:
    item = {"field": "Impediment", "fieldId": FLAGGED, "fromString": None, "toString": "Yes"}
    raw = issue("AUR-1", "Implementing", at(1), histories=[history(at(3), items=[item])])
    assert parse_one(raw).flagged == (FlaggedInterval(utc(3), None),)


def test_history_ending_flagged_but_field_now_empty_is_closed_and_reported() -> None:
    raw = issue(
        "AUR-1", "Implementing", at(1), updated=at(7), histories=[flag(at(3))], **{FLAGGED: None}
    )
    result = parse(raw)
    assert result.items[0].flagged == (FlaggedInterval(utc(3), utc(7)),)
    assert any("not flagged now" in warning.reason for warning in result.warnings)


def test_without_a_flag_field_and_history_nothing_is_flagged() -> None:
    assert parse_one(issue("AUR-1", "Implementing", at(1))).flagged == ()


# --------------------------------------------------------------------------
# Rejected records


@pytest.mark.parametrize(
    ("change", "expected_key", "phrase"),
    [
        ({"key": None}, None, "has no key"),
        ({"fields.status": None}, "AUR-1", "fields.status.name"),
        ({"fields.issuetype": None}, "AUR-1", "fields.issuetype.name"),
        ({"fields.created": None}, "AUR-1", "fields.created"),
        ({"fields.created": "yesterday"}, "AUR-1", "'yesterday' is not a timestamp"),
        ({"fields.created": "2026-10-01T09:00:00"}, "AUR-1", "with a time zone"),
        ({"fields.status.statusCategory": None}, "AUR-1", "statusCategory.key"),
        ({"fields.status.statusCategory.key": "undefined"}, "AUR-1", "'undefined'"),
        ({"fields": None}, "AUR-1", "fields is missing"),
        ({"fields": []}, "AUR-1", "fields is not an object"),
    ],
)
def test_a_record_without_an_essential_is_rejected_with_the_reason(
    change: dict[str, Any], expected_key: str | None, phrase: str
) -> None:
    raw = issue("AUR-1", "Implementing", at(1))
    for path, value in change.items():
        _set(raw, path, value)
    result = parse(raw, issue("AUR-2", "Done", at(1)))
    assert [item.key for item in result.items] == ["AUR-2"]
    [rejected] = result.rejected
    assert rejected.key == expected_key
    assert phrase in rejected.reason


def test_a_rejection_names_every_missing_essential() -> None:
    raw = issue("AUR-1", None, None, issue_type=None)
    raw["fields"]["created"] = None
    [rejected] = parse(raw).rejected
    for path in ("fields.status.name", "fields.issuetype.name", "fields.created"):
        assert path in rejected.reason


def test_a_keyless_record_is_identified_by_position_and_id() -> None:
    [rejected] = parse(issue("AUR-1"), issue(None, issue_id="10077")).rejected
    assert rejected.key is None and "#2" in rejected.reason and "10077" in rejected.reason


@pytest.mark.parametrize("junk", [None, "AUR-1", 42, ["AUR-1"]])
def test_a_record_that_is_not_an_object_is_rejected(junk: Any) -> None:
    result = parse(junk)
    assert result.items == ()
    assert "not a JSON object" in result.rejected[0].reason


# --------------------------------------------------------------------------
# Optional values


def test_nulls_in_optional_fields_become_none() -> None:
    raw = issue(
        "AUR-1",
        "Implementing",
        at(1),
        summary=None,
        **{
            STORY_POINTS: None,
            TEAM: None,
            SPRINT: None,
            WORK_TYPE: None,
            FLAGGED: None,
            BUSINESS_VALUE: None,
            ACCEPTANCE_CRITERIA: None,
            VALUE_STREAM: None,
        },
    )
    for name in ("updated", "resolutiondate", "parent", "issuelinks", "labels", "fixVersions"):
        raw["fields"][name] = None
    item = parse_one(raw)
    assert item.summary == ""
    assert (item.team, item.estimate, item.iteration, item.work_type) == (None,) * 4
    assert (item.parent, item.updated, item.resolved) == (None, None, None)
    assert item.links == () and item.flagged == ()
    assert item.fields["business_value"] is None
    assert item.fields["has_acceptance_criteria"] is False
    assert item.fields["labels"] == () and item.fields["fix_versions"] == ()


def test_fields_missing_from_the_response_become_none() -> None:
    raw = issue("AUR-1", "Implementing", at(1))
    raw["fields"] = {key: raw["fields"][key] for key in ("issuetype", "status", "created")}
    item = parse_one(raw)
    assert item.summary == "" and item.team is None and item.links == ()


def test_core_attributes_are_read() -> None:
    raw = issue(
        "AUR-7",
        "Done",
        "2026-10-01T09:00:00.000+0200",
        issue_type="Feature",
        summary="Voucher checkout",
        updated="2026-10-03T10:00:00.000+0200",
        **{STORY_POINTS: 5, TEAM: {"value": "Atlas"}, WORK_TYPE: {"value": "Enabler"}},
    )
    raw["fields"]["resolutiondate"] = "2026-10-03T10:00:00.000+0200"
    raw["fields"]["parent"] = {"id": "10001", "key": "AUR-2", "fields": {"summary": "Epic"}}
    item = parse_one(raw)
    assert (item.key, item.issue_type, item.level) == ("AUR-7", "Feature", "feature")
    assert item.summary == "Voucher checkout"
    assert item.status_category is StatusCategory.DONE
    assert item.created == utc(1, 7)
    assert item.resolved == utc(3, 8)
    assert (item.parent, item.team, item.estimate, item.work_type) == (
        "AUR-2",
        "Atlas",
        5.0,
        "Enabler",
    )


@pytest.mark.parametrize(
    ("key", "category"),
    [
        ("new", StatusCategory.TO_DO),
        ("indeterminate", StatusCategory.IN_PROGRESS),
        ("done", StatusCategory.DONE),
    ],
)
def test_status_category_comes_from_jira(key: str, category: StatusCategory) -> None:
    assert parse_one(issue("AUR-1", "Whatever", at(1), category=key)).status_category is category


def test_an_unmapped_issue_type_has_no_level() -> None:
    assert parse_one(issue("AUR-1", issue_type="PI Objective")).level is None


@pytest.mark.parametrize(
    "value",
    [
        "Atlas",
        {"value": "Atlas", "id": "10100"},
        {"name": "Atlas"},
        {"id": "a1b2", "title": "Atlas", "name": None},
        [{"value": "Atlas"}],
        " Atlas ",
    ],
)
def test_the_team_is_read_from_any_shape_jira_uses(value: Any) -> None:
    assert parse_one(issue("AUR-1", **{TEAM: value})).team == "Atlas"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3.0),
        (2.5, 2.5),
        ("8", 8.0),
        ("lots", None),
        (True, None),
        ({}, None),
        (float("nan"), None),
        (10**400, None),
    ],
)
def test_the_estimate_is_a_number_or_none(value: Any, expected: float | None) -> None:
    assert parse_one(issue("AUR-1", **{STORY_POINTS: value})).estimate == expected


def test_links_keep_direction_and_use_the_outward_wording() -> None:
    raw = issue(
        "AUR-1",
        issuelinks=[
            link("blocks", outward="AUR-2"),
            link("blocks", inward="AUR-3"),
            {"id": "1", "type": None, "outwardIssue": {"key": "AUR-4"}},
            {"id": "2", "type": {"outward": "relates to"}, "inwardIssue": None},
        ],
    )
    assert parse_one(raw).links == (
        Link(kind="blocks", outward=True, key="AUR-2"),
        Link(kind="blocks", outward=False, key="AUR-3"),
    )


def test_extra_values_are_plain_numbers_and_text() -> None:
    raw = issue(
        "AUR-1",
        labels=["pi-2026.4", None, "nfr"],
        fixVersions=[
            {"self": "https://x/rest/api/3/version/10", "id": "10", "name": "PI 2026.4"},
            {"id": "11"},
            {"id": "12", "name": "Hotfix 3", "archived": False, "released": True},
        ],
        **{
            BUSINESS_VALUE: 8.0,
            WSJF: "13",
            JOB_SIZE: {"value": "5"},
            VALUE_STREAM: {"value": "Payments"},
            ACCEPTANCE_CRITERIA: adf("Given a voucher", "then the total drops"),
        },
    )
    extras = parse_one(raw).fields
    assert extras["business_value"] == 8.0 == extras["wsjf_business_value"]
    assert extras["wsjf_score"] == 13.0 and extras["wsjf_job_size"] == 5.0
    assert extras["wsjf_time_criticality"] is None
    assert extras["value_stream"] == "Payments"
    assert extras["acceptance_criteria"] == "Given a voucher\nthen the total drops"
    assert extras["has_acceptance_criteria"] is True
    assert extras["labels"] == ("pi-2026.4", "nfr")
    assert extras["fix_versions"] == ("PI 2026.4", "Hotfix 3")


def test_an_empty_document_is_no_acceptance_criteria() -> None:
    empty = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": []}]}
    extras = parse_one(issue("AUR-1", **{ACCEPTANCE_CRITERIA: empty})).fields
    assert extras["has_acceptance_criteria"] is False and extras["acceptance_criteria"] is None


def test_extra_values_cannot_be_changed_by_a_rule() -> None:
    item = parse_one(issue("AUR-1", **{BUSINESS_VALUE: 3}))
    with pytest.raises(TypeError):
        item.fields["business_value"] = 99  # type: ignore[index]


# --------------------------------------------------------------------------
# Sprints


def sprint(sprint_id: int, name: str, state: str, start: str | None = None) -> dict[str, Any]:
    return {"id": sprint_id, "name": name, "state": state, "boardId": 101, "startDate": start}


def test_the_iteration_is_the_open_sprint_over_closed_ones() -> None:
    value = [
        sprint(3, "AUR 26.4.2", "active", "2026-10-19T08:00:00.000Z"),
        sprint(1, "AUR 26.3.5", "closed", "2026-09-21T08:00:00.000Z"),
        sprint(2, "AUR 26.4.1", "closed", "2026-10-05T08:00:00.000Z"),
    ]
    assert parse_one(issue("AUR-1", **{SPRINT: value})).iteration == "AUR 26.4.2"


def test_among_closed_sprints_the_latest_started_is_the_iteration() -> None:
    value = [
        sprint(9, "AUR 26.4.1", "closed", "2026-10-05T08:00:00.000Z"),
        sprint(4, "AUR 26.4.2", "closed", "2026-10-19T08:00:00.000Z"),
    ]
    assert latest_sprint_name(value) == "AUR 26.4.2"


def test_a_future_sprint_without_start_beats_a_closed_one() -> None:
    value = [
        sprint(1, "AUR 26.4.1", "closed", "2026-10-05T08:00:00.000Z"),
        sprint(2, "AUR 26.4.2", "future"),
    ]
    assert latest_sprint_name(value) == "AUR 26.4.2"


def test_data_center_legacy_sprint_strings_are_read() -> None:
    prefix = "com.atlassian.greenhopper.service.sprint.Sprint@"
    value = [
        f"{prefix}1a[id=1,rapidViewId=101,state=CLOSED,name=AUR 26.4.1,goal=,"
        "startDate=2026-10-05T08:00:00.000+02:00,endDate=2026-10-16T17:00:00.000+02:00,"
        "completeDate=2026-10-16T17:00:00.000+02:00,sequence=1]",
        f"{prefix}2b[id=2,rapidViewId=101,state=ACTIVE,name=AUR 26.4.2, Payments,goal=<null>,"
        "startDate=2026-10-19T08:00:00.000+02:00,endDate=<null>,completeDate=<null>,sequence=2]",
    ]
    assert parse_one(issue("AUR-1", **{SPRINT: value})).iteration == "AUR 26.4.2, Payments"


@pytest.mark.parametrize("value", [None, [], "not a sprint", [None, {"id": 1}], 7])
def test_unreadable_sprints_give_no_iteration(value: Any) -> None:
    assert latest_sprint_name(value) is None


# --------------------------------------------------------------------------
# Data Center hierarchy


def test_data_center_epic_link_is_the_parent() -> None:
    raw = issue("AUR-5", **{EPIC_LINK: "AUR-1"})
    assert parse_one(raw, ids=DC_IDS).parent == "AUR-1"


@pytest.mark.parametrize(
    "value",
    [
        "AUR-9",
        {"key": "AUR-9"},
        {
            "hasEpicLinkFieldDependency": False,
            "showField": True,
            "data": {"id": 10009, "issueKey": "AUR-9", "keyNum": 9},
        },
    ],
)
def test_data_center_parent_link_is_the_parent(value: Any) -> None:
    raw = issue("AUR-5", issue_type="Feature", **{PARENT_LINK: value})
    assert parse_one(raw, ids=DC_IDS).parent == "AUR-9"


def test_an_empty_parent_link_object_is_no_parent() -> None:
    raw = issue(
        "AUR-5",
        issue_type="Feature",
        **{PARENT_LINK: {"hasEpicLinkFieldDependency": False, "showField": False}},
    )
    assert parse_one(raw, ids=DC_IDS).parent is None


def test_epic_link_is_ignored_when_not_mapped() -> None:
    assert parse_one(issue("AUR-5", **{EPIC_LINK: "AUR-1"})).parent is None


# --------------------------------------------------------------------------
# Duplicates


def test_of_duplicate_keys_the_latest_updated_is_kept_and_the_other_reported() -> None:
    newer = issue("AUR-1", "Done", at(1), updated=at(9), summary="newer")
    older = issue("AUR-1", "Implementing", at(1), updated=at(4), summary="older")
    for records in ([older, newer], [newer, older]):
        result = parse(*records, issue("AUR-2"))
        assert [item.key for item in result.items].count("AUR-1") == 1
        assert next(item for item in result.items if item.key == "AUR-1").summary == "newer"
        [dropped] = result.rejected
        assert dropped.key == "AUR-1" and "duplicate" in dropped.reason
        assert "2026-10-04" in dropped.reason


def test_a_duplicate_without_update_time_loses_to_one_with_it() -> None:
    dated = issue("AUR-1", summary="dated", updated=at(2))
    undated = issue("AUR-1", summary="undated")
    undated["fields"]["updated"] = None
    assert parse(dated, undated).items[0].summary == "dated"


# --------------------------------------------------------------------------
# Timestamps


@pytest.mark.parametrize(
    "text",
    [
        "2026-10-06T09:15:23.000+0200",
        "2026-10-06T07:15:23Z",
        "2026-10-06T09:15:23+02:00",
        "2026-10-06T07:15:23.000+0000",
        " 2026-10-06T02:15:23.000-0500 ",
    ],
)
def test_timestamps_in_every_jira_form_are_the_same_utc_instant(text: str) -> None:
    parsed = parse_timestamp(text)
    assert parsed == datetime(2026, 10, 6, 7, 15, 23, tzinfo=UTC)
    assert parsed is not None and parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value", [None, "", "2026-10-06", "2026-10-06T09:15:23", "06.10.2026", 1760000000, {}]
)
def test_a_timestamp_without_zone_or_shape_is_refused(value: Any) -> None:
    assert parse_timestamp(value) is None


def test_created_keeps_its_instant_whatever_its_offset() -> None:
    item = parse_one(issue("AUR-1", created="2026-10-06T09:15:23.000+0200"))
    assert item.created == datetime(2026, 10, 6, 9, 15, 23, tzinfo=timezone(timedelta(hours=2)))


# --------------------------------------------------------------------------
# Properties

STATUSES = ("Funnel", "Analyzing", "Backlog", "Implementing", "Validating", "Done")


@st.composite
def status_histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A walk through the statuses; few distinct instants, so some histories share one."""
    path = draw(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=8))
    hours = draw(st.lists(st.integers(0, 5), min_size=len(path), max_size=len(path)))
    ids = draw(st.lists(st.integers(1, 10**6), min_size=len(path), max_size=len(path), unique=True))
    previous = "Funnel"
    histories = []
    for status, hour, history_id in zip(path, hours, ids, strict=True):
        histories.append(history(at(2, hour), previous, status, history_id=str(history_id)))
        previous = status
    return histories


@settings(max_examples=150, deadline=None)
@given(data=st.data(), histories=status_histories())
def test_any_permutation_of_histories_gives_the_same_ordered_transitions(
    data: st.DataObject, histories: list[dict[str, Any]]
) -> None:
    shuffled = data.draw(st.permutations(histories))
    baseline = parse_one(issue("AUR-1", "Done", at(1), histories=histories))
    item = parse_one(issue("AUR-1", "Done", at(1), histories=list(shuffled)))
    assert item.transitions == baseline.transitions
    assert len(item.transitions) == len(histories) + 1
    times = [transition.at for transition in item.transitions]
    assert times == sorted(times)
    assert item.transitions[0].from_status is None
    assert all(transition.from_status is not None for transition in item.transitions[1:])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


def _full_issue() -> dict[str, Any]:
    return issue(
        "AUR-1",
        "Implementing",
        at(1),
        updated=at(3),
        histories=[history(at(2), "Funnel", "Implementing"), flag(at(2, 5))],
        issuelinks=[link("blocks", outward="AUR-2")],
        labels=["x"],
        **{
            STORY_POINTS: 3,
            TEAM: {"value": "Atlas"},
            SPRINT: [sprint(1, "S1", "active")],
            FLAGGED: [{"value": "Impediment"}],
            WORK_TYPE: {"value": "Feature"},
            BUSINESS_VALUE: 5,
            ACCEPTANCE_CRITERIA: adf("ok"),
            VALUE_STREAM: "Payments",
            EPIC_LINK: "AUR-9",
            PARENT_LINK: {"key": "AUR-8"},
        },
    )


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location in a JSON tree, so a test can spoil any of them."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


FULL_ISSUE_PATHS = _paths(_full_issue())


@settings(max_examples=300, deadline=None)
@given(
    spoiled=st.lists(st.sampled_from(FULL_ISSUE_PATHS), min_size=1, max_size=6),
    junk=st.lists(st.none() | json_values, min_size=6, max_size=6),
)
def test_parsing_never_raises_whatever_is_null_or_junk(
    spoiled: list[tuple[Any, ...]], junk: list[Any]
) -> None:
    raw = _full_issue()
    for path, value in zip(spoiled, junk, strict=False):
        _set_path(raw, path, value)
    for ids in (IDS, DC_IDS):
        result = parse_issues([raw], ids, JIRA, changelogs={"AUR-1": junk})
        assert len(result.items) + len(result.rejected) == 1
        for item in result.items:
            times = [transition.at for transition in item.transitions]
            assert times == sorted(times) and item.created.tzinfo is not None
            assert all(
                interval.end is None or interval.end >= interval.start for interval in item.flagged
            )


@settings(max_examples=150, deadline=None)
@given(fields=st.dictionaries(st.sampled_from(list(_full_issue()["fields"])), json_values))
def test_parsing_never_raises_for_random_field_values(fields: dict[str, Any]) -> None:
    raw = _full_issue()
    raw["fields"].update(fields)
    result = parse_issues([raw], DC_IDS, JIRA)
    assert len(result.items) + len(result.rejected) == 1


def _set_path(tree: Any, path: tuple[Any, ...], value: Any) -> None:
    """Replace the value at `path` if the path still exists after earlier spoiling."""
    for step in path[:-1]:
        try:
            tree = tree[step]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(tree, dict) or (
        isinstance(tree, list) and isinstance(path[-1], int) and path[-1] < len(tree)
    ):
        tree[path[-1]] = value


def _set(raw: dict[str, Any], dotted: str, value: Any) -> None:
    _set_path(raw, tuple(dotted.split(".")), value)


# --------------------------------------------------------------------------
# The export folder


def _write_export(folder: Path, *pages: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fields.json").write_text(json.dumps(field_list()))
    (folder / "export.json").write_text(
        json.dumps(
            {"snapshot": "2026-10-06T18:00:00.000+0200", "site": "https://aurora.atlassian.net"}
        )
    )
    for number, issues in enumerate(pages, start=1):
        (folder / f"search-page-{number:03d}.json").write_text(json.dumps({"issues": issues}))
    return folder


def test_an_export_folder_reads_every_page_in_order(tmp_path: Path) -> None:
    folder = _write_export(
        tmp_path / "jira",
        [issue("AUR-1", updated=at(2), summary="old"), issue("AUR-2")],
        [issue("AUR-1", updated=at(5), summary="new"), issue(None)],
    )
    snapshot = read_export(folder, JIRA)
    assert snapshot.snapshot == datetime(2026, 10, 6, 16, tzinfo=UTC)
    assert snapshot.site == "https://aurora.atlassian.net"
    assert sorted((item.key, item.summary) for item in snapshot.items) == [
        ("AUR-1", "new"),
        ("AUR-2", "Checkout accepts vouchers"),
    ]
    assert sorted(str(record.key) for record in snapshot.rejected) == ["AUR-1", "None"]


def test_a_missing_export_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nowhere"):
        read_export(tmp_path / "nowhere", JIRA)


def test_a_missing_export_file_is_named(tmp_path: Path) -> None:
    folder = _write_export(tmp_path / "jira", [issue("AUR-1")])
    (folder / "fields.json").unlink()
    with pytest.raises(ExportNotFoundError, match=r"fields\.json"):
        read_export(folder, JIRA)


def test_an_export_without_pages_says_so(tmp_path: Path) -> None:
    with pytest.raises(ExportNotFoundError, match=r"search-page-\*\.json"):
        read_export(_write_export(tmp_path / "jira"), JIRA)


def test_malformed_json_is_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = _write_export(tmp_path / "jira", [issue("AUR-1")])
    (folder / "search-page-002.json").write_text('{"issues": [\n  {"key": "AUR-2",}\n]}')
    with pytest.raises(ExportFormatError, match=r"search-page-002\.json: line 2"):
        read_export(folder, JIRA)


def test_a_page_that_is_not_a_search_response_is_reported(tmp_path: Path) -> None:
    folder = _write_export(tmp_path / "jira", [issue("AUR-1")])
    (folder / "search-page-002.json").write_text('[{"key": "AUR-2"}]')
    with pytest.raises(ExportFormatError, match=r"search-page-002\.json"):
        read_export(folder, JIRA)


def test_a_manifest_without_snapshot_time_is_reported(tmp_path: Path) -> None:
    folder = _write_export(tmp_path / "jira", [issue("AUR-1")])
    (folder / "export.json").write_text('{"site": "https://aurora.atlassian.net"}')
    with pytest.raises(ExportFormatError, match="snapshot"):
        read_export(folder, JIRA)
