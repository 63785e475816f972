"""`rte deploy` on a real Prefect server: three deployments per ART, updated in place.

One `prefect server start` for the module (127.0.0.1, a free port, SQLite in
a temporary PREFECT_HOME) with a process work pool; `rte deploy` runs as the
command a person types, and the deployments are read back over the server's
REST API. The worker that runs such deployments is tested with the same pull
step and entrypoints in `test_prefect_server.py`.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.cli.common import DEMO_CONFIG
from flows.ops.local_server import PREFECT, free_port
from tests.demo_copy import copy_demo_config
from tests.e2e.prefect_servers import Api, offline_env, processes_with, start_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
RTE = str(Path(PREFECT[0]).parent / "rte")
POOL = "rte-deploy"
PULL_STEPS = [
    {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $RTE_CHECKOUT }}"}}
]
ENTRYPOINTS = {
    "nightly-health": "flows/nightly_health.py:nightly_health",
    "pi-objectives": "flows/pi_objectives.py:pi_objectives",
    "art-calendar": "flows/art_calendar.py:art_calendar",
}


@dataclass
class Server:
    api: Api
    env: dict[str, str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    local, env = start_server(tmp_path_factory.mktemp("deploy-server"))
    try:
        api = Api(local.api_url)
        api.http.post("/work_pools/", json={"name": POOL, "type": "process"}).raise_for_status()
        yield Server(api, env)
    finally:
        local.stop()
        assert not processes_with(f"--port\0{local.port}"), "the server is still running"


def rte_deploy(env: dict[str, str], config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RTE, "deploy", "--config", str(config), "--pool", POOL],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo_deployed(server: Server) -> subprocess.CompletedProcess[str]:
    """`rte deploy` of the demo ART, from its art.yaml in the checkout."""
    return rte_deploy(server.env, DEMO_CONFIG)


def deployments(api: Api, tag: str) -> dict[str, dict[str, Any]]:
    """The server's deployments tagged `tag`, by full name."""
    answer = api.http.post(
        "/deployments/filter", json={"deployments": {"tags": {"all_": ["rte", tag]}}}
    )
    answer.raise_for_status()
    flows = {flow["id"]: flow["name"] for flow in api.http.post("/flows/filter", json={}).json()}
    return {f"{flows[d['flow_id']]}/{d['name']}": d for d in answer.json()}


def schedules(deployment: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [
        (s["schedule"]["cron"], s["schedule"]["timezone"], s["active"])
        for s in deployment["schedules"]
    ]


def test_the_demo_art_gets_its_three_deployments_on_the_pool(
    server: Server, demo_deployed: subprocess.CompletedProcess[str]
) -> None:
    result = demo_deployed
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        "deployed nightly-health/aurora-art: every night at 02:00 (0 2 * * *, Europe/Berlin) "
        f"on work pool {POOL}",
        "deployed pi-objectives/aurora-art: every night at 02:30 (30 2 * * *, Europe/Berlin) "
        f"on work pool {POOL}",
        "deployed art-calendar/aurora-art: every Monday at 03:00 (0 3 * * 1, Europe/Berlin) "
        f"on work pool {POOL}",
        "start a worker on each machine that may run them, in its checkout: "
        f"RTE_CHECKOUT=$PWD .venv/bin/prefect worker start --pool {POOL}",
    ]
    found = deployments(server.api, "aurora-art")
    assert sorted(found) == sorted(f"{flow}/aurora-art" for flow in ENTRYPOINTS)
    crons = {"nightly-health": "0 2 * * *", "pi-objectives": "30 2 * * *"}
    for name, deployment in found.items():
        flow = name.partition("/")[0]
        assert deployment["entrypoint"] == ENTRYPOINTS[flow]
        assert deployment["pull_steps"] == PULL_STEPS  # filled in on the worker, not here
        assert (deployment["work_pool_name"], deployment["work_queue_name"]) == (POOL, "default")
        assert schedules(deployment) == [(crons.get(flow, "0 3 * * 1"), "Europe/Berlin", True)]
        assert deployment["parameters"] == {  # relative: each worker's own checkout
            "config_path": "flows/demo_art/art.yaml",
            "out_dir": "out/aurora-art",
        }
        assert sorted(deployment["tags"]) == ["aurora-art", "rte"]


def test_deploying_again_updates_the_art_in_place_and_leaves_other_arts_be(
    server: Server, tmp_path: Path
) -> None:
    config = copy_demo_config(tmp_path / "borealis", name="Borealis ART")
    first = rte_deploy(server.env, config)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"note: {config} is outside the checkout" in first.stdout
    before = deployments(server.api, "borealis-art")

    data = yaml.safe_load(config.read_text("utf-8"))
    data["schedules"] = {
        "nightly_health": {"cron": "15 5 * * 1-5"},
        "art_calendar": {"active": False},
    }
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    second = rte_deploy(server.env, config)
    assert second.returncode == 0, second.stdout + second.stderr
    assert second.stdout.splitlines()[0] == (
        "deployed nightly-health/borealis-art: Monday to Friday at 05:15 "
        f"(15 5 * * 1-5, Europe/Berlin) on work pool {POOL}"
    )

    after = deployments(server.api, "borealis-art")
    assert {name: d["id"] for name, d in after.items()} == {
        name: d["id"] for name, d in before.items()
    }  # the same three, updated
    assert schedules(after["nightly-health/borealis-art"]) == [
        ("15 5 * * 1-5", "Europe/Berlin", True)
    ]
    assert schedules(after["art-calendar/borealis-art"]) == [("0 3 * * 1", "Europe/Berlin", False)]
    assert after["art-calendar/borealis-art"]["parameters"]["config_path"] == str(config)
    assert len(deployments(server.api, "rte")) == 6  # Aurora's three are still there


def test_a_portfolio_run_goes_through_each_art_own_deployment(
    server: Server, demo_deployed: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    """Aurora is deployed: its own deployment; Cygnus is not: the flow's shared one."""
    assert demo_deployed.returncode == 0
    cygnus = copy_demo_config(tmp_path / "cygnus", name="Cygnus ART")
    portfolio = tmp_path / "portfolio.yaml"
    arts = [str(DEMO_CONFIG), str(cygnus)]
    portfolio.write_text(yaml.safe_dump({"arts": arts}), encoding="utf-8")
    script = (
        "from flows.portfolio import choose_deployments\n"
        "from flows.runs.portfolio_config import read_portfolio\n"
        f"loaded = read_portfolio({str(portfolio)!r})\n"
        "print(sorted(choose_deployments.fn(loaded, 'art-calendar').items()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == str(
        [("aurora-art", "art-calendar/aurora-art"), ("cygnus-art", "art-calendar/weekly")]
    )


def test_without_a_prefect_api_it_says_what_to_set(tmp_path: Path) -> None:
    env = offline_env(PREFECT_HOME=str(tmp_path / "home"))  # no profile of the user's
    result = rte_deploy(env, DEMO_CONFIG)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "rte deploy: no Prefect API configured: set PREFECT_API_URL (or a Prefect profile's) "
        "to the server your workers use; a deployment on a temporary API would vanish with it"
    ]


def test_an_api_that_does_not_answer_is_one_line(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{free_port()}/api"  # nobody listens there
    result = rte_deploy(
        offline_env(PREFECT_HOME=str(tmp_path / "home"), PREFECT_API_URL=api), DEMO_CONFIG
    )
    assert (result.returncode, result.stdout) == (1, "")
    [line] = result.stderr.splitlines()
    assert line.startswith(f"rte deploy: cannot reach the Prefect API at {api}: "), line
