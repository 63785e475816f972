"""Tiny builders for REST-shaped Jira JSON, so a test reads as a story about one issue.

The shapes follow Jira Cloud's REST v3 responses (`GET /rest/api/3/field`,
search results with `changelog.histories`); Data Center variants are built by
passing the values it sends (string sprints, Epic Link keys, no `fieldId`).
"""

from __future__ import annotations

import zlib
from typing import Any

from art.config import JiraConfig, JiraFields, WsjfFields
from connectors.jira_fields import FieldIds, resolve_fields

STORY_POINTS = "customfield_10016"
TEAM = "customfield_10001"
SPRINT = "customfield_10020"
FLAGGED = "customfield_10021"
EPIC_LINK = "customfield_10014"
PARENT_LINK = "customfield_10018"
WORK_TYPE = "customfield_10040"
BUSINESS_VALUE = "customfield_10041"
ACCEPTANCE_CRITERIA = "customfield_10042"
VALUE_STREAM = "customfield_10043"
WSJF = "customfield_10050"
TIME_CRITICALITY = "customfield_10051"
RISK_REDUCTION = "customfield_10052"
JOB_SIZE = "customfield_10053"

_CUSTOM_FIELDS = {
    STORY_POINTS: ("Story Points", "number"),
    TEAM: ("Team", "option"),
    SPRINT: ("Sprint", "array"),
    FLAGGED: ("Flagged", "array"),
    EPIC_LINK: ("Epic Link", "any"),
    PARENT_LINK: ("Parent Link", "any"),
    WORK_TYPE: ("Work Type", "option"),
    BUSINESS_VALUE: ("Business Value", "number"),
    ACCEPTANCE_CRITERIA: ("Acceptance Criteria", "string"),
    VALUE_STREAM: ("Value Stream", "option"),
    WSJF: ("WSJF", "number"),
    TIME_CRITICALITY: ("Time Criticality", "number"),
    RISK_REDUCTION: ("Risk Reduction / Opportunity Enablement", "number"),
    JOB_SIZE: ("Job Size", "number"),
}
_SYSTEM_FIELDS = {
    "summary": "Summary",
    "issuetype": "Issue Type",
    "status": "Status",
    "created": "Created",
    "updated": "Updated",
    "resolutiondate": "Resolved",
    "parent": "Parent",
    "issuelinks": "Linked Issues",
    "labels": "Labels",
    "fixVersions": "Fix versions",
}

# Status name -> Jira status category key; anything else is in progress.
CATEGORY_OF = {"Funnel": "new", "To Do": "new", "Backlog": "new", "Done": "done"}


def field_entry(field_id: str, name: str, kind: str = "string") -> dict[str, Any]:
    """One entry of `GET /rest/api/3/field`."""
    custom = field_id.startswith("customfield_")
    entry: dict[str, Any] = {
        "id": field_id,
        "key": field_id,
        "name": name,
        "custom": custom,
        "navigable": True,
        "searchable": True,
        "clauseNames": [name.lower()],
        "schema": {"type": kind},
    }
    if custom:
        entry["schema"]["customId"] = int(field_id.removeprefix("customfield_"))
    return entry


def field_list(*extra: dict[str, Any]) -> list[dict[str, Any]]:
    """A site's field list with the system fields and the demo's custom fields."""
    entries = [field_entry(field_id, name) for field_id, name in _SYSTEM_FIELDS.items()]
    entries += [
        field_entry(field_id, name, kind) for field_id, (name, kind) in _CUSTOM_FIELDS.items()
    ]
    return entries + list(extra)


def demo_fields(**overrides: Any) -> JiraFields:
    """The demo ART's field mapping, by name, as `art.yaml` writes it."""
    values: dict[str, Any] = {
        "story_points": "Story Points",
        "team": "Team",
        "work_type": "Work Type",
        "flagged": "Flagged",
        "sprint": "Sprint",
        "business_value": "Business Value",
        "acceptance_criteria": "Acceptance Criteria",
        "value_stream": "Value Stream",
        "wsjf": WsjfFields(
            score="WSJF",
            business_value="Business Value",
            time_criticality="Time Criticality",
            risk_reduction="Risk Reduction / Opportunity Enablement",
            job_size="Job Size",
        ),
    }
    values.update(overrides)
    return JiraFields(**values)


def jira_config(**fields: Any) -> JiraConfig:
    return JiraConfig(backend="export", export_dir="jira", fields=demo_fields(**fields))


