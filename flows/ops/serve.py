"""`rte serve`: the three flows on their schedules from one machine, no work pool needed.

Prefect's `serve` needs a real API: under Prefect's temporary (ephemeral)
server every run it starts launches a second temporary server on the same
database, and the run never shows as finished. So when no API is configured
(`PREFECT_API_URL`, or the active Prefect profile), `rte serve` starts a local
`prefect server` as a child process on Prefect's own database in
PREFECT_HOME, serves against it, and stops it again on Ctrl-C or SIGTERM.
That is the database `rte blocks register` and the one-off `--prefect` runs
use without an API too, so the Secret blocks registered before are there
when the served runs read them. The deployments are named after the ART
(`nightly-health/aurora-art`), so ARTs served against one server keep theirs.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from art.config import ArtConfig
from flows.ops.deploy import ArtDeployment, art_deployments
from flows.ops.local_server import LocalServer, signals_ignored
from flows.runs.runtime import prefect_home
from flows.runs.schedules import run_parameters

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

SERVER_LOG = "prefect-server.log"


def serve_plan(config: ArtConfig, config_path: Path, out_dir: Path) -> list[ArtDeployment]:
    """Every flow's deployment for this ART, with absolute paths (runs may start anywhere)."""
    return art_deployments(config, run_parameters(config_path.resolve(), out_dir.resolve()))


def local_server_for(config: ArtConfig, port: int) -> LocalServer:
    """The local server `rte serve` starts: on Prefect's own database in PREFECT_HOME (where
    `rte blocks register` saves without an API), its log in the state directory."""
    return LocalServer(database=None, log=Path(config.state_dir) / SERVER_LOG, port=port)


def serve_art(
    config: ArtConfig,
    config_path: Path,
    *,
    out_dir: Path,
    port: int,
    echo: Callable[[str], None],
) -> None:
    """Serve the ART's deployments until Ctrl-C or SIGTERM; start and stop a local server
    first if no Prefect API is configured."""
    from prefect.settings import get_current_settings, temporary_settings

    plan = serve_plan(config, config_path, out_dir)
    with _sigterm_exits():
        configured = get_current_settings().api.url
        if configured:
            echo(f"Serving against the Prefect API at {configured}")
            _serve(plan, echo)
            return
        server = local_server_for(config, port)
        echo(
            "No PREFECT_API_URL: starting a local Prefect server on Prefect's own database in "
            f"{prefect_home()} (where `rte blocks register` saves without one)"
        )
        try:
            server.start()
            echo(f"Prefect UI: {server.ui_url}")
            with temporary_settings(updates={"api.url": server.api_url}):
                _serve(plan, echo)
        finally:
            echo("Stopping the local Prefect server")
            with signals_ignored():  # a second Ctrl-C must not leave it running
                server.stop()


def _serve(plan: list[ArtDeployment], echo: Callable[[str], None]) -> None:
    from prefect import serve

    for served in plan:
        echo(f"  {served.describe()}")
    serve(*(runner_deployment(served) for served in plan), print_starting_message=False)


def runner_deployment(served: ArtDeployment) -> RunnerDeployment:
    """The Prefect deployment of one served flow, found by module path (installed code)."""
    from prefect.deployments.runner import EntrypointType

    return served.flow().to_deployment(  # type: ignore[return-value]  # sync here
        name=served.schedule.deployment,
        schedules=served.prefect_schedules(),
        parameters=served.parameters,
        description=served.description(),
        tags=list(served.tags),
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


@contextmanager
def _sigterm_exits() -> Iterator[None]:
    """SIGTERM unwinds like Ctrl-C, so the local server is stopped whenever it comes.

    Prefect's runner installs its own SIGTERM handler while it serves and
    returns cleanly; this one covers the start-up before and the shutdown after.
    """

    def exit_now(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, exit_now)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
