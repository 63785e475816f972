"""When each flow runs: the one list `rte serve` and `deployments/prefect.yaml` both follow.

Cron expressions are wall-clock times in the ART's time zone (`art.timezone`),
so "02:00" stays 02:00 for the train across daylight saving time (Prefect
runs a time that does not exist that night, 02:00 on the spring change in
Europe, once at 03:00, and an ambiguous one once). No Prefect here: a unit
test holds `deployments/prefect.yaml` to this list without starting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FlowSchedule:
    """One deployment of one flow: its names, where the flow lives, and when it runs."""

    flow: str  # the Prefect flow name
    deployment: str  # the deployment name, so the run is "<flow>/<deployment>"
    module: str  # the module that defines the flow function
    function: str
    cron: str
    when: str  # the cron in words, for people

    @property
    def full_name(self) -> str:
        return f"{self.flow}/{self.deployment}"

    @property
    def entrypoint(self) -> str:
        """The entrypoint as `prefect deploy` takes it: a file relative to the checkout."""
        return f"{self.module.replace('.', '/')}.py:{self.function}"


SCHEDULES: tuple[FlowSchedule, ...] = (
    FlowSchedule(
        flow="nightly-health",
        deployment="nightly",
        module="flows.nightly_health",
        function="nightly_health",
        cron="0 2 * * *",
        when="every night at 02:00",
    ),
    # Nightly all year: outside a PI nothing changes, and an unchanged page is
    # not written again, so a night without news costs only reads.
    FlowSchedule(
        flow="pi-objectives",
        deployment="nightly",
        module="flows.pi_objectives",
        function="pi_objectives",
        cron="30 2 * * *",
        when="every night at 02:30",
    ),
    FlowSchedule(
        flow="art-calendar",
        deployment="weekly",
        module="flows.art_calendar",
        function="art_calendar",
        cron="0 3 * * 1",
        when="every Monday at 03:00",
    ),
)


def schedule_for(flow: str) -> FlowSchedule:
    """The schedule of the flow named `flow`; ValueError naming the flows there are."""
    for schedule in SCHEDULES:
        if schedule.flow == flow:
            return schedule
    known = ", ".join(schedule.flow for schedule in SCHEDULES)
    raise ValueError(f"no flow named '{flow}' (flows: {known})")


def run_parameters(config_path: str | Path, out_dir: str | Path) -> dict[str, Any]:
    """The parameters every scheduled run gets: which ART, and where its files go."""
    return {"config_path": str(config_path), "out_dir": str(out_dir)}
