"""Field discovery: turn the names people write in `art.yaml` into Jira field ids.

People know their custom fields by name ("Story Points"); Jira's REST API only
speaks ids ("customfield_10016"), and the id of the same field differs from one
site to the next. So the config may give either, and this module settles it
once, against the site's own field list (`GET /rest/api/3/field`), before any
issue is read. Every problem is collected and reported together, each naming
its config path, so a new site's config is fixed in one round, not five.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from art.config import JiraFields
from art.config_errors import ConfigError, Problem

# The system fields every WorkItem is built from, whatever the custom mapping.
SYSTEM_FIELDS = (
    "summary",
    "issuetype",
    "status",
    "created",
    "updated",
    "resolutiondate",
    "parent",
    "issuelinks",
    "labels",
    "fixVersions",
    "assignee",  # shown beside a finding: asked for with the rest, never a request of its own
    "duedate",
)

_WSJF_PARTS = ("score", "business_value", "time_criticality", "risk_reduction", "job_size")


class FieldMappingError(ConfigError):
    """The configured field names do not pick exactly one Jira field each.

    It is a ConfigError so the CLI reports it the same way as any other
    mistake in `art.yaml`: one line per problem, each with its path.
    """


@dataclass(frozen=True, slots=True)
class FieldIds:
    """The Jira field id behind each configured field; None where nothing is configured.

    `flagged_name` keeps the flagged field's display name, because Data Center
    changelog items name the field but carry no `fieldId`.
    """

    story_points: str | None = None
    team: str | None = None
    business_value: str | None = None
    work_type: str | None = None
    flagged: str | None = None
    sprint: str | None = None
    epic_link: str | None = None
    parent_link: str | None = None
    acceptance_criteria: str | None = None
    value_stream: str | None = None
    rollup_points: str | None = None
    roam: str | None = None
    target_iteration: str | None = None
    wsjf_score: str | None = None
    wsjf_business_value: str | None = None
    wsjf_time_criticality: str | None = None
    wsjf_risk_reduction: str | None = None
    wsjf_job_size: str | None = None
    rank: str | None = None
    due_date: str | None = None
    flagged_name: str | None = None

    def requested(self) -> list[str]:
        """The `fields=` a search must ask for, since Cloud returns only ids by default."""
        return sorted(set(SYSTEM_FIELDS) | set(self.mapped().values()))

    def mapped(self) -> dict[str, str]:
        """Config attribute -> field id, for the fields that are configured."""
        ids = {name: getattr(self, name) for name in _ID_ATTRIBUTES}
        return {name: field_id for name, field_id in ids.items() if field_id is not None}


_ID_ATTRIBUTES = tuple(f.name for f in dataclass_fields(FieldIds) if f.name != "flagged_name")


@dataclass(frozen=True, slots=True)
class _Wanted:
    """One configured value and where in the config it was written."""

    attribute: str
    path: str
    value: str
    explicit: bool


class _FieldCatalogue:
    """The site's fields, indexed the two ways a config may name them."""

    def __init__(self, field_list: Iterable[Mapping[str, Any]]) -> None:
        self.names: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for entry in field_list:
            field_id = entry.get("id") if isinstance(entry, Mapping) else None
            if not isinstance(field_id, str) or not field_id:
                continue
            name = entry.get("name")
            name = name if isinstance(name, str) else field_id
            self.names[field_id] = name
            self.by_name.setdefault(_folded(name), []).append(field_id)

    def lookup(self, wanted: _Wanted) -> tuple[str | None, Problem | None]:
        if wanted.value in self.names:
            return wanted.value, None
        candidates = self.by_name.get(_folded(wanted.value), [])
        if len(candidates) == 1:
            return candidates[0], None
        if candidates:
            return None, self._ambiguous(wanted, candidates)
        if not wanted.explicit:
            # A default such as "Sprint" on a site without Jira Software: not a mistake.
            return None, None
        return None, self._unknown(wanted)

    def _ambiguous(self, wanted: _Wanted, candidates: list[str]) -> Problem:
        listed = ", ".join(f"{field_id} ({self.names[field_id]})" for field_id in candidates)
        return Problem(
            wanted.path,
            f"the name '{wanted.value}' matches {len(candidates)} Jira fields: {listed}; "
            "give the id of the one you mean instead",
        )

    def _unknown(self, wanted: _Wanted) -> Problem:
        folded_names = {_folded(name): name for name in self.names.values()}
        near = difflib.get_close_matches(_folded(wanted.value), folded_names, n=3, cutoff=0.6)
        hint = ""
        if near:
            listed = ", ".join(
                f"'{folded_names[name]}' ({', '.join(self.by_name[name])})" for name in near
            )
            hint = f"; did you mean {listed}?"
        return Problem(wanted.path, f"no Jira field has the id or name '{wanted.value}'{hint}")


def resolve_fields(fields: JiraFields, field_list: list[dict[str, Any]]) -> FieldIds:
    """Settle every configured field against the site's field list, or say all that is wrong."""
    catalogue = _FieldCatalogue(field_list)
    resolved = _settle(catalogue, _configured(fields))
    flagged = resolved.get("flagged")
    return FieldIds(**resolved, flagged_name=catalogue.names.get(flagged) if flagged else None)


def resolve_field_names(
    names: Mapping[str, str], field_list: list[dict[str, Any]], *, path: str
) -> dict[str, str]:
    """Settle another section's field names (such as `objectives.fields`) the same way.

    `names` maps an attribute to the name or id written (or defaulted) at
    `path.<attribute>`; every one must pick exactly one field.
    """
    wanted = [_Wanted(name, f"{path}.{name}", value, True) for name, value in names.items()]
    resolved = _settle(_FieldCatalogue(field_list), wanted)
    return {name: field_id for name, field_id in resolved.items() if field_id is not None}


def _settle(catalogue: _FieldCatalogue, wanted: Iterable[_Wanted]) -> dict[str, str | None]:
    resolved: dict[str, str | None] = {}
    problems: list[Problem] = []
    for entry in wanted:
        field_id, problem = catalogue.lookup(entry)
        resolved[entry.attribute] = field_id
        if problem is not None:
            problems.append(problem)
    if problems:
        raise FieldMappingError(problems)
    return resolved


def _configured(fields: JiraFields) -> Iterator[_Wanted]:
    """Every configured value, with its config path; `explicit` is False for defaults."""
    for name in JiraFields.model_fields:
        if name == "wsjf":
            continue
        value = getattr(fields, name)
        if value:
            yield _Wanted(name, f"jira.fields.{name}", value, name in fields.model_fields_set)
    wsjf = fields.wsjf
    for part in _WSJF_PARTS:
        value = getattr(wsjf, part)
        if value:
            yield _Wanted(f"wsjf_{part}", f"jira.fields.wsjf.{part}", value, True)


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()
