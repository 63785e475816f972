"""The train's risks: which Jira issues they are, and their ROAM state.

At PI Planning every risk the teams raise is ROAMed in front of the whole
train: Resolved (no longer a risk), Owned (someone takes it on), Accepted
(nothing can be done; it is lived with), Mitigated (a plan reduces it).
In Jira a risk is an issue of `risks.issue_type` ("Risk") or one carrying
`risks.label`. Its ROAM state is read from the ROAM field
(`jira.fields.roam`) when it holds one of the four words, else from its
status (`risks.roam_statuses`); anything else is un-ROAMed. Its owner is
its assignee, and its due date Jira's own (optional).

Risks are read like every other issue (the sync, the export) and become
WorkItems; `Risk` is the small view the risk rules and the ROAM board need.
Dates are days in the ART's time zone, because "five days after PI
Planning" is counted in the train's days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from zoneinfo import ZoneInfo

from art.config import ArtConfig, RisksConfig
from art.model import WorkItem
from rules.hierarchy import key_order
from rules.placement import NO_TEAM


class Roam(StrEnum):
    """A risk's ROAM state; UNROAMED until the train has decided what to do with it."""

    UNROAMED = "unroamed"
    RESOLVED = "resolved"
    OWNED = "owned"
    ACCEPTED = "accepted"
    MITIGATED = "mitigated"


ROAMED = (Roam.RESOLVED, Roam.OWNED, Roam.ACCEPTED, Roam.MITIGATED)  # the board's columns


@dataclass(frozen=True, slots=True)
class Risk:
    """One risk as the ROAM board shows it and the risk rules judge it."""

    key: str
    summary: str
    status: str
    team: str | None  # the team's name (or its Jira value when no team of art.yaml has it)
    roam: Roam
    owner: str | None  # the assignee's display name
    due: date | None
    created: date
    updated: date
    closed: date | None  # when it was resolved in Jira (else its last update, once resolved)

    @property
    def is_open(self) -> bool:
        return self.roam is not Roam.RESOLVED


def is_risk(item: WorkItem, settings: RisksConfig) -> bool:
    """The item is of the risk issue type or carries the risk label."""
    if settings.issue_type is not None and item.issue_type == settings.issue_type:
        return True
    labels = item.fields.get("labels", ())
    return settings.label is not None and settings.label in labels


def roam_of(item: WorkItem, settings: RisksConfig) -> Roam:
    """The ROAM field's word when it holds one, else the status's mapping, else un-ROAMed."""
    field = item.fields.get("roam")
    if isinstance(field, str):
        word = field.strip().casefold()
        if word in {state.value for state in ROAMED}:
            return Roam(word)
    mapped = settings.roam_statuses.get(item.status)
    return Roam(mapped) if mapped is not None else Roam.UNROAMED


def risks_of(items: Iterable[WorkItem], config: ArtConfig) -> list[Risk]:
    """The risks among the items, in key order."""
    zone = ZoneInfo(config.art.timezone)
    names = config.team_names()
    found = []
    for item in items:
        if not is_risk(item, config.risks):
            continue
        roam = roam_of(item, config.risks)
        updated = (item.updated or item.created).astimezone(zone).date()
        closed = item.resolved.astimezone(zone).date() if item.resolved else None
        due = item.fields.get("duedate")  # Jira's own due date field
        found.append(
            Risk(
                key=item.key,
                summary=item.summary,
                status=item.status,
                team=names.get(item.team, item.team) if item.team else None,
                roam=roam,
                owner=item.assignee,
                due=due if isinstance(due, date) else None,
                created=item.created.astimezone(zone).date(),
                updated=updated,
                closed=closed or (updated if roam is Roam.RESOLVED else None),
            )
        )
    return sorted(found, key=lambda risk: key_order(risk.key))


@dataclass(frozen=True, slots=True)
class RoamCounts:
    """How many risks are in each ROAM state, for the ART and per team (every state listed)."""

    art: Mapping[str, int]
    teams: Mapping[str, Mapping[str, int]]  # in config order, then other teams, NO_TEAM last


def roam_counts(risks: Iterable[Risk], team_order: Iterable[str]) -> RoamCounts:
    """The register counted by ROAM state: the ART's totals and each team's."""
    every = list(risks)
    teams = list(team_order)
    teams += sorted({risk.team for risk in every if risk.team and risk.team not in teams})
    if any(risk.team is None for risk in every):
        teams.append(NO_TEAM)

    def count(selected: list[Risk]) -> dict[str, int]:
        return {state.value: sum(1 for risk in selected if risk.roam is state) for state in Roam}

    return RoamCounts(
        art=count(every),
        teams={team: count([r for r in every if (r.team or NO_TEAM) == team]) for team in teams},
    )
