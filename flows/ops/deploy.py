"""The deployments of one ART: each flow's schedule in the ART's time zone, and its runs'
parameters, named after the ART (`nightly-health/aurora-art`) so that ARTs sharing a Prefect
server keep theirs apart. `rte serve` serves them.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from art.config import ArtConfig
from flows.runs.schedules import FlowSchedule, art_deployment_name, art_schedules

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.schedules import Schedule


@dataclass(frozen=True)
class ArtDeployment:
    """One flow's deployment for one ART: its schedule in the ART's time zone, its parameters."""

    schedule: FlowSchedule
    timezone: str
    parameters: dict[str, Any]
    tags: tuple[str, ...]

    def describe(self) -> str:
        """'nightly-health/aurora-art: every night at 02:00 (0 2 * * *, Europe/Berlin)'."""
        return self.schedule.describe(self.timezone)

    def flow(self) -> Flow[..., Any]:
        """The flow function, imported from its module."""
        flow: Flow[..., Any] = getattr(import_module(self.schedule.module), self.schedule.function)
        return flow

    def description(self) -> str:
        return f"{self.flow().description or self.schedule.flow} Runs {self.schedule.when}."

    def prefect_schedules(self) -> list[Schedule]:
        """Its cron in the ART's time zone, switched off where art.yaml says `active: false`."""
        from prefect.schedules import Cron

        schedule = self.schedule
        return [Cron(schedule.cron, timezone=self.timezone, active=schedule.active)]


def art_deployments(config: ArtConfig, parameters: dict[str, Any]) -> list[ArtDeployment]:
    """The ART's deployment of every flow, each run given `parameters`."""
    tags = ("rte", art_deployment_name(config.art.name))
    return [
        ArtDeployment(schedule, config.art.timezone, dict(parameters), tags)
        for schedule in art_schedules(config)
    ]
