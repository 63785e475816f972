"""When each flow runs: the one list `rte serve`, `rte deploy` and `prefect.yaml` follow.

Cron expressions are wall-clock times in the ART's time zone (`art.timezone`),
so "02:00" stays 02:00 for the train across daylight saving time (Prefect
runs a time that does not exist that night, 02:00 on the spring change in
Europe, once at 03:00, and an ambiguous one once). An ART's `schedules:` in
art.yaml may change a flow's cron or switch its schedule off
(`art_schedules`); the list here stays the one list of the flows. No Prefect
here: a unit test holds `deployments/prefect.yaml` to this list without
starting it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from art.config import ArtConfig
from art.cron import FIELDS
from flows.runs.names import key_slug


@dataclass(frozen=True)
class FlowSchedule:
    """One deployment of one flow: its names, where the flow lives, and when it runs."""

    flow: str  # the Prefect flow name
    deployment: str  # the deployment name, so the run is "<flow>/<deployment>"
    module: str  # the module that defines the flow function
    function: str
    cron: str
    active: bool = True  # False: deployed with its schedule switched off

    @property
    def full_name(self) -> str:
        return f"{self.flow}/{self.deployment}"

    @property
    def when(self) -> str:
        """The cron in words, for people: 'every night at 02:00'."""
        return describe_cron(self.cron)

    @property
    def config_key(self) -> str:
        """Its key under `schedules:` in art.yaml: 'nightly_health'."""
        return self.flow.replace("-", "_")

    def describe(self, timezone: str) -> str:
        """'nightly-health/aurora-art: every night at 02:00 (0 2 * * *, Europe/Berlin)'."""
        off = ", switched off" if not self.active else ""
        return f"{self.full_name}: {self.when} ({self.cron}, {timezone}{off})"

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
    ),
    # Nightly all year: outside a PI nothing changes, and an unchanged page is
    # not written again, so a night without news costs only reads.
    FlowSchedule(
        flow="pi-objectives",
        deployment="nightly",
        module="flows.pi_objectives",
        function="pi_objectives",
        cron="30 2 * * *",
    ),
    FlowSchedule(
        flow="art-calendar",
        deployment="weekly",
        module="flows.art_calendar",
        function="art_calendar",
        cron="0 3 * * 1",
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


def art_deployment_name(art_name: str) -> str:
    """The name of an ART's own deployments ('nightly-health/aurora-art'): ARTs that share
    a Prefect server each keep theirs."""
    return key_slug(art_name)


def art_schedules(config: ArtConfig) -> tuple[FlowSchedule, ...]:
    """Every flow's deployment for this ART: named after it, at the times its `schedules:`
    section sets (the usual ones where it sets none)."""
    chosen = config.schedules
    return tuple(
        replace(
            schedule,
            deployment=art_deployment_name(config.art.name),
            cron=getattr(chosen, schedule.config_key).cron or schedule.cron,
            active=getattr(chosen, schedule.config_key).active,
        )
        for schedule in SCHEDULES
    )


def run_path(path: Path, base: Path) -> str:
    """`path` as a run should name it: relative to `base` when inside it (every worker's
    checkout has the same layout, wherever the checkout is), absolute otherwise."""
    path = path.resolve()
    relative = Path(os.path.relpath(path, base.resolve()))
    return str(path if relative.parts[:1] == ("..",) else relative)


WEEKDAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def describe_cron(cron: str) -> str:
    """One time of day on simple days in words ('every Monday at 03:00', 'Monday to Friday at
    06:00', 'on day 1 of each month at 04:00'); anything else 'on its cron schedule'."""
    minute, hour, day, month, weekday = cron.lower().split()
    if not (minute.isdigit() and hour.isdigit()) or month != "*":
        return "on its cron schedule"
    at = f"at {int(hour):02d}:{int(minute):02d}"
    if day == "*" and weekday == "*":
        return f"every {'night' if int(hour) < 6 else 'day'} {at}"
    days = _weekdays_in_words(weekday) if day == "*" else None
    if days:
        return f"{days} {at}"
    if weekday == "*" and day.isdigit():
        return f"on day {int(day)} of each month {at}"
    return "on its cron schedule"


def _weekdays_in_words(text: str) -> str | None:
    """'1-5' -> 'Monday to Friday', 'mon,thu' -> 'every Monday and Thursday'; None for steps."""
    field = FIELDS[4]
    low, dash, high = text.partition("-")
    if dash and "," not in text and "/" not in text:
        first, last = field.value(low), field.value(high)
        if first is not None and last is not None:
            return f"{WEEKDAY_NAMES[first % 7]} to {WEEKDAY_NAMES[last % 7]}"
    days = [field.value(item) for item in text.split(",")]
    if "/" in text or "-" in text or None in days:
        return None
    names = [WEEKDAY_NAMES[day % 7] for day in days if day is not None]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"every {listed}"
