"""What `rte init` reads of a Jira site before it drafts an art.yaml: one project, read-only.

About ten requests, whatever the site's size: the projects (the key must be
one of them), the project with its issue types, each type's statuses, the
site's statuses (for their categories and the board's status ids), the
project's boards, the board given (its columns and WIP limits), the fields,
the link types, and one page of the latest issues with only the story
point and team fields, to see which of them the teams fill in and which
team values they hold. `flows.steps.config_draft` does the choosing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from art.model import BoardColumn
from connectors.jira import JiraError, JiraSite
from connectors.jira_board import board_columns
from connectors.jql import jql_string
from flows.steps.field_choice import sampled_field_ids

SAMPLE_SIZE = 100  # the latest issues a page holds (Cloud's page with fields)
_LISTED = 20  # projects or boards named in a message


class SurveyProblem(ValueError):
    """The project or the board asked for is not on the site; the message lists what is."""


@dataclass(frozen=True)
class BoardSurvey:
    """The board given: its name, columns (statuses, WIP limits) and constraint type."""

    id: int
    name: str
    columns: tuple[BoardColumn, ...]
    empty_columns: tuple[str, ...]  # columns with no status the account sees (left out)
    constraint: str  # none, issueCount or issueCountExclSubs


@dataclass(frozen=True)
class SiteSurvey:
    """How one project of one site is set up, as Jira answered."""

    url: str
    deployment: str  # cloud or datacenter
    project: Mapping[str, Any]  # key, id, name, issueTypes
    project_count: int
    type_statuses: Mapping[str, tuple[Mapping[str, Any], ...]]  # issue type -> its statuses
    statuses: tuple[Mapping[str, Any], ...]  # the site's, with their categories
    boards: tuple[Mapping[str, Any], ...]  # the project's
    board: BoardSurvey | None
    fields: tuple[Mapping[str, Any], ...]
    link_types: tuple[Mapping[str, Any], ...]
    sample: tuple[Mapping[str, Any], ...]  # the latest issues, with the sampled fields only

    @property
    def key(self) -> str:
        return str(self.project.get("key") or "")

    @property
    def issue_types(self) -> tuple[Mapping[str, Any], ...]:
        types = self.project.get("issueTypes")
        return tuple(t for t in types if isinstance(t, Mapping)) if isinstance(types, list) else ()


def survey_site(
    site: JiraSite, *, deployment: str, project_key: str, board_id: int | None
) -> SiteSurvey:
    """Read what an art.yaml for `project_key` needs; `SurveyProblem` when the project or
    the board is not there (the message says which are)."""
    projects = site.projects()
    keys = [str(project.get("key")) for project in projects]
    if project_key not in keys:
        raise SurveyProblem(
            f"--project {project_key}: the account sees no such project at {site.site}; "
            + _listed("its projects", [_named(project, "key") for project in projects])
        )
    project = site.project(project_key)
    type_statuses = {
        str(entry.get("name")): tuple(s for s in entry.get("statuses") or [] if isinstance(s, dict))
        for entry in site.project_statuses(project_key)
    }
    statuses = tuple(site.statuses())
    boards = tuple(site.boards(project_key))
    board = _board(site, board_id, boards, statuses, project_key) if board_id else None
    fields = tuple(site.field_list())
    link_types = tuple(site.link_types())
    sampled = sampled_field_ids(fields)
    sample = (
        site.sample_issues(
            f"project = {jql_string(project_key)} ORDER BY updated DESC", sampled, SAMPLE_SIZE
        )
        if sampled
        else []
    )
    return SiteSurvey(
        url=site.site,
        deployment=deployment,
        project=project,
        project_count=len(projects),
        type_statuses=type_statuses,
        statuses=statuses,
        boards=boards,
        board=board,
        fields=fields,
        link_types=link_types,
        sample=tuple(sample),
    )


def _board(
    site: JiraSite,
    board_id: int,
    boards: tuple[Mapping[str, Any], ...],
    statuses: tuple[Mapping[str, Any], ...],
    project_key: str,
) -> BoardSurvey:
    """The board's configuration; a board of another project is fine, a missing one is not."""
    try:
        configuration = site.board_configuration(board_id)
    except JiraError as exc:
        if any(board.get("id") == board_id for board in boards):
            raise
        listed = [_named(board, "id") for board in boards]
        raise SurveyProblem(
            f"--board {board_id}: {exc}; " + _listed(f"the boards of {project_key}", listed)
        ) from None
    column_config = configuration.get("columnConfig")
    constraint = column_config.get("constraintType") if isinstance(column_config, Mapping) else None
    columns = board_columns(configuration, statuses, board_id=board_id)
    return BoardSurvey(
        id=board_id,
        name=str(configuration.get("name") or f"board {board_id}"),
        columns=tuple(column for column in columns if column.statuses),
        empty_columns=tuple(column.name for column in columns if not column.statuses),
        constraint=str(constraint or "none"),
    )


def _named(entry: Mapping[str, Any], key: str) -> str:
    name = entry.get("name")
    return f"{entry.get(key)} ({name})" if name else str(entry.get(key))


def _listed(what: str, names: list[str]) -> str:
    if not names:
        return f"{what}: none"
    more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
    return f"{what}: {', '.join(names[:_LISTED])}{more}"
