"""The Jira source of PI objectives: issues of a configured type, fields mapped in config.

A PI objective issue (type `objectives.issue_type`, "PI Objective" by default)
carries its team, its PI, whether it is committed, and its planned and actual
business value in fields named in `objectives.fields` (names or ids, settled
against the site's field list like `jira.fields`). Its linked features are
the issues it links to whose type is at the hierarchy's `feature` level;
Jira embeds each linked issue's type in the link, so that costs no request.

Messy values do not crash the run: an issue without the essentials (summary,
team, PI, a readable commitment) becomes a RejectedRecord naming the field;
a business value that is not a whole number is dropped with a warning, so
the rules report the objective as unscored instead of guessing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from art.config import ArtConfig
from art.config_errors import ConfigError, Problem
from art.model import Objective, RejectedRecord
from connectors.jira_fields import FieldIds, resolve_field_names
from connectors.jira_values import plain_text
from connectors.jql import jql_list, jql_string, train_condition

_COMMITTED = frozenset({"committed", "commit", "yes", "true", "y"})
_UNCOMMITTED = frozenset({"uncommitted", "stretch", "no", "false", "n", ""})
_ALWAYS = ("summary", "issuetype", "issuelinks")


@dataclass(frozen=True, slots=True)
class ObjectiveFieldIds:
    """The Jira field id behind each fact of an objective."""

    team: str
    pi: str
    committed: str
    planned_value: str
    actual_value: str

    def requested(self) -> list[str]:
        """The `fields=` a search for objectives asks for."""
        mapped = (self.team, self.pi, self.committed, self.planned_value, self.actual_value)
        return sorted(set(_ALWAYS) | set(mapped))


@dataclass(frozen=True, slots=True)
class ObjectiveQuery(FieldIds):
    """FieldIds for `JiraSite.fetch_issues` that asks for the objective fields.

    The Jira connector's search takes its `fields=` list from `requested()`;
    this asks for the objectives' fields instead of the work items'.
    """

    objective_fields: tuple[str, ...] = ()

    def requested(self) -> list[str]:
        return list(self.objective_fields)


@dataclass(frozen=True, slots=True)
class ObjectiveBatch:
    """What a batch of objective issues became."""

    objectives: tuple[Objective, ...]
    rejected: tuple[RejectedRecord, ...]
    warnings: tuple[RejectedRecord, ...]


def objective_field_ids(config: ArtConfig, field_list: list[dict[str, Any]]) -> ObjectiveFieldIds:
    """Settle `objectives.fields` against the site's fields; ConfigError names each problem."""
    fields = config.objectives.fields
    team = fields.team or config.jira.fields.team
    if team is None:
        raise ConfigError(
            [Problem("objectives.fields.team", "name the team field here or in jira.fields.team")]
        )
    names = {
        "team": team,
        "pi": fields.pi,
        "committed": fields.committed,
        "planned_value": fields.planned_value,
        "actual_value": fields.actual_value,
    }
    return ObjectiveFieldIds(**resolve_field_names(names, field_list, path="objectives.fields"))


def objectives_jql(config: ArtConfig) -> str:
    """The search for the train's objective issues: the configured type in the train's projects."""
    clause = f"issuetype = {jql_string(config.objectives.issue_type)}"
    if config.jira.projects:
        return f"project in {jql_list(config.jira.projects)} AND {clause}"
    condition = train_condition(config.jira)
    return f"({condition}) AND {clause}" if condition else clause


def objectives_from_issues(
    issues: Iterable[Any], ids: ObjectiveFieldIds, config: ArtConfig
) -> ObjectiveBatch:
    """Objectives from raw REST-shaped issues; issues of other types are skipped."""
    feature_types = next(
        (set(level.issue_types) for level in config.jira.hierarchy if level.level == "feature"),
        set(),
    )
    objectives: list[Objective] = []
    rejected: list[RejectedRecord] = []
    warnings: list[RejectedRecord] = []
    for raw in issues:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("fields"), Mapping):
            rejected.append(RejectedRecord(_key(raw), "not an issue with fields"))
            continue
        fields = raw["fields"]
        if plain_text(fields.get("issuetype")) != config.objectives.issue_type:
            continue
        outcome = _objective(_key(raw), fields, ids, feature_types, warnings)
        if isinstance(outcome, Objective):
            objectives.append(outcome)
        else:
            rejected.append(outcome)
    return ObjectiveBatch(tuple(objectives), tuple(rejected), tuple(warnings))


def _objective(
    key: str | None,
    fields: Mapping[str, Any],
    ids: ObjectiveFieldIds,
    feature_types: set[str],
    warnings: list[RejectedRecord],
) -> Objective | RejectedRecord:
    text = plain_text(fields.get("summary")).strip()
    team = plain_text(fields.get(ids.team)).strip()
    pi = plain_text(fields.get(ids.pi)).strip()
    committed = _commitment(fields.get(ids.committed))
    missing = [
        why
        for why, absent in (
            ("no summary", not text),
            (f"no team ({ids.team})", not team),
            (f"no PI ({ids.pi})", not pi),
            (
                f"commitment ({ids.committed}) is neither committed nor uncommitted",
                committed is None,
            ),
        )
        if absent
    ]
    if key is None or missing:
        return RejectedRecord(key, "; ".join(missing or ["no key"]))
    planned = _business_value(key, "planned", fields.get(ids.planned_value), warnings)
    actual = _business_value(key, "actual", fields.get(ids.actual_value), warnings)
    return Objective(
        team=team,
        pi=pi,
        text=text,
        committed=bool(committed),
        planned_value=planned,
        actual_value=actual,
        features=_linked_features(fields.get("issuelinks"), feature_types),
        key=key,
    )


def _commitment(value: Any) -> bool | None:
    """True, False, or None when the value says neither (an empty checkbox is uncommitted)."""
    if isinstance(value, bool):
        return value
    text = plain_text(value).strip().casefold()
    if text in _COMMITTED:
        return True
    return False if text in _UNCOMMITTED else None


def _business_value(key: str, which: str, value: Any, warnings: list[RejectedRecord]) -> int | None:
    """A whole number, or None (absent, or unusable: then a warning says why)."""
    if value is None:
        return None
    text = plain_text(value).strip()  # a checkbox's true/false reads as no text
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not number.is_integer():
        warnings.append(
            RejectedRecord(key, f"{which} business value is not a whole number; ignored")
        )
        return None
    return int(number)


def _linked_features(links: Any, feature_types: set[str]) -> tuple[str, ...]:
    keys: list[str] = []
    for link in links if isinstance(links, list) else []:
        for side in ("outwardIssue", "inwardIssue"):
            other = link.get(side) if isinstance(link, Mapping) else None
            if not isinstance(other, Mapping):
                continue
            other_fields = other.get("fields")
            issue_type = (
                plain_text(other_fields.get("issuetype"))
                if isinstance(other_fields, Mapping)
                else ""
            )
            key = other.get("key")
            if issue_type in feature_types and isinstance(key, str) and key not in keys:
                keys.append(key)
    return tuple(keys)


def _key(raw: Any) -> str | None:
    key = raw.get("key") if isinstance(raw, Mapping) else None
    return key.strip() if isinstance(key, str) and key.strip() else None
