"""Steps as Prefect tasks: the step runner the flows hand their pipelines.

A pipeline (`flows.steps.health_check.check_health`, ...) calls
`step(function, *args)`; with `as_task` each function runs as a Prefect task
named after it, so a flow run shows its steps in the UI, in order, with their
states and logs. Steps that talk to services are retried (see
`flows.runs.task_retries` for which failures); none is cached: every run reads
the world afresh.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, ParamSpec, TypeVar, cast

from prefect import Task, task
from prefect.cache_policies import NO_CACHE

from flows.runs.task_retries import not_yet_retried
from flows.steps.pipeline import does_io

P = ParamSpec("P")
R = TypeVar("R")

RETRIES = 2
RETRY_DELAY_SECONDS = 10.0


def as_task(step: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `step` as a Prefect task of the current flow run."""
    return cast(R, task_of(step)(*args, **kwargs))  # a sync step's task returns its value


@cache
def task_of(step: Callable[..., Any]) -> Task[..., Any]:
    """The task that runs `step` (one per function, made once)."""
    retries: dict[str, Any] = {}
    if does_io(step):
        retries = {
            "retries": RETRIES,
            "retry_delay_seconds": RETRY_DELAY_SECONDS,
            "retry_condition_fn": not_yet_retried,
        }
    made: Task[..., Any] = task(  # type: ignore[call-overload]
        step, name=step.__name__.replace("_", "-"), cache_policy=NO_CACHE, **retries
    )
    return made
