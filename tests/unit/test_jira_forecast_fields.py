"""Jira's Rank and a due date: what the forecast reads of a feature besides its stories."""

from __future__ import annotations

from datetime import date

from art.config import JiraFields
from connectors.jira_fields import resolve_fields
from connectors.jira_json import parse_issues
from connectors.jira_values import parse_date
from tests.jira_builders import demo_fields, field_entry, field_list, issue, jira_config

RANK = "customfield_10019"
SITE = field_list(field_entry(RANK, "Rank", "any"), field_entry("duedate", "Due date", "date"))


def test_the_rank_and_the_due_date_are_read_into_the_items_fields() -> None:
    ids = resolve_fields(demo_fields(due_date="Due date"), SITE)
    assert (ids.rank, ids.due_date) == (RANK, "duedate")
    assert {RANK, "duedate"} <= set(ids.requested())
    raw = [
        issue("AUR-1", **{RANK: "0|i0000f:", "duedate": "2026-12-04"}),
        issue("AUR-2", **{RANK: None, "duedate": None}),
        issue("AUR-3", **{RANK: "  ", "duedate": "next week"}),
    ]
    first, second, third = parse_issues(raw, ids, jira_config()).items
    assert first.fields["rank"] == "0|i0000f:" and first.fields["due_date"] == date(2026, 12, 4)
    assert second.fields["rank"] is None and second.fields["due_date"] is None
    assert third.fields["rank"] is None and third.fields["due_date"] is None


def test_a_site_without_rank_is_no_mistake_and_an_unmapped_due_date_is_not_read() -> None:
    ids = resolve_fields(JiraFields(), field_list())
    assert ids.rank is None and ids.due_date is None
    [item] = parse_issues([issue("AUR-1", duedate="2026-12-04")], ids, jira_config()).items
    assert "rank" not in item.fields and "due_date" not in item.fields


def test_a_date_is_a_date_field_or_the_utc_day_of_a_timestamp() -> None:
    assert parse_date("2026-12-04") == date(2026, 12, 4)
    assert parse_date(" 2026-12-04 ") == date(2026, 12, 4)
    assert parse_date("2026-12-04T23:30:00.000-0200") == date(2026, 12, 5)
    assert parse_date("2026-13-01") is None
    assert parse_date(20261204) is None
