"""A Prefect API for one command: `rte demo --prefect` (and the other one-offs) without a server.

Prefect's own temporary (ephemeral) API runs its server as a child in the
command's process group, so Ctrl-C in the terminal kills the server first;
Prefect then spends minutes retrying to report the interrupted run to a
server that is gone, printing a traceback for each attempt. rte starts the
temporary API itself instead, as a local `prefect server` (API only, on
Prefect's own database in PREFECT_HOME, so its runs are there to see
afterwards) in a session of its own: Ctrl-C reaches only rte, the run is
reported as it ends, and rte stops the server on the way out, whatever the
way out is.

Its runs publish under the machine's lock alone (`flows.runs.run_guard`): a
slot in a server that no process serves any more would never be freed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.ops.local_server import LocalServer, free_port, signals_ignored
from flows.runs.run_guard import TEMPORARY_API
from flows.runs.runtime import prefect_home

SERVER_LOG = "rte-temporary-server.log"


@contextmanager
def temporary_prefect_api(log_dir: Path | None = None) -> Iterator[str]:
    """Start a Prefect API for this process, point Prefect at it, and stop it on exit."""
    log = (log_dir or prefect_home()) / SERVER_LOG
    server = LocalServer(database=None, log=log, port=free_port(), ui=False, services=False)
    previous = {name: os.environ.get(name) for name in ("PREFECT_API_URL", TEMPORARY_API)}
    server.start()
    os.environ.update({"PREFECT_API_URL": server.api_url, TEMPORARY_API: "1"})
    try:
        yield server.api_url
    finally:
        with signals_ignored():  # a second Ctrl-C must not leave the server running
            _drain_prefect_workers()
            server.stop(grace=5.0)
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _drain_prefect_workers(timeout: float = 5.0) -> None:
    """Send what Prefect's background workers still hold (run logs, events) while the server
    is there to take it; at exit they would retry a stopped server for a minute."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=timeout)
    EventsWorker.drain_all(timeout=timeout)
