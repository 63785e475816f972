"""The production path on a real Prefect server: deploy, a process worker, runs, `rte serve`.

One `prefect server start` for the module (127.0.0.1, a free port, SQLite in
a temporary PREFECT_HOME) and one process worker polling every 2 s. The
deployments come from `deployments/prefect.yaml` exactly as the README deploys
them; runs are created and read over the server's REST API. Every process
started here is stopped, and the module fails if one of them is left.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from flows.ops.local_server import (
    PREFECT,
    answers,
    free_port,
    start_child,
    stop_child,
)
from flows.runs.schedules import SCHEDULES
from tests.demo_copy import copy_demo_config
from tests.e2e.prefect_servers import (
    Api,
    offline_env,
    processes_with,
    start_server,
)

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
PREFECT_YAML = ROOT / "deployments" / "prefect.yaml"


@dataclass
class Stack:
    api: Api
    env: dict[str, str]  # what a shell on the worker's machine would have


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("prefect-server")
    server, env = start_server(folder)
    worker = start_child(
        (*PREFECT, "worker", "start", "--pool", "rte", "--type", "process"),
        env={**env, "PREFECT_WORKER_QUERY_SECONDS": "2", "RTE_CHECKOUT": str(ROOT)},
        log=folder / "worker.log",
        cwd=folder,
    )
    api = Api(server.api_url)
    try:
        _wait_for_pool(api, "rte", worker)
        yield Stack(api, env)
    finally:
        stop_child(worker, first=signal.SIGINT, grace=15)
        server.stop()
        assert not group_alive(worker.pid), "the worker's processes are still running"
        assert not processes_with(f"--port\0{server.port}"), "the server is still running"


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for_pool(api: Api, name: str, worker: subprocess.Popen[bytes]) -> None:
    """The worker creates its pool when it starts; deploying needs the pool."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert worker.poll() is None, "the worker exited"
        if api.http.get(f"/work_pools/{name}").status_code == 200:
            return
        time.sleep(0.25)
    raise AssertionError(f"no work pool {name!r} after 60 s")


