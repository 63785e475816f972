"""`rte serve`, `rte deploy` and `rte blocks register`: running the train's flows unattended."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import ConfigOption, load_config, say
from flows.cli.errors import RteGroup, ServiceProblem, UsageProblem


def serve(
    config: ConfigOption,
    out: Annotated[Path, typer.Option(help="Folder the runs write into (files backends).")] = Path(
        "out"
    ),
    port: Annotated[
        int, typer.Option(help="Port of the local Prefect server, if one is started.")
    ] = 4200,
) -> None:
    """Run the three flows on their schedules from this machine until Ctrl-C.

    Serves against PREFECT_API_URL (or the active Prefect profile); without
    one, starts a local Prefect server on Prefect's own database in
    PREFECT_HOME (where blocks register saves) and stops it on exit.
    """
    art = load_config(config)
    from flows.runs.runtime import prepare_prefect

    prepare_prefect()
    from flows.ops.local_server import ServerFailed
    from flows.ops.serve import serve_art

    try:
        serve_art(art, config, out_dir=out, port=port, echo=say)
    except ServerFailed as exc:
        raise ServiceProblem(str(exc)) from None


def deploy(
    config: ConfigOption,
    pool: Annotated[
        str,
        typer.Option(help="The work pool whose workers run the flows (its queue 'default')."),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder the runs write into on the worker (default: out/<art> in the "
            "worker's checkout).",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Create or update this ART's three deployments on the Prefect API, for a work pool.

    Named after the ART (nightly-health/<art>), scheduled as art.yaml's
    `schedules:` say in art.timezone; running it again updates them in place.
    """
    from flows.runs.runtime import configured_api_url

    art = load_config(config)
    if not configured_api_url():
        raise UsageProblem(
            "no Prefect API configured: set PREFECT_API_URL (or a Prefect profile's) to the "
            "server your workers use; a deployment on a temporary API would vanish with it"
        )
    from flows.runs.runtime import prepare_prefect

    prepare_prefect(quiet=True)
    from flows.ops.deploy import DeployFailed, DeployProblem, apply_deployments, deploy_plan

    plan = deploy_plan(art, config, pool=pool, out_dir=out)
    try:
        apply_deployments(plan)
    except DeployProblem as exc:
        raise UsageProblem(str(exc)) from None
    except DeployFailed as exc:
        raise ServiceProblem(str(exc)) from None
    for line in [*plan.lines(), *plan.notes]:
        say(line)
    say(
        "start a worker on each machine that may run them, in its checkout: "
        f"RTE_CHECKOUT=$PWD .venv/bin/prefect worker start --pool {pool}"
    )


blocks_app = typer.Typer(
    cls=RteGroup,
    help="Prefect blocks for the credentials art.yaml refers to.",
    no_args_is_help=True,
)


@blocks_app.command("register")
def blocks_register(
    config: ConfigOption,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env",
            help="BLOCK=VARIABLE: take the block's value from VARIABLE (default: the block "
            "name in upper case, jira-token from JIRA_TOKEN). Repeatable.",
        ),
    ] = None,
) -> None:
    """Save a Prefect Secret block for each prefect-secret: reference, from the environment."""
    from flows.ops.blocks import BlocksError, block_sources, register_blocks
    from flows.runs.secret_blocks import save_secret_block

    art = load_config(config)
    pairs = [item.partition("=") for item in env or []]
    if any(not block or not sep or not variable for block, sep, variable in pairs):
        raise UsageProblem("--env: write BLOCK=VARIABLE, e.g. jira-token=JIRA_API_TOKEN")
    try:
        sources = block_sources(art, {block: variable for block, _, variable in pairs})
        if not sources:
            say(f"{config} refers to no prefect-secret: block; nothing to register")
            return
        from flows.runs.runtime import prepare_prefect

        prepare_prefect(quiet=True)
        for line in register_blocks(sources, os.environ, save_secret_block):
            say(f"saved {line}")
    except BlocksError as exc:
        raise UsageProblem(str(exc)) from None
