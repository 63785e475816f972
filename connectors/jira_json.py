"""The one parser from REST-shaped Jira issues to WorkItems.

Jira Cloud, Jira Data Center and the demo's export folder all hand over the
same JSON shapes (an issue with `fields` and a `changelog`), so they share
this parser and a rule never learns where an item came from. Real Jira data
is messy: histories arrive in any order or separately (bulkfetch), fields are
null, old Data Center sites encode sprints as strings. Nothing here raises on
bad data: a record without the essentials becomes a RejectedRecord with the
reason, anything optional becomes None, and parts of an accepted item that
had to be ignored are reported as warnings. Losing nothing silently is the point.
Reading one value of any shape (timestamps, options, numbers, ADF text,
sprints) is `connectors/jira_values.py`'s job; this module is about issues.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from art.config import JiraConfig
from art.model import FlaggedInterval, Link, RejectedRecord, StatusCategory, Transition, WorkItem
from connectors.jira_fields import FieldIds
from connectors.jira_values import (
    EMPTY,
    OLDEST,
    as_list,
    as_mapping,
    as_text,
    field_value,
    folded,
    has_content,
    label_of,
    labels_of,
    latest_sprint_name,
    names_of,
    number_of,
    parse_date,
    parse_timestamp,
    person_of,
    plain_text,
    shown,
)

_CATEGORIES = {
    "new": StatusCategory.TO_DO,
    "indeterminate": StatusCategory.IN_PROGRESS,
    "done": StatusCategory.DONE,
}


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a batch of raw issues became.

    `rejected` holds records that could not become a WorkItem (and dropped
    duplicates); `warnings` holds parts of accepted items that were ignored
    (a history without a timestamp, a changelog that ends in another status),
    so a data-quality report can name them.
    """

    items: tuple[WorkItem, ...]
    rejected: tuple[RejectedRecord, ...]
    warnings: tuple[RejectedRecord, ...] = ()


def parse_issues(
    raw_issues: Iterable[Any],
    ids: FieldIds,
    jira: JiraConfig,
    changelogs: Mapping[str, list[dict[str, Any]]] | None = None,
) -> ParseResult:
    """Turn raw issues into WorkItems; `changelogs` maps issue id or key to its histories."""
    items: list[WorkItem] = []
    rejected: list[RejectedRecord] = []
    warnings: list[RejectedRecord] = []
    for position, raw in enumerate(raw_issues):
        outcome = _parse_issue(raw, position, ids, jira, changelogs or EMPTY, warnings)
        if isinstance(outcome, WorkItem):
            items.append(outcome)
        else:
            rejected.append(outcome)
    kept, duplicates = _keep_latest_per_key(items)
    return ParseResult(tuple(kept), tuple(rejected + duplicates), tuple(warnings))


# --------------------------------------------------------------------------
# One issue


def _parse_issue(
    raw: Any,
    position: int,
    ids: FieldIds,
    jira: JiraConfig,
    changelogs: Mapping[str, Any],
    warnings: list[RejectedRecord],
) -> WorkItem | RejectedRecord:
    if not isinstance(raw, Mapping):
        return RejectedRecord(None, f"record #{position + 1} is not a JSON object")
    key = as_text(raw.get("key"))
    fields = raw.get("fields")
    problems = _missing_essentials(fields)
    if key is None:
        problems.insert(0, f"record #{position + 1}{_id_note(raw)} has no key")
    if problems:
        return RejectedRecord(key, "; ".join(problems))
    assert key is not None and isinstance(fields, Mapping)
    histories = _sorted_histories(key, _histories_of(raw, key, changelogs), warnings)
    return _work_item(key, fields, histories, ids, jira, warnings)


def _missing_essentials(fields: Any) -> list[str]:
    """Why a record cannot become a WorkItem: each essential that is absent or unreadable."""
    if not isinstance(fields, Mapping):
        return ["fields is missing" if fields is None else "fields is not an object"]
    problems = []
    if as_text(as_mapping(fields.get("issuetype")).get("name")) is None:
        problems.append("no issue type (fields.issuetype.name)")
    status = as_mapping(fields.get("status"))
    if as_text(status.get("name")) is None:
        problems.append("no status (fields.status.name)")
    elif _status_category(status) is None:
        category = as_mapping(status.get("statusCategory")).get("key")
        problems.append(
            f"status category {shown(category)} is not new/indeterminate/done "
            "(fields.status.statusCategory.key)"
        )
    created = fields.get("created")
    if parse_timestamp(created) is None:
        problems.append(
            "no created timestamp (fields.created)"
            if created is None
            else f"fields.created {shown(created)} is not a timestamp with a time zone"
        )
    return problems


