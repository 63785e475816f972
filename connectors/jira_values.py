"""Reading single values out of Jira's JSON without ever raising.

Jira sends the same fact in many shapes: a select option or a plain string, a
number as text, a description as Atlassian Document Format, a sprint as an
object or (old Data Center) as a `Sprint@1a[id=1,...]` string, and any field
may be null. Each reader here takes whatever came and returns the plain value
or None, so the issue parser (`connectors/jira_json.py`) reads as the rules
about issues, not as type checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any

from art.numbers import as_number

EMPTY: Mapping[str, Any] = MappingProxyType({})
OLDEST = datetime.min.replace(tzinfo=UTC)


def parse_timestamp(value: Any) -> datetime | None:
    """A tz-aware UTC datetime from Jira's '2026-10-06T09:15:23.000+0200' or ISO 8601.

    A time without a zone is refused rather than guessed: every Jira API sends one.
    """
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
        return parsed.astimezone(UTC) if parsed.tzinfo is not None else None
    except (ValueError, OverflowError):
        return None


def plain_text(value: Any) -> str:
    """Readable text from a string, an option, a list, or an Atlassian Document Format doc."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Sequence):
        return ", ".join(text for text in map(plain_text, value) if text)
    if isinstance(value, Mapping):
        if value.get("type") == "doc" or "content" in value:
            return _document_text(value)
        return label_of(value) or ""
    return ""


_BLOCK_NODES = frozenset(
    {
        "paragraph",
        "heading",
        "bulletList",
        "orderedList",
        "listItem",
        "blockquote",
        "codeBlock",
        "panel",
        "rule",
        "table",
        "tableRow",
        "tableCell",
        "tableHeader",
        "taskList",
        "taskItem",
        "decisionList",
        "decisionItem",
        "expand",
        "nestedExpand",
        "mediaSingle",
        "mediaGroup",
    }
)
_LINE_BREAK = object()


def _document_text(document: Mapping[str, Any]) -> str:
    """Flatten an ADF document; iterative, because a hostile document may nest deeply."""
    parts: list[str] = []
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if node is _LINE_BREAK:
            parts.append("\n")
            continue
        node = as_mapping(node)
        node_type = as_text(node.get("type")) or ""
        attrs = as_mapping(node.get("attrs"))
        if node_type == "text":
            parts.append(as_text(node.get("text"), strip=False) or "")
        elif node_type == "hardBreak":
            parts.append("\n")
        elif node_type in ("mention", "emoji", "status", "date", "inlineCard"):
            parts.append(as_text(attrs.get("text")) or as_text(attrs.get("url")) or "")
        if node_type in _BLOCK_NODES:
            stack.append(_LINE_BREAK)
        stack.extend(reversed(as_list(node.get("content"))))
    lines = (line.strip() for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)


def parse_date(value: Any) -> date | None:
    """A calendar date from a date field ('2026-12-11'), or the UTC day of a timestamp."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        moment = parse_timestamp(value)
        return moment.date() if moment is not None else None


def label_of(value: Any) -> str | None:
    """The text of a select option, team, user-like object, or plain string."""
    if isinstance(value, str):
        return as_text(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        for name in ("value", "name", "title"):
            text = as_text(value.get(name))
            if text is not None:
                return text
        return None
    if isinstance(value, Sequence):
        return next((label for label in map(label_of, value) if label is not None), None)
    return None


def person_of(value: Any) -> str | None:
    """A user field's display name (Cloud and Data Center), else its user name."""
    user = as_mapping(value)
    return as_text(user.get("displayName")) or as_text(user.get("name"))


def labels_of(value: Any) -> tuple[str, ...]:
    """The non-empty strings of a Jira labels list."""
    return tuple(label for label in map(as_text, as_list(value)) if label is not None)


def names_of(value: Any) -> tuple[str, ...]:
    """The names of a list of versions or components ({"name": ...} objects)."""
    return tuple(name for name in map(label_of, as_list(value)) if name is not None)


def number_of(value: Any) -> float | None:
    """A finite number, or None: story points typed as text or left empty are not numbers."""
    if isinstance(value, Mapping):
        return number_of(value.get("value"))
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    return as_number(value)


def has_content(value: Any) -> bool:
    """Whether a value holds readable text: an unset Flagged field is null, [] or ''."""
    return bool(plain_text(value).strip())


def field_value(fields: Mapping[str, Any], field_id: str | None) -> Any:
    """A custom field's value, or None when the site has no such field mapped."""
    return fields.get(field_id) if field_id is not None else None


def as_text(value: Any, *, strip: bool = True) -> str | None:
    """A non-blank string, or None for blanks and anything that is not a string."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip() if strip else value


def as_mapping(value: Any) -> Mapping[str, Any]:
    """A JSON object, or an empty one, so a chain of `.get` never meets a None."""
    return value if isinstance(value, Mapping) else EMPTY


def as_list(value: Any) -> list[Any]:
    """A JSON array, or an empty one."""
    return list(value) if isinstance(value, list | tuple) else []


def folded(value: Any) -> str:
    """A name to compare regardless of case and surrounding spaces."""
    return value.strip().casefold() if isinstance(value, str) else ""


def shown(value: Any) -> str:
    """A short quotation of a bad value for a reason text."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def latest_sprint_name(value: Any) -> str | None:
    """The sprint an item is in or planned for: any open sprint, else the last closed one."""
    sprints = [sprint for sprint in map(_sprint, _one_or_many(value)) if sprint is not None]
    if not sprints:
        return None
    return max(sprints, key=lambda sprint: sprint.rank).name


@dataclass(frozen=True, slots=True)
class _Sprint:
    name: str
    rank: tuple[int, datetime, int]


_SPRINT_STATE_RANK = {"closed": 0, "active": 1, "future": 1}
_LEGACY_SPRINT_BODY = re.compile(r"\[(?P<body>.*)\]\s*$", re.DOTALL)
_LEGACY_SPRINT_SEPARATOR = re.compile(r",(?=[A-Za-z]+=)")


def _sprint(value: Any) -> _Sprint | None:
    attributes = _legacy_sprint(value) if isinstance(value, str) else as_mapping(value)
    name = as_text(attributes.get("name"))
    if name is None:
        return None
    state = folded(attributes.get("state"))
    started = parse_timestamp(attributes.get("startDate")) or OLDEST
    sprint_id = as_text(str(attributes.get("id", "")))
    number = int(sprint_id) if sprint_id and sprint_id.isdigit() else -1
    return _Sprint(name, (_SPRINT_STATE_RANK.get(state, 0), started, number))


def _one_or_many(value: Any) -> list[Any]:
    """A sprint field holds a list on most sites, a single sprint on some."""
    return as_list(value) if isinstance(value, list | tuple) else ([] if value is None else [value])


def _legacy_sprint(text: str) -> Mapping[str, Any]:
    """Read Data Center's 'com.atlassian.greenhopper.service.sprint.Sprint@1a[id=1,...]'."""
    match = _LEGACY_SPRINT_BODY.search(text)
    if match is None:
        return EMPTY
    attributes: dict[str, Any] = {}
    for pair in _LEGACY_SPRINT_SEPARATOR.split(match.group("body")):
        name, _, value = pair.partition("=")
        attributes[name.strip()] = None if value == "<null>" else value
    return attributes
