"""A small valid `art.yaml` for rule tests, with any section replaced."""

from __future__ import annotations

from typing import Any

from art.config import ArtConfig
from art.config_check import validate_config

TEAMS = [
    {"name": "Atlas", "capacity_per_iteration": 40, "cost_per_iteration": 60000},
    {"name": "Borealis", "capacity_per_iteration": 20, "cost_per_iteration": 30000},
]


def art_config(**sections: Any) -> ArtConfig:
    """A two-team ART with PIs 2026.4 (from 2026-10-05) and 2027.1; `sections` replace parts."""
    data: dict[str, Any] = {
        "art": {"name": "Test ART", "timezone": "Europe/Berlin"},
        "teams": TEAMS,
        "jira": {
            "backend": "export",
            "export_dir": "jira",
            "fields": {
                "story_points": "Story Points",
                "team": "Team",
                "acceptance_criteria": "Acceptance Criteria",
                "wsjf": {"score": "WSJF", "job_size": "Job Size"},
            },
        },
        "kanban": {"states": [{"name": "Implementing", "statuses": ["Implementing"]}]},
        "cadence": {
            "pis": [
                {"name": "PI 2026.4", "start": "2026-10-05", "label": "pi-2026.4"},
                {"name": "PI 2027.1", "start": "2026-12-14", "label": "pi-2027.1"},
            ]
        },
    }
    data.update(sections)
    return validate_config(data)
