"""The flows' pipelines run in process on the demo ART, with a step runner that records
which steps ran, in order: what a flow run would show as its tasks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from connectors.config_file import read_config
from flows.cli.common import DEMO_CONFIG
from flows.steps.bootstrap import bootstrap
from flows.steps.calendar_publish import publish_calendar
from flows.steps.health_check import check_health
from flows.steps.objective_pages import publish_objectives


class Recorder:
    """A step runner that runs each step directly and remembers it."""

    def __init__(self) -> None:
        self.steps: list[Callable[..., Any]] = []

    def __call__(self, step: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        self.steps.append(step)
        return step(*args, **kwargs)


def demo_steps(out: Path) -> list[Callable[..., Any]]:
    """Every step the three pipelines run on the demo ART, in order."""
    adapters = bootstrap(read_config(DEMO_CONFIG), out)
    recorder = Recorder()
    check_health(adapters, dry_run=True, today=None, step=recorder)
    publish_objectives(adapters, dry_run=True, today=None, step=recorder)
    publish_calendar(adapters, dry_run=True, since=datetime.now(UTC), step=recorder)
    return recorder.steps
