"""Which of a Jira site's fields `rte init` maps: story points, team, flagged, sprint, links.

A field is recognised by its schema first (Jira Software's own field types:
`jsw-story-points`, `gh-sprint`, `gh-epic-link`, Advanced Roadmaps' parent
link and team, Atlassian's team field) and by its name second ("Story Points",
"Team", ...). Several fields may answer (a team-managed project's "Story
point estimate" beside a company-managed "Story Points", two custom fields
both called "Story Points"): the choice goes to the field the project's
issues fill in, then to the one whose schema matches; the others are named
with their ids, and a choice that is not clear, or a name that several fields
share, gets a TODO. A name that picks one field alone is written as the name,
else the id.

Pure: the caller hands in the field list and a sample of recent issues.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from connectors.jira_values import as_mapping, folded, label_of

JSW_STORY_POINTS = "com.pyxis.greenhopper.jira:jsw-story-points"
GH_SPRINT = "com.pyxis.greenhopper.jira:gh-sprint"
GH_EPIC_LINK = "com.pyxis.greenhopper.jira:gh-epic-link"
JPO_PARENT_LINK = "com.atlassian.jpo:jpo-custom-field-parent"
ATLASSIAN_TEAM = "com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team"
ROADMAPS_TEAM = "com.atlassian.teams:rm-teams-custom-field-team"


@dataclass(frozen=True)
class FieldSpec:
    """How one `jira.fields` entry is recognised on a site."""

    key: str  # the key under jira.fields
    schemas: frozenset[str]  # schema.custom values that make a field this one
    names: tuple[str, ...]  # the names it goes by
    types: frozenset[str] = frozenset()  # schema.type values it may have (empty: any)
    datacenter_only: bool = False


SPECS = (
    FieldSpec(
        "story_points",
        frozenset({JSW_STORY_POINTS}),
        ("Story Points", "Story point estimate"),
        frozenset({"number"}),
    ),
    FieldSpec("team", frozenset({ATLASSIAN_TEAM, ROADMAPS_TEAM}), ("Team",)),
    FieldSpec("flagged", frozenset(), ("Flagged",), frozenset({"array"})),
    FieldSpec("sprint", frozenset({GH_SPRINT}), ("Sprint",), frozenset({"array"})),
    FieldSpec("epic_link", frozenset({GH_EPIC_LINK}), ("Epic Link",), datacenter_only=True),
    FieldSpec("parent_link", frozenset({JPO_PARENT_LINK}), ("Parent Link",), datacenter_only=True),
)
SAMPLED = ("story_points", "team")  # whose values a sample of recent issues is read for


@dataclass(frozen=True)
class Candidate:
    """A field that may be the one: how it answers the spec, and how often it is filled in."""

    id: str
    name: str
    schema: str  # the custom type (or the type) as Jira names it, for the comment
    schema_match: bool
    type_match: bool
    used: int | None = None  # issues of the sample that hold a value; None: not sampled

    @property
    def eligible(self) -> bool:
        return self.schema_match or self.type_match

    def rank(self) -> tuple[bool, bool, bool, int]:
        return (self.eligible, bool(self.used), self.schema_match, self.used or 0)

    def described(self, sample: int) -> str:
        said = f"{self.name} ({self.id}, {self.schema}"
        if self.used is not None:
            said += f", set on {_count(self.used)} of the {sample} latest issues"
        return said + ")"


@dataclass(frozen=True)
class FieldChoice:
    """What art.yaml says for one field, and why."""

    key: str
    value: str | None  # the name, or the id when the name picks several fields; None: none
    chosen: Candidate | None
    others: tuple[Candidate, ...]
    why: str
    todo: str | None = None


def candidates(spec: FieldSpec, fields: Iterable[Mapping[str, Any]]) -> list[Candidate]:
    """The site's fields that may be `spec`'s: by schema, or by one of its names."""
    names = {folded(name) for name in spec.names}
    found = []
    for entry in fields:
        field_id, name = entry.get("id"), entry.get("name")
        if not isinstance(field_id, str) or not isinstance(name, str):
            continue
        schema = as_mapping(entry.get("schema"))
        custom = schema.get("custom")
        if custom not in spec.schemas and folded(name) not in names:
            continue
        found.append(
            Candidate(
                id=field_id,
                name=name,
                schema=_schema_word(schema),
                schema_match=custom in spec.schemas,
                type_match=not spec.types or schema.get("type") in spec.types,
            )
        )
    return found


def sampled_field_ids(fields: Sequence[Mapping[str, Any]]) -> list[str]:
    """The fields whose values a sample of recent issues is read for (story points, team)."""
    ids = []
    for spec in SPECS:
        if spec.key in SAMPLED:
            ids += [found.id for found in candidates(spec, fields) if found.eligible]
    return list(dict.fromkeys(ids))


def choose_fields(
    fields: Sequence[Mapping[str, Any]],
    sample: Sequence[Mapping[str, Any]],
    *,
    datacenter: bool,
) -> list[FieldChoice]:
    """A choice for every field the site may have, in the order art.yaml lists them."""
    return [
        choose_field(spec, fields, sample)
        for spec in SPECS
        if datacenter or not spec.datacenter_only
    ]


def choose_field(
    spec: FieldSpec, fields: Sequence[Mapping[str, Any]], sample: Sequence[Mapping[str, Any]]
) -> FieldChoice:
    found = candidates(spec, fields)
    if spec.key in SAMPLED:
        found = [_with_usage(candidate, sample) for candidate in found]
    eligible = sorted((c for c in found if c.eligible), key=Candidate.rank, reverse=True)
    if not eligible:
        wanted = " or ".join(f"'{name}'" for name in spec.names)
        why = f"no field called {wanted}" + (
            f" ({', '.join(c.described(len(sample)) for c in found)} are not of its kind)"
            if found
            else ""
        )
        return FieldChoice(spec.key, None, None, tuple(found), why)
    chosen = eligible[0]
    others = tuple(c for c in found if c is not chosen)
    shared = [c for c in others if folded(c.name) == folded(chosen.name)]
    value = chosen.id if _name_is_shared(chosen, fields) else chosen.name
    why = chosen.described(len(sample))
    if others:
        why += "; not " + "; not ".join(
            f"{other.described(len(sample))}: {_why_not(spec, chosen, other)}" for other in others
        )
    todo = None
    tied = len(eligible) > 1 and eligible[1].rank()[:3] == chosen.rank()[:3]
    if shared:
        ids = " and ".join(c.id for c in (chosen, *shared))
        todo = f"{ids} are all called '{chosen.name}': check that {chosen.id} is the one"
    elif tied:
        todo = f"check that {chosen.id} is the field your teams fill in"
    return FieldChoice(spec.key, value, chosen, others, why, todo)


def team_values(
    choice: FieldChoice | None, sample: Sequence[Mapping[str, Any]], limit: int = 30
) -> list[str]:
    """The team field's values on the sample, in order of name (at most `limit`)."""
    if choice is None or choice.chosen is None:
        return []
    values = {
        label
        for issue in sample
        if (label := label_of(as_mapping(issue.get("fields")).get(choice.chosen.id))) is not None
    }
    return sorted(values, key=str.casefold)[:limit]


