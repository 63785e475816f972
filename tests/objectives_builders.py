"""Small builders for PI objective tests: a two-PI train and objectives in one line each."""

from __future__ import annotations

from datetime import date
from typing import Any

from art.config import ArtConfig
from art.config_check import validate_config
from art.model import Objective

# PI 1 runs 2026-01-05 .. 2026-03-15, PI 2 2026-03-16 .. 2026-05-24 (5 x 2 weeks each).
PI_1, PI_2 = "PI 1", "PI 2"
DURING_PI_1 = date(2026, 2, 1)
AFTER_PI_1 = date(2026, 4, 1)  # PI 1 ended, PI 2 running
BEFORE_PI_1 = date(2025, 12, 15)  # PI Planning for PI 1 still ahead


def train(teams: tuple[str, ...] = ("Alpha", "Beta"), **objectives: Any) -> ArtConfig:
    """A train whose teams are known in Jira as '<name> team'."""
    return validate_config(
        {
            "art": {"name": "Test ART"},
            "teams": [{"name": name, "jira_value": f"{name} team"} for name in teams],
            "jira": {"backend": "export", "export_dir": "jira", "projects": ["ART"]},
            "kanban": {"states": [{"name": "Doing", "statuses": ["Doing"]}]},
            "cadence": {
                "pis": [
                    {"name": PI_1, "start": "2026-01-05"},
                    {"name": PI_2, "start": "2026-03-16"},
                ]
            },
            "objectives": {"source": "yaml", "file": "objectives.yaml", **objectives},
        }
    )


def objective(
    team: str,
    planned: int | None,
    actual: int | None = None,
    *,
    committed: bool = True,
    pi: str = PI_1,
    text: str | None = None,
    features: tuple[str, ...] = (),
) -> Objective:
    return Objective(
        team=team,
        pi=pi,
        text=text or f"{team} objective planned {planned}",
        committed=committed,
        planned_value=planned,
        actual_value=actual,
        features=features,
    )