def _status_category(status: Mapping[str, Any]) -> StatusCategory | None:
    key = as_mapping(status.get("statusCategory")).get("key")
    return _CATEGORIES.get(key) if isinstance(key, str) else None


def _work_item(
    key: str,
    fields: Mapping[str, Any],
    histories: list[_History],
    ids: FieldIds,
    jira: JiraConfig,
    warnings: list[RejectedRecord],
) -> WorkItem:
    status = as_mapping(fields.get("status"))
    status_name = as_text(status.get("name")) or ""
    issue_type = as_text(as_mapping(fields.get("issuetype")).get("name")) or ""
    created = parse_timestamp(fields.get("created")) or OLDEST
    updated = parse_timestamp(fields.get("updated"))
    return WorkItem(
        key=key,
        issue_type=issue_type,
        level=jira.level_of(issue_type),
        summary=as_text(fields.get("summary"), strip=False) or "",
        status=status_name,
        status_category=_status_category(status) or StatusCategory.TO_DO,
        created=created,
        parent=_parent(fields, ids),
        team=label_of(field_value(fields, ids.team)),
        estimate=number_of(field_value(fields, ids.story_points)),
        work_type=label_of(field_value(fields, ids.work_type)),
        updated=updated,
        resolved=parse_timestamp(fields.get("resolutiondate")),
        iteration=latest_sprint_name(field_value(fields, ids.sprint)),
        assignee=person_of(fields.get("assignee")),
        transitions=_transitions(key, created, status_name, histories, warnings),
        flagged=_flagged(key, fields, created, updated, histories, ids, warnings),
        links=_links(fields.get("issuelinks")),
        fields=MappingProxyType(
            _extra_values(fields, ids) | _planning_values(key, fields, ids, warnings)
        ),
    )


# --------------------------------------------------------------------------
# Changelog


@dataclass(frozen=True, slots=True)
class _History:
    """One changelog entry: when, a deterministic tie-break, and its change items."""

    at: datetime
    tie_break: tuple[int, int, str]
    items: tuple[Mapping[str, Any], ...]


def _histories_of(raw: Mapping[str, Any], key: str, changelogs: Mapping[str, Any]) -> list[Any]:
    """Embedded and separately fetched histories together, each history once.

    The embedded changelog of a search is truncated, so a connector may fetch
    the full one separately; when both are present their union is the truth.
    """
    embedded = as_list(as_mapping(raw.get("changelog")).get("histories"))
    issue_id = raw.get("id")
    separate = as_list(changelogs.get(str(issue_id))) if issue_id is not None else []
    separate += as_list(changelogs.get(key))
    unique: dict[str, Any] = {}
    for history in embedded + separate:
        unique.setdefault(_identity(history), history)
    return list(unique.values())


def _identity(history: Any) -> str:
    history_id = as_mapping(history).get("id")
    if history_id is not None:
        return f"id:{history_id}"
    return "body:" + _fingerprint(history)


def _sorted_histories(
    key: str, histories: list[Any], warnings: list[RejectedRecord]
) -> list[_History]:
    """Histories in time order; Jira promises no order, and sites differ."""
    readable: list[_History] = []
    for raw in histories:
        history = as_mapping(raw)
        at = parse_timestamp(history.get("created"))
        if at is None:
            warnings.append(
                RejectedRecord(
                    key,
                    f"history {shown(history.get('id'))} has no valid created timestamp; "
                    "its changes were ignored",
                )
            )
            continue
        items = tuple(item for item in as_list(history.get("items")) if isinstance(item, Mapping))
        readable.append(_History(at, _tie_break(history), items))
    return sorted(readable, key=lambda history: (history.at, history.tie_break))


def _tie_break(history: Mapping[str, Any]) -> tuple[int, int, str]:
    """Order same-instant histories by numeric id, so any input order gives one answer."""
    history_id = history.get("id")
    text = str(history_id) if history_id is not None else ""
    if text.isdigit():
        return (0, int(text), "")
    if history_id is not None:
        return (1, 0, text)
    return (2, 0, _fingerprint(history))


def _fingerprint(value: Any) -> str:
    """A stable text for a record that has no id of its own."""
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _status_changes(histories: list[_History]) -> Iterator[tuple[datetime, Mapping[str, Any]]]:
    for history in histories:
        for item in history.items:
            if _is_status_item(item):
                yield history.at, item