def _with_usage(candidate: Candidate, sample: Sequence[Mapping[str, Any]]) -> Candidate:
    used = sum(
        1
        for issue in sample
        if as_mapping(issue.get("fields")).get(candidate.id) not in (None, "", [], {})
    )
    return Candidate(
        candidate.id,
        candidate.name,
        candidate.schema,
        candidate.schema_match,
        candidate.type_match,
        used,
    )


def _why_not(spec: FieldSpec, chosen: Candidate, other: Candidate) -> str:
    """Why `other` was not taken, in a few words."""
    if not other.eligible:
        return f"not of type {' or '.join(sorted(spec.types)) or 'its kind'}"
    if chosen.used and not other.used:
        return "the issues do not fill it in"
    if chosen.schema_match and not other.schema_match:
        return "not Jira's own type for it"
    if (chosen.used or 0) > (other.used or 0):
        return "fewer issues fill it in"
    return "as likely: the first one found was taken"


def _name_is_shared(chosen: Candidate, fields: Iterable[Mapping[str, Any]]) -> bool:
    return sum(1 for entry in fields if folded(entry.get("name")) == folded(chosen.name)) > 1


def _schema_word(schema: Mapping[str, Any]) -> str:
    custom = schema.get("custom")
    if isinstance(custom, str) and custom:
        return custom.rpartition(":")[2]
    kind = schema.get("type")
    return f"{kind} field" if isinstance(kind, str) else "field"


def _count(number: int) -> str:
    return "none" if number == 0 else str(number)
