"""The ROAM board and the program boards as JSON: `metrics.risks` and `metrics.program_board`
of health.json, written field by field here. Dates become ISO text; the caller sorts keys.
"""

from __future__ import annotations

from typing import Any

from rules.program_board import DependencyString, ProgramBoard, ProgramBoards
from rules.risk_register import RiskReport
from rules.risks import Risk


def risks_json(report: RiskReport) -> dict[str, Any]:
    """Counts by ROAM state for the ART and per team, and the register itself."""
    planning = report.planning
    return {
        "pi_planning": None
        if planning is None
        else {
            "pi": planning.pi,
            "start": planning.start.isoformat(),
            "end": planning.end.isoformat(),
        },
        "by_roam": dict(report.counts.art),
        "by_team": {team: dict(counts) for team, counts in report.counts.teams.items()},
        "register": [_risk_json(risk) for risk in report.risks],
    }


def program_board_json(boards: ProgramBoards) -> dict[str, Any]:
    """The current PI's board and the next PI's (null until its features are labelled)."""
    return {
        "current": None if boards.current is None else board_json(boards.current),
        "next": None if boards.next is None else board_json(boards.next),
    }


def board_json(board: ProgramBoard) -> dict[str, Any]:
    return {
        "pi": board.pi,
        "level": board.level,
        "columns": list(board.columns),
        "teams": list(board.teams),
        "milestones": [
            {
                "kind": milestone.kind,
                "title": milestone.title,
                "start": milestone.start.isoformat(),
                "end": milestone.end.isoformat(),
            }
            for milestone in board.milestones
        ],
        "cells": [
            {
                "team": cell.team,
                "column": cell.column,
                "items": [
                    {
                        "key": card.key,
                        "summary": card.summary,
                        "issue_type": card.issue_type,
                        "level": card.level,
                        "done": card.done,
                        "planned": card.planned,
                    }
                    for card in cell.cards
                ],
            }
            for cell in board.cells
        ],
        "strings": [_string_json(string) for string in board.strings],
        "violations": [_string_json(string) for string in board.violations],
    }


def _string_json(string: DependencyString) -> dict[str, Any]:
    return {
        "blocker": string.blocker,
        "blocked": string.blocked,
        "blocker_team": string.blocker_team,
        "blocked_team": string.blocked_team,
        "blocker_iteration": string.blocker_iteration,
        "blocked_iteration": string.blocked_iteration,
        "problem": string.problem,
        "red": string.red,
    }


def _risk_json(risk: Risk) -> dict[str, Any]:
    return {
        "key": risk.key,
        "summary": risk.summary,
        "status": risk.status,
        "team": risk.team,
        "roam": risk.roam.value,
        "owner": risk.owner,
        "due": risk.due.isoformat() if risk.due else None,
        "created": risk.created.isoformat(),
        "updated": risk.updated.isoformat(),
        "closed": risk.closed.isoformat() if risk.closed else None,
    }
