"""Many ARTs, many machines: one flow run per ART, fanned out over a work pool's workers.

The `portfolio` flow reads a portfolio file (`flows.runs.portfolio_config`), sets
the Jira ceiling of every live Jira site the ARTs read (a Prefect rate limit
that each ART's run then honours request by request, `flows.runs.jira_rate`),
and creates one run per ART of the chosen flow's deployment (the one the
portfolio names, else the ART's own, else the flow's shared one). Those runs wait
in the deployment's work pool and any worker of the pool takes them, so the
portfolio scales by adding workers; Prefect does the distributing. It then
waits for them and fails, naming the ARTs, if any of them did not complete.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date
from typing import cast
from uuid import UUID

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound

from flows.runs.artifacts import markdown_text
from flows.runs.jira_rate import set_jira_ceiling
from flows.runs.portfolio_config import Portfolio, read_portfolio
from flows.steps.failures import RunFailed

POLL_SECONDS = 2.0


class PortfolioRunFailed(RunFailed):
    """Some ARTs' runs did not complete; the others did."""


@dataclass(frozen=True)
class ArtRun:
    """The run of one ART: which flow run, and how it ended."""

    art: str
    flow_run_id: UUID
    flow_run_name: str
    deployment: str
    state: str = "SCHEDULED"


@task(cache_policy=NO_CACHE)
def load_portfolio(portfolio_path: str) -> Portfolio:
    """Read the portfolio and validate every ART's config before anything runs."""
    portfolio = read_portfolio(portfolio_path)
    get_run_logger().info("Portfolio of %d ART(s)", len(portfolio.arts))
    return portfolio


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=5)
def set_jira_ceilings(portfolio: Portfolio) -> list[str]:
    """Create or resize the rate limit of each Jira site the ARTs read."""
    ceiling = portfolio.jira_ceiling
    if ceiling is None:
        return []
    names = [
        set_jira_ceiling(url, ceiling.requests_per_second, ceiling.burst)
        for url in portfolio.jira_sites().values()
    ]
    get_run_logger().info(
        "Jira ceiling %.2f request(s)/s (burst %d) on: %s",
        ceiling.requests_per_second,
        ceiling.burst,
        ", ".join(names) or "no live Jira site",
    )
    return names


@task(cache_policy=NO_CACHE, retries=2, retry_delay_seconds=5)
def choose_deployments(portfolio: Portfolio, flow_name: str) -> dict[str, str]:
    """Each ART's deployment of the flow: its first candidate the server has (by ART slug)."""
    chosen = {}
    with get_client(sync_client=True) as client:
        for art in portfolio.arts:
            candidates = portfolio.deployment_candidates(flow_name, art)
            chosen[art.slug] = next(  # the last one is the fallback: no need to ask for it
                (name for name in candidates[:-1] if _exists(client, name)), candidates[-1]
            )
    return chosen


def _exists(client: SyncPrefectClient, deployment: str) -> bool:
    try:
        client.read_deployment_by_name(deployment)
    except ObjectNotFound:
        return False
    return True


@task(cache_policy=NO_CACHE)
def wait_for_runs(runs: list[ArtRun], timeout_seconds: float) -> list[ArtRun]:
    """Poll the ARTs' runs until each has ended (or the time is up)."""
    deadline = time.monotonic() + timeout_seconds
    pending = {run.flow_run_id: run for run in runs}
    ended: dict[UUID, ArtRun] = {}
    with get_client(sync_client=True) as client:
        while pending and time.monotonic() < deadline:
            for run_id, run in list(pending.items()):
                state = client.read_flow_run(run_id).state
                if state is not None and state.is_final():
                    ended[run_id] = replace(run, state=state.type.value)
                    del pending[run_id]
            if pending:
                time.sleep(POLL_SECONDS)
    ended.update({run_id: run for run_id, run in pending.items()})  # still going: as last seen
    return [ended[run.flow_run_id] for run in runs]


@flow(name="portfolio")
def portfolio(
    portfolio_path: str,
    flow_name: str = "nightly-health",
    dry_run: bool = False,
    today: date | None = None,
    timeout_seconds: float = 4 * 3600,
) -> list[ArtRun]:
    """Run one flow for every ART of the portfolio, one flow run per ART, on the work pool."""
    loaded = load_portfolio(portfolio_path)
    deployments = choose_deployments(loaded, flow_name)
    set_jira_ceilings(loaded)
    started = []
    for art in loaded.arts:
        parameters: dict[str, object] = {**loaded.run_parameters(art), "dry_run": dry_run}
        if today is not None:
            parameters["today"] = today
        deployment = deployments[art.slug]
        flow_run = cast(FlowRun, run_deployment(deployment, parameters=parameters, timeout=0))
        started.append(ArtRun(art.config.art.name, flow_run.id, flow_run.name, deployment))
    get_run_logger().info(
        "Started %d run(s) of %s: %s",
        len(started),
        flow_name,
        ", ".join(sorted(set(deployments.values()))),
    )
    runs = wait_for_runs(started, timeout_seconds)
    _leave_artifacts(flow_name, runs)
    failed = [run for run in runs if run.state != "COMPLETED"]
    if failed:
        raise PortfolioRunFailed(
            f"{len(failed)} of {len(runs)} ART run(s) did not complete: "
            + ", ".join(f"{run.art} ({run.flow_run_name}: {run.state})" for run in failed)
        )
    return runs


def _leave_artifacts(flow_name: str, runs: list[ArtRun]) -> None:
    done = sum(1 for run in runs if run.state == "COMPLETED")
    create_markdown_artifact(
        f"### Portfolio: {markdown_text(flow_name)}\n\n{done} of {len(runs)} ART run(s) "
        "completed.\n",
        key="portfolio-summary",
        description="What the portfolio run started and how each ART's run ended.",
    )
    create_table_artifact(
        [
            {
                "art": run.art,
                "deployment": run.deployment,
                "flow run": run.flow_run_name,
                "state": run.state,
                "id": str(run.flow_run_id),
            }
            for run in runs
        ],
        key="portfolio-runs",
        description=f"One run of {flow_name} per ART",
    )