def _is_status_item(item: Mapping[str, Any]) -> bool:
    return item.get("fieldId") == "status" or folded(item.get("field")) == "status"


def _transitions(
    key: str,
    created: datetime,
    status: str,
    histories: list[_History],
    warnings: list[RejectedRecord],
) -> tuple[Transition, ...]:
    """The creation, then every status change in time order.

    The first status is where the earliest change came from: an issue can be
    created straight into a later state, or moved back since.
    """
    changes = [
        (at, as_text(item.get("fromString")), as_text(item.get("toString")))
        for at, item in _status_changes(histories)
    ]
    usable = [(at, before, after) for at, before, after in changes if after is not None]
    if len(usable) < len(changes):
        warnings.append(RejectedRecord(key, "a status change without a target status was ignored"))
    if not usable:
        return (Transition(created, None, status),)
    first_at, first_from, _ = usable[0]
    current = first_from or status
    # Imported issues can carry history older than their creation date.
    transitions = [Transition(min(created, first_at), None, current)]
    for at, before, after in usable:
        assert after is not None
        transitions.append(Transition(at, before or current, after))
        current = after
    if current != status:
        warnings.append(
            RejectedRecord(
                key,
                f"the changelog ends in '{current}' but the status is '{status}'; "
                "the changelog may be truncated",
            )
        )
    return tuple(transitions)


# --------------------------------------------------------------------------
# Flagged (impediments)


def _flagged(
    key: str,
    fields: Mapping[str, Any],
    created: datetime,
    updated: datetime | None,
    histories: list[_History],
    ids: FieldIds,
    warnings: list[RejectedRecord],
) -> tuple[FlaggedInterval, ...]:
    """When the item carried the Flagged marker, from its history and its current value."""
    changes = [
        (history.at, has_content(item.get("fromString")), has_content(item.get("toString")))
        for history in histories
        for item in history.items
        if _is_flag_item(item, ids)
    ]
    intervals, open_since = _flag_intervals(created, changes)
    flagged_now = _flagged_now(fields, ids)
    last_change = changes[-1][0] if changes else None
    if flagged_now is True and open_since is None:
        open_since = max(last_change or OLDEST, updated or created)
        if changes:
            warnings.append(
                RejectedRecord(
                    key,
                    "flagged now, but the history ends unflagged; assumed flagged since "
                    f"{open_since.isoformat()}",
                )
            )
    elif flagged_now is False and open_since is not None:
        end = max(open_since, updated or open_since)
        intervals.append(FlaggedInterval(open_since, end))
        open_since = None
        warnings.append(
            RejectedRecord(
                key,
                "not flagged now, but the history ends flagged; assumed cleared at "
                f"{end.isoformat()}",
            )
        )
    if open_since is not None:
        intervals.append(FlaggedInterval(open_since, None))
    return tuple(intervals)


def _flag_intervals(
    created: datetime, changes: list[tuple[datetime, bool, bool]]
) -> tuple[list[FlaggedInterval], datetime | None]:
    """Closed intervals, and the start of the one still open (None if none is).

    A clear with nothing open means the flag was set at creation (or before
    the history we were given began), so that interval starts at creation.
    """
    intervals: list[FlaggedInterval] = []
    open_since: datetime | None = None
    for at, was_set, now_set in changes:
        if now_set and open_since is None:
            open_since = at
        elif not now_set and open_since is not None:
            intervals.append(FlaggedInterval(open_since, at))
            open_since = None
        elif not now_set and was_set and not intervals:
            intervals.append(FlaggedInterval(min(created, at), at))
    return intervals, open_since


def _is_flag_item(item: Mapping[str, Any], ids: FieldIds) -> bool:
    # Data Center change items have no fieldId, only the field's display name.
    if ids.flagged is not None and item.get("fieldId") == ids.flagged:
        return True
    name = folded(item.get("field"))
    return name == "flagged" or (ids.flagged_name is not None and name == folded(ids.flagged_name))


def _flagged_now(fields: Mapping[str, Any], ids: FieldIds) -> bool | None:
    """The current flag, or None when the response does not carry the field at all."""
    if ids.flagged is None or ids.flagged not in fields:
        return None
    return has_content(fields.get(ids.flagged))


# --------------------------------------------------------------------------
# Hierarchy and links


