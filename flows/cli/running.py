"""How a one-off command runs a flow's pipeline: in this process, or as a Prefect flow run.

Without a Prefect API configured (no `PREFECT_API_URL`, no profile naming
one), `rte demo`, `rte health`, `rte objectives` and `rte calendar` run the
flow's own pipeline in this process, with the same steps in the same order,
in seconds: nothing is recorded in Prefect, and the command says so. With an
API configured, or `--prefect`, they run the flow itself as a Prefect flow run
(on Prefect's temporary API when none is configured), which the Prefect UI
shows like a scheduled one.

Either way only one run per flow and ART publishes at a time: in process,
the machine's lock in the state directory guards it; a flow run holds the
same lock and, on a Prefect server, the slot of `flows.runs.run_guard`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.cli.common import console, load_config, say
from flows.runs.runtime import configured_api_url

if TYPE_CHECKING:
    from art.config import ArtConfig

NOT_RECORDED = (
    "Not recorded in Prefect: no Prefect API is configured (set PREFECT_API_URL, "
    "or pass --prefect to run as Prefect flow runs)"
)


@dataclass
class RunMode:
    """Whether this command runs as Prefect flow runs, and how loudly."""

    prefect: bool
    verbose: bool
    announced: bool = False  # in process: said once, before the first run's output

    @classmethod
    @contextmanager
    def choose(cls, *, prefect: bool, verbose: bool) -> Iterator[RunMode]:
        """Prefect when asked for or configured, else in process, for the command's runs.

        Asked for with no API configured, the runs get a temporary one that lives as
        long as the command (`flows.ops.temporary_api`).
        """
        configured = configured_api_url() is not None
        mode = cls(prefect=prefect or configured, verbose=verbose)
        if not mode.prefect:
            if verbose:
                _show_step_logs()
            yield mode
            return
        from flows.runs.runtime import prepare_prefect

        prepare_prefect(quiet=not verbose)
        if configured:
            yield mode
            return
        from flows.ops.temporary_api import temporary_prefect_api

        with ExitStack() as stack:
            with console.status("Starting a temporary Prefect API ..."):
                stack.enter_context(temporary_prefect_api())
            yield mode

    def run(
        self,
        pipeline: Pipeline,
        config_path: Path,
        *,
        out: Path,
        dry_run: bool,
        ics_file: Path | None = None,
        **arguments: Any,
    ) -> Any:
        """The pipeline on `config_path`, in process or as a run of its flow; `arguments`
        go to both (the flow also gets `ics_file`, which in process picks the adapter)."""
        if self.prefect:
            flow = _imported(pipeline.flow)
            if ics_file is not None:
                arguments["ics_file"] = str(ics_file)
            with console.status(f"Running {pipeline.name} as a Prefect flow run ..."):
                return flow(
                    config_path=str(config_path), out_dir=str(out), dry_run=dry_run, **arguments
                )
        config = load_config(config_path)
        if not self.announced:
            say(NOT_RECORDED)
            self.announced = True
        from flows.runs.secret_blocks import prefect_secrets
        from flows.steps.bootstrap import bootstrap

        adapters = bootstrap(config, out, secrets=prefect_secrets(), ics_file=ics_file)
        with _machine_lock(pipeline.name, config, dry_run):
            return _imported(pipeline.steps)(adapters, dry_run=dry_run, **arguments)


@dataclass(frozen=True)
class Pipeline:
    """A flow's pipeline: the flow's name, the steps' function and the flow's, as
    "module:function" (the flow's module imports Prefect: only a flow run loads it)."""

    name: str
    steps: str
    flow: str


HEALTH = Pipeline(
    "nightly-health", "flows.steps.health_check:check_health", "flows.nightly_health:nightly_health"
)
OBJECTIVES = Pipeline(
    "pi-objectives",
    "flows.steps.objective_pages:publish_objectives",
    "flows.pi_objectives:pi_objectives",
)
CALENDAR = Pipeline(
    "art-calendar",
    "flows.steps.calendar_publish:publish_calendar",
    "flows.art_calendar:art_calendar",
)


def _imported(where: str) -> Callable[..., Any]:
    module, _, name = where.partition(":")
    function: Callable[..., Any] = getattr(import_module(module), name)
    return function


@contextmanager
def _machine_lock(flow: str, config: ArtConfig, dry_run: bool) -> Iterator[None]:
    """The lock a flow run of `flow` would hold on this machine (none for a dry run)."""
    if dry_run:
        yield
        return
    from flows.runs.run_guard import wait_from_environment
    from flows.runs.run_lock import machine_lock

    wait = wait_from_environment()
    with machine_lock(config.state_dir, flow, config.art.name, wait_seconds=wait):
        yield


def _show_step_logs() -> None:
    """--verbose in process: the steps' log lines on stderr, as a flow run would show them."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s | %(name)s - %(message)s")
    from flows.runs.runtime import RTE_LOGGERS

    for name in RTE_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
