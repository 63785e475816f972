"""The PI objective pages' steps: read the objectives, score them, render the pages.

Objectives come from the YAML file or from Jira issues (a live site or the
export); `flows.steps.bootstrap` picks the reader. Scoring is
`rules.objectives`, rendering `reports.objectives_pages`; the pages are
published like every page, by `flows.steps.publishing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from art.config import ArtConfig
from art.config_errors import ConfigError, Problem
from art.model import Objective, Page, RejectedRecord
from connectors.objectives_jira import (
    ObjectiveQuery,
    objective_field_ids,
    objectives_from_issues,
    objectives_jql,
)
from connectors.objectives_yaml import read_objectives
from flows.steps.clock import art_today
from flows.steps.jira_snapshot import JiraSnapshot, JiraSource
from reports.objectives_pages import objective_pages
from rules.objectives import ObjectivesReport, evaluate_objectives
from rules.train_boards import TrainBoards, evaluate_boards

NOT_SET_UP = (
    "is not set up: give objectives.file (the PI objectives as YAML) or "
    "objectives.source: jira (issues of objectives.issue_type)"
)


@dataclass(frozen=True)
class ObjectiveSource:
    """The objectives read, the records that could not be, and the Jira site to link to."""

    objectives: tuple[Objective, ...]
    rejected: tuple[RejectedRecord, ...]
    jira_site: str | None


class ObjectivesReader(Protocol):
    def read(self) -> ObjectiveSource:
        """The objectives of every PI on record."""


@dataclass(frozen=True)
class YamlObjectives:
    """The objectives file (`objectives.file`); features link to the Jira the train reads."""

    file: str | None
    jira: JiraSource

    def read(self) -> ObjectiveSource:
        if self.file is None:
            raise ConfigError([Problem("objectives", NOT_SET_UP)])
        return ObjectiveSource(read_objectives(self.file), (), self.jira.site)


@dataclass(frozen=True)
class JiraObjectives:
    """Issues of `objectives.issue_type`, their team, PI and values in configured fields."""

    config: ArtConfig
    jira: JiraSource

    def read(self) -> ObjectiveSource:
        ids = objective_field_ids(self.config, self.jira.field_list())
        query = ObjectiveQuery(objective_fields=tuple(ids.requested()))
        issues = self.jira.raw_issues(objectives_jql(self.config), query)
        batch = objectives_from_issues(issues, ids, self.config)
        return ObjectiveSource(batch.objectives, batch.rejected + batch.warnings, self.jira.site)


def score_objectives(
    source: ObjectiveSource, config: ArtConfig, today: date | None
) -> ObjectivesReport:
    """Planned and actual business value per team and for the ART, PI by PI."""
    return evaluate_objectives(
        source.objectives, config, today=today or art_today(config), rejected=source.rejected
    )


def lay_out_boards(snapshot: JiraSnapshot, config: ArtConfig) -> TrainBoards:
    """The program boards and the ROAM board the ART pages show, from the train's issues."""
    return evaluate_boards(snapshot.items, config, today=snapshot.as_of)


def render_objective_pages(
    report: ObjectivesReport, source: ObjectiveSource, boards: TrainBoards | None = None
) -> list[Page]:
    """The team pages and the ART page of every PI on record (with its boards)."""
    return objective_pages(report, jira_url=source.jira_site, boards=boards)
