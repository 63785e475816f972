"""How a pipeline's steps are run: called directly, or each as a Prefect task.

Each pipeline (`check_health`, `publish_objectives`, `publish_calendar`) is
written once, in the steps, as a sequence of `step(function, *args)` calls.
The one-off commands run it with `run_directly`, in this process and without
Prefect; the flows hand in `flows.runs.tasks.as_task`, which runs every step
as a Prefect task, so the UI shows the same steps in the same order, and
retries the steps marked `talks_to_services` (the HTTP policy has retried
their calls; the task retry covers what it never saw, such as a worker
losing the Prefect API mid-task).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class StepRunner(Protocol):
    def __call__(self, step: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R: ...


def run_directly(step: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run the step as the plain function it is."""
    return step(*args, **kwargs)


def talks_to_services(step: Callable[P, R]) -> Callable[P, R]:
    """Mark a step that reads or writes a service or a file: a flow may retry it."""
    step.talks_to_services = True  # type: ignore[attr-defined]
    return step


def does_io(step: Callable[..., object]) -> bool:
    return bool(getattr(step, "talks_to_services", False))
