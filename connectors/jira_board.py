"""Board columns and WIP limits, read from the Jira boards `kanban.board` and `teams[].board` name.

A board's configuration lists its columns with status *ids* and, when the
board has column constraints, a min and max per column. The WIP rule speaks
status *names* (what an issue's `fields.status.name` says), so the ids are
looked up in the site's status list. Limits only count when the board's
constraint type is an issue count: with `none`, Jira ignores the numbers and
so do we.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from art.model import BoardColumn
from art.numbers import as_number
from connectors.jira import JiraSite
from connectors.jira_values import as_list, as_mapping

log = logging.getLogger(__name__)

COUNTED_CONSTRAINTS = frozenset({"issueCount", "issueCountExclSubs"})


def fetch_boards(site: JiraSite, board_ids: Iterable[int]) -> dict[int, tuple[BoardColumn, ...]]:
    """Each board's columns: one request a board, and the site's status list once."""
    wanted = list(dict.fromkeys(board_ids))
    if not wanted:
        return {}
    statuses = site.statuses()
    return {
        board_id: board_columns(site.board_configuration(board_id), statuses, board_id=board_id)
        for board_id in wanted
    }


def board_columns(
    configuration: Mapping[str, Any],
    statuses: Iterable[Mapping[str, Any]],
    *,
    board_id: int | None = None,
) -> tuple[BoardColumn, ...]:
    """Columns in board order; a status id the site does not list is left out and logged.

    The status list holds what the account may see, so an unknown id belongs
    to a project the account cannot browse, whose issues it cannot see either.
    """
    names = {
        str(status["id"]): status["name"]
        for status in statuses
        if isinstance(status, Mapping)
        and status.get("id") is not None
        and isinstance(status.get("name"), str)
    }
    column_config = as_mapping(configuration.get("columnConfig"))
    counted = column_config.get("constraintType") in COUNTED_CONSTRAINTS
    columns = []
    for raw in as_list(column_config.get("columns")):
        column = as_mapping(raw)
        name = column.get("name")
        if not isinstance(name, str) or not name.strip():
            continue
        status_names = set()
        for status in as_list(column.get("statuses")):
            status_id = str(as_mapping(status).get("id"))
            if status_id in names:
                status_names.add(names[status_id])
            else:
                log.warning(
                    "board %s, column %r: status id %s is unknown", board_id, name, status_id
                )
        columns.append(
            BoardColumn(
                name=name.strip(),
                statuses=frozenset(status_names),
                wip_limit=_bound(column.get("max")) if counted else None,
                wip_min=_bound(column.get("min")) if counted else None,
            )
        )
    return tuple(columns)


def _bound(value: Any) -> int | None:
    """A WIP bound, or None where Jira sends none (or 0, its "no bound")."""
    number = as_number(value)
    return int(number) if number is not None and number >= 1 else None
