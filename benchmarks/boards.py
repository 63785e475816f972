"""How the program board, the dependency rule and the risk register scale.

Takes the train `benchmarks/rules.py` generates (one item in ten a feature
whose stories, of 10 teams, are in sprints of PI 2026.4; 2 % of the stories
with a "blocks" link) and adds one risk for every hundred items, then times
what the nightly check does with them beyond the flow rules: the milestones
from the calendar, the dependency rule, both program boards, the risk
register with its four rules, and the drawing of the board. Each figure is
printed beside the lower bound (one pass that indexes every item by key and
by parent: a board cannot place a feature without it) and with how it grew
from the smaller train to the larger one (10x is linear).

Usage: .venv/bin/python benchmarks/boards.py [--sizes 10000 100000] [--seed 7] [--repeat 3]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from art.cadence import planning_intervals
from art.model import WorkItem
from benchmarks.rules import CONFIG, TODAY, compare, generate, parsed_arguments
from reports.program_board import program_board_pictures
from rules.dependency import dependency_findings
from rules.milestones import train_milestones
from rules.program_board import program_boards
from rules.risk_register import evaluate_risks

STATUSES = ("Identified", "Owned", "Accepted", "Mitigated", "Resolved")


def with_risks(items: list[WorkItem]) -> list[WorkItem]:
    """The train, and a risk (of a team, in some ROAM state) for every hundred items."""
    risks = [
        replace(
            item,
            key=f"RSK-{n}",
            issue_type="Risk",
            level=None,
            status=STATUSES[n % len(STATUSES)],
            parent=None,
            links=(),
            iteration=None,
            assignee=None if n % 7 == 0 else "Owner",
        )
        for n, item in enumerate(items[1::100], start=1)
    ]
    return items + risks


def workloads(items: list[WorkItem]) -> dict[str, Callable[[], Any]]:
    pis = planning_intervals(CONFIG.cadence)
    milestones = train_milestones(CONFIG)
    boards = program_boards(items, CONFIG, today=TODAY, milestones=milestones)

    def index() -> Any:
        by_key = {item.key: item for item in items}
        children: dict[str, list[WorkItem]] = {}
        for item in items:
            if item.parent is not None:
                children.setdefault(item.parent, []).append(item)
        return by_key, children

    return {
        "lower bound: index by key and parent": index,
        "milestones (the calendar)": lambda: train_milestones(CONFIG),
        "dependency (findings)": lambda: dependency_findings(
            items, pis, today=TODAY, blocking_link="blocks"
        ),
        "program boards (current + next)": lambda: program_boards(
            items, CONFIG, today=TODAY, milestones=milestones
        ),
        "risk register and its 4 rules": lambda: evaluate_risks(
            items, CONFIG, today=TODAY, milestones=milestones
        ),
        "program-board.png (drawing)": lambda: program_board_pictures(boards),
    }


def main() -> None:
    args = parsed_arguments(__doc__.splitlines()[0])
    compare(args, lambda size, seed: with_risks(generate(size, seed)), workloads)


if __name__ == "__main__":
    main()
