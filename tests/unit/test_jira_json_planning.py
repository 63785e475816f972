"""What the parser reads for risks and the program board: the assignee, the due date, the
ROAM field and a feature's target iteration; each through the same one parser."""

from __future__ import annotations

from datetime import date
from typing import Any

from connectors.jira_fields import SYSTEM_FIELDS, resolve_fields
from connectors.jira_json import parse_issues
from tests.jira_builders import demo_fields, field_entry, field_list, issue, jira_config

ROAM = "customfield_10060"
TARGET = "customfield_10061"
FIELDS = demo_fields(roam="ROAM", target_iteration="Target Iteration")
IDS = resolve_fields(
    FIELDS,
    field_list(field_entry(ROAM, "ROAM", "option"), field_entry(TARGET, "Target Iteration")),
)
JIRA = jira_config(roam="ROAM", target_iteration="Target Iteration")


def parsed(**fields: Any):
    result = parse_issues([issue("AUR-1", "Owned", issue_type="Risk", **fields)], IDS, JIRA)
    return result.items[0], result.warnings


def test_the_owner_is_the_assignees_display_name() -> None:
    owned, _ = parsed(assignee={"accountId": "5b10", "displayName": "Ines Weber"})
    nobody, _ = parsed(assignee=None)
    assert (owned.assignee, nobody.assignee) == ("Ines Weber", None)


def test_the_due_date_is_a_day_and_a_broken_one_is_reported_not_guessed() -> None:
    due, warnings = parsed(duedate="2026-11-13")
    assert due.fields["duedate"] == date(2026, 11, 13) and warnings == ()
    broken, warnings = parsed(duedate="next Friday")
    assert "duedate" not in broken.fields
    assert [w.reason for w in warnings] == [
        "fields.duedate 'next Friday' is not a date; it was ignored"
    ]


def test_the_roam_field_and_the_target_iteration_are_read_where_mapped() -> None:
    item, _ = parsed(**{ROAM: {"value": "Mitigated", "id": "1"}, TARGET: "PI 2026.4 Iteration 3"})
    assert (item.fields["roam"], item.fields["target_iteration"]) == (
        "Mitigated",
        "PI 2026.4 Iteration 3",
    )
    empty, _ = parsed(**{ROAM: None, TARGET: ""})
    assert "roam" not in empty.fields and "target_iteration" not in empty.fields


def test_a_search_asks_for_the_assignee_the_due_date_and_the_mapped_fields() -> None:
    assert {"assignee", "duedate"} <= set(SYSTEM_FIELDS)
    assert {"assignee", "duedate", ROAM, TARGET} <= set(IDS.requested())
