"""A real Prefect server for the e2e tests: started in a folder of the test's own, talked
to over its REST API, and the processes it leaves (if any) found by their command line."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx

from connectors.http import RequestCounter, RetryPolicy
from connectors.http_httpx import RetryingTransport
from flows.ops.local_server import LocalServer, child_environment, free_port

FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
RUN_TIMEOUT = 150.0
# Prefect's server answers 503 while SQLite is locked (the request was not processed);
# its own client waits and asks again, and so does this test's.
SERVER_BUSY = RetryPolicy(
    attempts=6,
    total_seconds=60,
    backoff_initial=0.5,
    backoff_max=5,
    read_timeout=30,
    retry_statuses=frozenset({429, 503}),
    retry_unsafe_methods=False,
)


def offline_env(**settings: str) -> dict[str, str]:
    """This process's environment without any Prefect setting of its own, plus `settings`."""
    base = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    return child_environment(base, PREFECT_UI_ENABLED="false", **settings)


class Api:
    """The few REST calls the tests need, straight over HTTP."""

    def __init__(self, url: str) -> None:
        # A busy server answers 503 (SQLite locked) as Prefect's own client expects: retried.
        transport = RetryingTransport(SERVER_BUSY, RequestCounter())
        self.http = httpx.Client(base_url=url, timeout=30, transport=transport)

    def deployment(self, full_name: str) -> dict[str, Any]:
        answer = self.http.get(f"/deployments/name/{full_name}")
        answer.raise_for_status()
        return dict(answer.json())

    def start_run(self, full_name: str, **parameters: Any) -> str:
        deployment = self.deployment(full_name)
        answer = self.http.post(
            f"/deployments/{deployment['id']}/create_flow_run", json={"parameters": parameters}
        )
        answer.raise_for_status()
        return str(answer.json()["id"])

    def wait(self, *run_ids: str, timeout: float = RUN_TIMEOUT) -> dict[str, str]:
        """Each run's final state type (or its last one when the time is up)."""
        deadline = time.monotonic() + timeout
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            states = {run_id: self.state(run_id) for run_id in run_ids}
            if set(states.values()) <= FINAL:
                break
            time.sleep(0.5)
        return states

    def state(self, run_id: str) -> str:
        answer = self.http.get(f"/flow_runs/{run_id}")
        answer.raise_for_status()
        return str(answer.json()["state_type"])

    def artifacts(self, run_id: str) -> list[dict[str, Any]]:
        answer = self.http.post(
            "/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run_id]}}}
        )
        answer.raise_for_status()
        return list(answer.json())

    def logs(self, run_id: str) -> str:
        answer = self.http.post("/logs/filter", json={"logs": {"flow_run_id": {"any_": [run_id]}}})
        return "\n".join(entry["message"] for entry in answer.json())


def start_server(folder: Path) -> tuple[LocalServer, dict[str, str]]:
    """A started server of a test module's own (SQLite and PREFECT_HOME in `folder`), and the
    environment of a shell that uses it."""
    home = folder / "home"
    server = LocalServer(
        database=folder / "prefect.db",
        log=folder / "server.log",
        port=free_port(),
        ui=False,
        extra_env={"PREFECT_HOME": str(home)},
    )
    server.start()
    return server, offline_env(PREFECT_API_URL=server.api_url, PREFECT_HOME=str(home))


def processes_with(text: str) -> list[int]:
    """Processes whose command line holds `text` (arguments joined by NUL)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found
