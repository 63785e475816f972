"""When the flows run: `deployments/prefect.yaml` and `rte serve` follow one list, in the ART's
time zone."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from connectors.config_file import read_config
from flows.cli.common import DEMO_CONFIG
from flows.ops.serve import local_server_for, serve_plan
from flows.runs.schedules import (
    SCHEDULES,
    FlowSchedule,
    art_schedules,
    run_parameters,
    schedule_for,
)
from tests.config_builders import art_config

ROOT = Path(__file__).resolve().parents[2]
PREFECT_YAML = ROOT / "deployments" / "prefect.yaml"


def prefect_yaml() -> dict:
    return yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))


def deployments_by_flow() -> dict[str, dict]:
    """prefect.yaml's deployments by the flow their entrypoint names."""
    found = {}
    for deployment in prefect_yaml()["deployments"]:
        path, _, function = deployment["entrypoint"].partition(":")
        found[function.replace("_", "-")] = deployment
        assert (ROOT / path).is_file(), deployment["entrypoint"]
    return found


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda schedule: schedule.flow)
def test_prefect_yaml_deploys_each_flow_on_its_schedule(schedule: FlowSchedule) -> None:
    deployment = deployments_by_flow()[schedule.flow]
    assert deployment["name"] == schedule.deployment
    assert deployment["entrypoint"] == schedule.entrypoint
    assert [entry["cron"] for entry in deployment["schedules"]] == [schedule.cron]
    assert deployment["work_pool"]["name"] == "rte"
    assert deployment["parameters"] == run_parameters("flows/demo_art/art.yaml", "out")


def test_every_schedule_in_prefect_yaml_is_in_the_demo_art_time_zone() -> None:
    zone = read_config(DEMO_CONFIG).art.timezone
    zones = {
        entry["timezone"]
        for deployment in prefect_yaml()["deployments"]
        for entry in deployment["schedules"]
    }
    assert zones == {zone} == {"Europe/Berlin"}


def test_the_portfolio_runs_each_flow_at_that_flow_time_switched_off_until_wanted() -> None:
    portfolio = deployments_by_flow()["portfolio"]
    expected = [(schedule.cron, schedule.flow) for schedule in SCHEDULES]
    got = [(entry["cron"], entry["parameters"]["flow_name"]) for entry in portfolio["schedules"]]
    assert got == expected
    assert not any(entry["active"] for entry in portfolio["schedules"])
    assert (ROOT / portfolio["parameters"]["portfolio_path"]).is_file()


def test_runs_start_in_the_worker_checkout_named_on_its_machine() -> None:
    assert prefect_yaml()["pull"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": "{{ $RTE_CHECKOUT }}"}}
    ]


def test_serve_uses_the_art_time_zone_and_absolute_paths(tmp_path: Path) -> None:
    config = art_config(art={"name": "Pacific ART", "timezone": "America/Los_Angeles"})
    plan = serve_plan(config, Path("art.yaml"), Path("out"))
    assert [served.schedule for served in plan] == list(art_schedules(config))
    assert {served.schedule.deployment for served in plan} == {"pacific-art"}
    assert {served.timezone for served in plan} == {"America/Los_Angeles"}
    parameters = plan[0].parameters
    assert Path(parameters["config_path"]).is_absolute()
    assert Path(parameters["out_dir"]) == Path("out").resolve()
    assert plan[0].describe() == (
        "nightly-health/pacific-art: every night at 02:00 (0 2 * * *, America/Los_Angeles)"
    )


def test_the_local_server_uses_prefects_own_database_and_logs_in_the_state_directory(
    tmp_path: Path,
) -> None:
    config = art_config(state_dir=str(tmp_path / "state"))
    server = local_server_for(config, 4321)
    assert server.database is None  # Prefect's own, in PREFECT_HOME, where blocks are saved
    assert server.log == tmp_path / "state" / "prefect-server.log"
    assert (server.ui_url, server.api_url) == ("http://127.0.0.1:4321", "http://127.0.0.1:4321/api")


def test_an_unknown_flow_is_named_with_those_there_are() -> None:
    assert schedule_for("art-calendar").cron == "0 3 * * 1"
    with pytest.raises(ValueError, match="no flow named 'nightly' \\(flows: nightly-health, "):
        schedule_for("nightly")
