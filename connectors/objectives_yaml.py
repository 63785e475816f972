"""The YAML source of PI objectives: a file the RTE keeps, PI by PI and team by team.

For trains that do not track objectives as Jira issues. The file is checked
like `art.yaml`: unknown keys, values off the business-value scale and
malformed feature keys are errors naming their path
(`objectives.PI 2026.3.Atlas[2].planned: must be <= 10`), all reported at
once. Which PIs and teams exist is the rules' business (a name they do not
know becomes a data-quality finding), so a typo there is reported, not fatal.

    objectives:
      PI 2026.4:
        Atlas:
          - text: Self-service onboarding for new tenants
            committed: true
            planned: 8
            actual: 7              # scored at Inspect & Adapt; absent until then
            features: [AUR-101, AUR-104]
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field

from art.config import NonEmpty, Strict
from art.config_check import validate_document
from art.config_errors import ConfigError
from art.model import ACTUAL_VALUE_RANGE, PLANNED_VALUE_RANGE, Objective
from connectors.config_file import read_yaml

IssueKey = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]*-[1-9][0-9]*$")]
PlannedValue = Annotated[int, Field(ge=PLANNED_VALUE_RANGE.start, le=PLANNED_VALUE_RANGE.stop - 1)]
ActualValue = Annotated[int, Field(ge=ACTUAL_VALUE_RANGE.start, le=ACTUAL_VALUE_RANGE.stop - 1)]


class ObjectiveEntry(Strict):
    text: NonEmpty
    committed: bool
    planned: PlannedValue | None = Field(default=None, description="Business value, 1-10.")
    actual: ActualValue | None = Field(default=None, description="Achieved value, 0-10.")
    features: tuple[IssueKey, ...] = ()
    key: NonEmpty | None = Field(default=None, description="A stable id, e.g. a Jira key.")


class ObjectivesFile(Strict):
    objectives: dict[NonEmpty, dict[NonEmpty, tuple[ObjectiveEntry, ...]]] = Field(
        description="PI name -> team name -> that team's objectives in that PI."
    )


class ObjectivesFileError(ConfigError):
    """The objectives file cannot be used; like a ConfigError, it lists every problem."""

    def __init__(self, path: Path, error: ConfigError) -> None:
        self.path = path
        super().__init__(error.problems, source=str(path))


def read_objectives(path: Path | str) -> tuple[Objective, ...]:
    """Every objective in the file, in the file's order."""
    path = Path(path)
    try:
        document = validate_document(
            ObjectivesFile, read_yaml(path), shape="objectives: {PI: {team: [...]}}"
        )
    except ConfigError as exc:
        raise ObjectivesFileError(path, exc) from None
    return tuple(
        Objective(
            team=team,
            pi=pi,
            text=entry.text,
            committed=entry.committed,
            planned_value=entry.planned,
            actual_value=entry.actual,
            features=entry.features,
            key=entry.key,
        )
        for pi, teams in document.objectives.items()
        for team, entries in teams.items()
        for entry in entries
    )
