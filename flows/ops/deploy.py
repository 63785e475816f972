"""`rte deploy`: one ART's three deployments on a Prefect server, for a work pool's workers.

What `deployments/prefect.yaml` writes out for the demo ART, built for any ART
from its art.yaml: the checkout's entrypoints (`flows/nightly_health.py:
nightly_health`, ...), the pull step that changes into the worker's own
checkout (`{{ $RTE_CHECKOUT }}`, filled in on the worker's machine when a run
starts), the work pool given and its queue `default`, the crons of
`schedules:` in the ART's time zone, tags `rte` and the ART's slug, and the
parameters `config_path` and `out_dir`. They are named after the ART
(`nightly-health/aurora-art`), so ARTs sharing a server keep theirs apart,
and deploying again updates them in place: Prefect finds a deployment by its
flow and name.

Prefect's own `RunnerDeployment.from_storage(...).apply()` creates them. The
storage is this checkout (`CheckoutStorage`): Prefect reads each flow from it
for its parameters, and asks it for the pull step; nothing is built, pushed
or cloned. `ArtDeployment` is also what `rte serve` serves.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from art.config import ArtConfig
from flows.runs.schedules import (
    FlowSchedule,
    art_deployment_name,
    art_schedules,
    run_parameters,
    run_path,
)

if TYPE_CHECKING:
    from prefect import Flow
    from prefect.schedules import Schedule

CHECKOUT = Path(__file__).resolve().parents[2]
PULL_STEPS = [
    {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $RTE_CHECKOUT }}"}}
]
WORK_QUEUE = "default"


class DeployProblem(Exception):
    """What was asked cannot be deployed as given (no such work pool); the message says what
    to do."""


class DeployFailed(Exception):
    """The Prefect API could not be reached, or refused the deployment."""


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


@dataclass(frozen=True)
class DeployPlan:
    """What `rte deploy` applies, and what it says about it."""

    pool: str
    deployments: list[ArtDeployment]
    notes: list[str]

    def lines(self) -> list[str]:
        return [f"deployed {d.describe()} on work pool {self.pool}" for d in self.deployments]


def deploy_plan(
    config: ArtConfig,
    config_path: Path,
    *,
    pool: str,
    out_dir: Path | None = None,
    checkout: Path = CHECKOUT,
) -> DeployPlan:
    """The ART's deployments on `pool`. Paths inside the checkout are given relative to it
    (each worker resolves them in its own checkout); the output goes to out/<art> there
    unless `out_dir` says otherwise."""
    out = (
        out_dir if out_dir is not None else checkout / "out" / art_deployment_name(config.art.name)
    )
    config_run_path = run_path(config_path, checkout)
    notes = []
    if Path(config_run_path).is_absolute():
        notes.append(
            f"note: {config_run_path} is outside the checkout {checkout}: every worker of "
            f"'{pool}' must see it at that path"
        )
    parameters = run_parameters(config_run_path, run_path(out, checkout))
    return DeployPlan(pool, art_deployments(config, parameters), notes)


class CheckoutStorage:
    """Prefect's `RunnerStorage` for code already on every worker: this checkout here, while
    deploying; the worker's own checkout, `{{ $RTE_CHECKOUT }}`, when a run starts."""

    def __init__(self, checkout: Path) -> None:
        self._checkout = checkout

    @property
    def destination(self) -> Path:
        return self._checkout

    @property
    def pull_interval(self) -> int | None:
        return None

    def set_base_path(self, path: Path) -> None:
        """Nothing is pulled, so nothing goes to Prefect's temporary folder."""

    async def pull_code(self) -> None:
        """The code is in the checkout already."""

    def to_pull_step(self) -> list[dict[str, Any]]:
        return copy.deepcopy(PULL_STEPS)


def apply_deployments(plan: DeployPlan, checkout: Path = CHECKOUT) -> None:
    """Create or update every deployment of the plan on the configured Prefect API."""
    import httpx
    from prefect.deployments.runner import DeploymentApplyError, RunnerDeployment
    from prefect.settings import get_current_settings

    api = get_current_settings().api.url
    storage = CheckoutStorage(checkout)
    try:
        _check_pool(plan.pool)
        for deployment in plan.deployments:
            schedule = deployment.schedule
            runner = cast(  # the sync variant: this is no coroutine
                RunnerDeployment,
                RunnerDeployment.from_storage(
                    storage=storage,
                    entrypoint=schedule.entrypoint,
                    name=schedule.deployment,
                    schedules=deployment.prefect_schedules(),
                    parameters=deployment.parameters,
                    description=deployment.description(),
                    tags=list(deployment.tags),
                    work_pool_name=plan.pool,
                    work_queue_name=WORK_QUEUE,
                ),
            )
            runner.apply()
    except httpx.TransportError as exc:
        raise DeployFailed(f"cannot reach the Prefect API at {api}: {exc}") from None
    except (httpx.HTTPError, DeploymentApplyError) as exc:
        raise DeployFailed(f"the Prefect API at {api} refused the deployments: {exc}") from None


def _check_pool(pool: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(pool)
        except ObjectNotFound:
            api = str(client.api_url).rstrip("/")
            raise DeployProblem(
                f"there is no work pool '{pool}' on {api}; create it once with "
                f"`prefect work-pool create {pool} --type process`, or name another with --pool"
            ) from None