def _parent(fields: Mapping[str, Any], ids: FieldIds) -> str | None:
    """Cloud names the parent at every level; Data Center uses Epic Link and Parent Link."""
    return (
        _issue_key(fields.get("parent"))
        or _issue_key(field_value(fields, ids.epic_link))
        or _issue_key(field_value(fields, ids.parent_link))
    )


def _issue_key(value: Any) -> str | None:
    if isinstance(value, str):
        return as_text(value)
    reference = as_mapping(value)
    data = as_mapping(reference.get("data"))
    for candidate in (reference.get("key"), data.get("key"), data.get("issueKey")):
        if as_text(candidate):
            return as_text(candidate)
    return None


def _links(value: Any) -> tuple[Link, ...]:
    """Issue links as the holder sees them; the kind is always the outward wording."""
    links = []
    for raw in as_list(value):
        link = as_mapping(raw)
        link_type = as_mapping(link.get("type"))
        kind = as_text(link_type.get("outward")) or as_text(link_type.get("name"))
        if kind is None:
            continue
        for side, outward in (("outwardIssue", True), ("inwardIssue", False)):
            other = as_text(as_mapping(link.get(side)).get("key"))
            if other is not None:
                links.append(Link(kind=kind, outward=outward, key=other))
    return tuple(links)


# --------------------------------------------------------------------------
# Extra values for rules that need more than the core attributes

_NUMERIC_EXTRAS = (
    "business_value",
    "wsjf_score",
    "wsjf_business_value",
    "wsjf_time_criticality",
    "wsjf_risk_reduction",
    "wsjf_job_size",
    "rollup_points",
)


def _extra_values(fields: Mapping[str, Any], ids: FieldIds) -> dict[str, Any]:
    """Plain values (numbers, text, booleans) for every configured extra field."""
    extras: dict[str, Any] = {
        "labels": labels_of(fields.get("labels")),
        "fix_versions": names_of(fields.get("fixVersions")),
    }
    for name in _NUMERIC_EXTRAS:
        field_id = getattr(ids, name)
        if field_id is not None:
            extras[name] = number_of(fields.get(field_id))
    if ids.value_stream is not None:
        extras["value_stream"] = label_of(fields.get(ids.value_stream))
    if ids.acceptance_criteria is not None:
        text = plain_text(fields.get(ids.acceptance_criteria)).strip()
        extras["acceptance_criteria"] = text or None
        extras["has_acceptance_criteria"] = bool(text)
    if ids.rank is not None:
        extras["rank"] = as_text(fields.get(ids.rank))
    if ids.due_date is not None:
        extras["due_date"] = parse_date(fields.get(ids.due_date))
    return extras


def _planning_values(
    key: str, fields: Mapping[str, Any], ids: FieldIds, warnings: list[RejectedRecord]
) -> dict[str, Any]:
    """What risks and the program board read: Jira's own due date (`duedate`, a risk's;
    a feature's due date for the forecast is the field `jira.fields.due_date` maps), the
    ROAM field, the target iteration; each only when the issue holds it."""
    extras: dict[str, Any] = {}
    due = fields.get("duedate")
    if due is not None:
        day = parse_date(due)
        if day is None:
            warnings.append(
                RejectedRecord(key, f"fields.duedate {shown(due)} is not a date; it was ignored")
            )
        else:
            extras["duedate"] = day
    for name in ("roam", "target_iteration"):
        text = label_of(field_value(fields, getattr(ids, name)))
        if text is not None:
            extras[name] = text
    return extras


# --------------------------------------------------------------------------
# Duplicates


def _keep_latest_per_key(
    items: list[WorkItem],
) -> tuple[list[WorkItem], list[RejectedRecord]]:
    """One item per key, the most recently updated, because overlapping pages repeat issues."""
    latest: dict[str, int] = {}
    for index, item in enumerate(items):
        best = latest.get(item.key)
        if best is None or (item.updated or OLDEST) >= (items[best].updated or OLDEST):
            latest[item.key] = index
    kept = [item for index, item in enumerate(items) if latest[item.key] == index]
    dropped = [
        RejectedRecord(
            item.key,
            f"duplicate record (updated {_when(item.updated)}); "
            f"kept the one updated {_when(items[latest[item.key]].updated)}",
        )
        for index, item in enumerate(items)
        if latest[item.key] != index
    ]
    return kept, dropped


def _when(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else "never"


def _id_note(raw: Mapping[str, Any]) -> str:
    issue_id = raw.get("id")
    return f" (id {shown(issue_id)})" if issue_id is not None else ""