@pytest.fixture(scope="module")
def deployed(stack: Stack) -> Stack:
    """`prefect deploy --all --prefect-file deployments/prefect.yaml`, as the README says."""
    result = subprocess.run(
        [*PREFECT, "deploy", "--all", "--prefect-file", "deployments/prefect.yaml"],
        cwd=ROOT,
        env=stack.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return stack


def test_the_deployments_carry_the_schedules_in_the_art_time_zone(deployed: Stack) -> None:
    expected = {
        "nightly-health/nightly": [("0 2 * * *", True)],
        "pi-objectives/nightly": [("30 2 * * *", True)],
        "art-calendar/weekly": [("0 3 * * 1", True)],
        "portfolio/nightly": [("0 2 * * *", False), ("30 2 * * *", False), ("0 3 * * 1", False)],
    }
    for name, schedules in expected.items():
        deployment = deployed.api.deployment(name)
        got = [(s["schedule"]["cron"], s["active"]) for s in deployment["schedules"]]
        assert sorted(got) == sorted(schedules), name
        assert {s["schedule"]["timezone"] for s in deployment["schedules"]} == {"Europe/Berlin"}
        assert deployment["work_pool_name"] == "rte"
        # resolved on the worker's machine when a run starts, not when deploying
        assert deployment["pull_steps"] == [
            {
                "prefect.deployments.steps.set_working_directory": {
                    "directory": "{{ $RTE_CHECKOUT }}"
                }
            }
        ]


def test_a_worker_runs_the_three_flows_and_each_leaves_its_artifacts(
    deployed: Stack, tmp_path: Path
) -> None:
    api, out = deployed.api, tmp_path / "out"
    # The deployments' own config_path is the checkout's demo; a copy keeps the state in tmp.
    where = {"config_path": str(copy_demo_config(tmp_path / "art")), "out_dir": str(out)}
    runs = {
        "nightly-health": api.start_run("nightly-health/nightly", **where),
        "pi-objectives": api.start_run("pi-objectives/nightly", **where),
        "art-calendar": api.start_run("art-calendar/weekly", **where),
    }
    states = api.wait(*runs.values())
    for flow, run_id in runs.items():
        assert states[run_id] == "COMPLETED", f"{flow}: {states[run_id]}\n{api.logs(run_id)}"

    health = json.loads((out / "health.json").read_text(encoding="utf-8"))
    assert health["art"] == "Aurora ART" and health["findings"]
    pages = sorted(path.name for path in (out / "pages").glob("*.storage.xml"))
    assert "health-aurora-art.storage.xml" in pages
    assert "objectives-aurora-art-pi-2026-4-art.storage.xml" in pages, pages
    assert (out / "art-calendar.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")

    for flow, run_id in runs.items():
        artifacts = api.artifacts(run_id)
        keys = {artifact["key"] for artifact in artifacts}
        assert {f"aurora-art-{flow}-summary", f"aurora-art-{flow}-findings"} <= keys, keys
        links = [artifact["data"] for artifact in artifacts if artifact["key"] is None]
        assert any("](file://" + str(out) in link for link in links), (flow, links)
    nightly = {a["key"]: a for a in api.artifacts(runs["nightly-health"]) if a["key"]}
    findings = nightly["aurora-art-nightly-health-findings"]["data"]
    rows = json.loads(findings) if isinstance(findings, str) else findings
    assert len(rows) == len(health["findings"])
    summary = nightly["aurora-art-nightly-health-summary"]["data"]
    assert (out / "pages" / "health-aurora-art.html").as_uri() in summary


def test_each_new_critical_finding_arrives_as_a_prefect_event(
    deployed: Stack, tmp_path: Path
) -> None:
    """Two nights of a flow run on the worker: each night's new critical findings arrive as
    `rte.finding.new` events, read back through the Prefect client's events filter."""
    from prefect.client.orchestration import SyncPrefectClient
    from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter

    config = copy_demo_config(tmp_path / "art", name="Events ART", trends={"backfill_days": 0})
    api, out = deployed.api, tmp_path / "out"
    expected: set[tuple[str, str]] = set()
    for night in ("2026-11-19", "2026-11-20"):
        run_id = api.start_run(
            "nightly-health/nightly", config_path=str(config), out_dir=str(out), today=night
        )
        assert api.wait(run_id)[run_id] == "COMPLETED", api.logs(run_id)
        health = json.loads((out / "health.json").read_text(encoding="utf-8"))
        new = health["since_last_run"]["new"]
        expected |= {(f["rule"], f["subject"]) for f in new if f["severity"] == "critical"}
    assert ("blocked", "AUR-89") in expected

    with SyncPrefectClient(deployed.env["PREFECT_API_URL"]) as client:
        deadline = time.monotonic() + 60
        while True:
            wanted = EventFilter(  # made anew each time: it ends at the moment it is made
                event=EventNameFilter(name=["rte.finding.new"]),
                resource=EventResourceFilter(id=["rte.art.events-art"]),
            )
            events = client.read_events(filter=wanted, limit=50).events
            if len(events) >= len(expected) or time.monotonic() > deadline:
                break
            time.sleep(1)  # the server stores events in batches
    arrived = [(event.payload["rule"], event.payload["subject"]) for event in events]
    assert sorted(arrived) == sorted(expected)  # each once: none again on the second night
    blocked = next(event for event in events if event.payload["subject"] == "AUR-89")
    assert blocked.payload["severity"] == "critical"
    assert blocked.payload["url"] == "https://aurora-demo.atlassian.net/browse/AUR-89"
    assert [(r.id, r.role) for r in blocked.related if r.role == "item"] == [
        ("rte.item.AUR-89", "item")
    ]
    assert any(r.role == "flow-run" for r in blocked.related)  # it came from a flow run


def test_a_portfolio_fans_out_one_run_per_art_over_the_pool(
    deployed: Stack, tmp_path: Path
) -> None:
    first = copy_demo_config(tmp_path / "aurora")  # its state stays in tmp, not the package
    second = copy_demo_config(tmp_path / "borealis", name="Borealis ART")
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(
        yaml.safe_dump(
            {
                "arts": [str(first), str(second)],
                "out_dir": str(tmp_path / "out"),
            }
        ),
        encoding="utf-8",
    )
    api = deployed.api
    run_id = api.start_run("portfolio/nightly", portfolio_path=str(portfolio))
    state = api.wait(run_id)[run_id]
    assert state == "COMPLETED", api.logs(run_id)

    for slug in ("aurora-art", "borealis-art"):
        health = json.loads((tmp_path / "out" / slug / "health.json").read_text("utf-8"))
        assert health["findings"], slug
    table = next(a for a in api.artifacts(run_id) if a["key"] == "portfolio-runs")["data"]
    rows = json.loads(table) if isinstance(table, str) else table
    assert sorted((row["art"], row["state"]) for row in rows) == [
        ("Aurora ART", "COMPLETED"),
        ("Borealis ART", "COMPLETED"),
    ]
    assert len({row["id"] for row in rows}) == 2  # two flow runs, not one run doing both


def test_rte_serve_starts_its_own_server_schedules_the_flows_and_stops_cleanly(
    tmp_path: Path,
) -> None:
    config = copy_demo_config(tmp_path / "art")
    port = free_port()
    log = tmp_path / "serve.log"
    rte = str(Path(PREFECT[0]).parent / "rte")
    serve = start_child(
        (
            rte,
            "serve",
            "--config",
            str(config),
            "--out",
            str(tmp_path / "out"),
            "--port",
            str(port),
        ),
        env=offline_env(PREFECT_HOME=str(tmp_path / "home")),  # no profile of the user's
        log=log,
        cwd=tmp_path,
    )
    ui = f"http://127.0.0.1:{port}"
    try:
        _wait_for_text(log, "art-calendar/aurora-art", serve)
        assert f"Prefect UI: {ui}" in log.read_text("utf-8")
        api = Api(f"{ui}/api")
        for schedule in SCHEDULES:
            deployment = _wait_for_deployment(api, f"{schedule.flow}/aurora-art")  # the ART's
            [served] = deployment["schedules"]
            assert served["schedule"] | {"day_or": True} == {
                "cron": schedule.cron,
                "timezone": "Europe/Berlin",
                "day_or": True,
            }
            assert served["active"]
        run_id = api.start_run("art-calendar/aurora-art")
        assert api.wait(run_id)[run_id] == "COMPLETED", api.logs(run_id)
        assert (tmp_path / "out" / "art-calendar.ics").is_file()
        assert (tmp_path / "home" / "prefect.db").is_file()  # Prefect's own, as blocks use
    finally:
        serve.send_signal(signal.SIGTERM)  # as systemd or `kill` would stop it
        try:
            serve.wait(timeout=40)
        finally:
            stop_child(serve, grace=1)
    assert serve.returncode == 0, log.read_text("utf-8")[-3000:]
    assert "Stopping the local Prefect server" in log.read_text("utf-8")
    assert not answers(f"{ui}/api/health")
    assert not processes_with(f"--port\0{port}")  # the server it started is gone too


def _wait_for_text(log: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        content = log.read_text("utf-8") if log.exists() else ""
        if text in content:
            return
        assert process.poll() is None, f"exited with {process.returncode}:\n{content[-3000:]}"
        time.sleep(0.25)
    raise AssertionError(f"{text!r} not in the log after 120 s")


def _wait_for_deployment(api: Api, name: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            return api.deployment(name)
        except httpx.HTTPStatusError:
            time.sleep(0.25)
    raise AssertionError(f"no deployment {name} after 30 s")
