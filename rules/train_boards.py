"""The two boards an RTE runs the PI with: the ROAM board and the program board.

Both are read from the same snapshot and laid on the same milestones (PI
Planning above all), so the nightly health check and the ART's PI
objectives page show the same boards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from art.config import ArtConfig
from art.model import WorkItem
from rules.milestones import train_milestones
from rules.program_board import ProgramBoards, program_boards
from rules.risk_register import RiskReport, evaluate_risks


@dataclass(frozen=True, slots=True)
class TrainBoards:
    risks: RiskReport
    program: ProgramBoards


def evaluate_boards(items: Sequence[WorkItem], config: ArtConfig, *, today: date) -> TrainBoards:
    """The ROAM board (with the risk rules' findings) and the program boards as of `today`."""
    milestones = train_milestones(config)
    return TrainBoards(
        risks=evaluate_risks(items, config, today=today, milestones=milestones),
        program=program_boards(items, config, today=today, milestones=milestones),
    )