def field_ids(**fields: Any) -> FieldIds:
    return resolve_fields(demo_fields(**fields), field_list())


def at(day: int, hour: int = 9, minute: int = 0) -> str:
    """A Jira timestamp on a day of October 2026, in Jira's own '+0000' form."""
    return f"2026-10-{day:02d}T{hour:02d}:{minute:02d}:00.000+0000"


def status_item(from_: str | None, to: str | None) -> dict[str, Any]:
    return {
        "field": "status",
        "fieldtype": "jira",
        "fieldId": "status",
        "from": None,
        "fromString": from_,
        "to": None,
        "toString": to,
    }


def flag_item(set_: bool, *, field_id: str | None = FLAGGED) -> dict[str, Any]:
    """A Flagged change; `field_id=None` builds Data Center's item, which has no fieldId."""
    item: dict[str, Any] = {
        "field": "Flagged",
        "fieldtype": "custom",
        "from": None if set_ else "[10019]",
        "fromString": None if set_ else "Impediment",
        "to": "[10019]" if set_ else None,
        "toString": "Impediment" if set_ else None,
    }
    if field_id is not None:
        item["fieldId"] = field_id
    return item


_next_history_id = iter(range(20000, 10**9))


def history(
    when: str,
    from_: str | None = None,
    to: str | None = None,
    *,
    history_id: str | None = None,
    items: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One changelog entry: a status change `from_` -> `to`, or the given items."""
    return {
        "id": history_id if history_id is not None else str(next(_next_history_id)),
        "author": {"accountId": "5b10ac8d82e05b22cc7d4ef5", "displayName": "Ada"},
        "created": when,
        "items": items if items is not None else [status_item(from_, to)],
    }


def flag(when: str, set_: bool = True, **kwargs: Any) -> dict[str, Any]:
    return history(when, items=[flag_item(set_, **kwargs)])


_MISSING = object()


def issue(
    key: str | None = "AUR-1",
    status: str | None = "In Progress",
    created: str | None = None,
    *,
    histories: list[dict[str, Any]] | None = None,
    changelog: Any = _MISSING,
    issue_type: str | None = "Story",
    summary: str | None = "Checkout accepts vouchers",
    updated: str | None = None,
    issue_id: str | None = None,
    category: str | None = None,
    **custom: Any,
) -> dict[str, Any]:
    """A search-result issue; `custom` sets fields by id, e.g. `**{TEAM: {"value": "Atlas"}}`."""
    created = created if created is not None else at(1)
    fields: dict[str, Any] = {
        "summary": summary,
        "issuetype": {"id": "10001", "name": issue_type, "subtask": False}
        if issue_type is not None
        else None,
        "status": _status(status, category),
        "created": created,
        "updated": updated if updated is not None else created,
        "resolutiondate": None,
        "parent": None,
        "issuelinks": [],
        "labels": [],
    }
    fields.update(custom)
    stable_id = str(10000 + zlib.crc32(str(key).encode()) % 10000)
    raw: dict[str, Any] = {
        "id": issue_id if issue_id is not None else stable_id,
        "key": key,
        "fields": fields,
    }
    if changelog is not _MISSING:
        raw["changelog"] = changelog
    elif histories is not None:
        raw["changelog"] = {
            "startAt": 0,
            "maxResults": 100,
            "total": len(histories),
            "histories": histories,
        }
    return raw


def _status(name: str | None, category: str | None) -> dict[str, Any] | None:
    if name is None:
        return None
    key = category or CATEGORY_OF.get(name, "indeterminate")
    return {"id": "3", "name": name, "statusCategory": {"id": 4, "key": key, "name": key}}


def link(kind: str, *, outward: str | None = None, inward: str | None = None) -> dict[str, Any]:
    """An issuelinks entry; `kind` is the outward wording, e.g. 'blocks'."""
    entry: dict[str, Any] = {
        "id": "10100",
        "type": {"id": "10000", "name": kind.title(), "inward": f"is {kind} by", "outward": kind},
    }
    if outward is not None:
        entry["outwardIssue"] = {"key": outward}
    if inward is not None:
        entry["inwardIssue"] = {"key": inward}
    return entry


def adf(*paragraphs: str) -> dict[str, Any]:
    """An Atlassian Document Format doc, as Cloud returns rich-text fields in REST v3."""
    return {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": text}]}
            for text in paragraphs
        ],
    }
