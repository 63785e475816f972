"""An ART's own schedules: `schedules:` in art.yaml over the one table of flows, said in
words, and the deployments `rte deploy` builds from them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from art.config import SchedulesConfig
from flows.ops.deploy import PULL_STEPS, CheckoutStorage, deploy_plan
from flows.runs.portfolio_config import read_portfolio
from flows.runs.runtime import prepare_prefect
from flows.runs.schedules import SCHEDULES, art_schedules, describe_cron
from tests.config_builders import art_config

ROOT = Path(__file__).resolve().parents[2]


def test_each_flow_of_the_table_has_its_key_under_schedules() -> None:
    assert list(SchedulesConfig.model_fields) == [s.config_key for s in SCHEDULES]


def test_without_schedules_the_art_runs_each_flow_at_its_usual_time_under_its_own_name() -> None:
    schedules = art_schedules(art_config(art={"name": "Aurora ART"}))
    assert [(s.flow, s.cron, s.active) for s in schedules] == [
        (s.flow, s.cron, True) for s in SCHEDULES
    ]
    assert [s.full_name for s in schedules] == [
        "nightly-health/aurora-art",
        "pi-objectives/aurora-art",
        "art-calendar/aurora-art",
    ]


def test_the_config_moves_one_flow_and_switches_another_off() -> None:
    config = art_config(
        schedules={
            "nightly_health": {"cron": "0  6 * * 1-5"},
            "art_calendar": {"active": False},
        }
    )
    nightly, objectives, calendar = art_schedules(config)
    assert (nightly.cron, nightly.active, nightly.when) == (
        "0 6 * * 1-5",
        True,
        "Monday to Friday at 06:00",
    )
    assert (objectives.cron, objectives.active) == ("30 2 * * *", True)
    assert (calendar.cron, calendar.active) == ("0 3 * * 1", False)
    assert calendar.describe("Europe/Berlin") == (
        "art-calendar/test-art: every Monday at 03:00 (0 3 * * 1, Europe/Berlin, switched off)"
    )


@pytest.mark.parametrize(
    ("cron", "words"),
    [
        ("0 2 * * *", "every night at 02:00"),
        ("30 2 * * *", "every night at 02:30"),
        ("0 7 * * *", "every day at 07:00"),
        ("0 3 * * 1", "every Monday at 03:00"),
        ("0 8 * * 7", "every Sunday at 08:00"),
        ("15 7 * * mon,wed,FRI", "every Monday, Wednesday and Friday at 07:15"),
        ("0 6 * * 1-5", "Monday to Friday at 06:00"),
        ("0 4 1 * *", "on day 1 of each month at 04:00"),
        ("*/15 * * * *", "on its cron schedule"),
        ("0 2 * * */2", "on its cron schedule"),
        ("0 2 1 1 *", "on its cron schedule"),
    ],
)
def test_a_cron_in_words(cron: str, words: str) -> None:
    assert describe_cron(cron) == words


def test_a_config_in_the_checkout_is_named_relative_to_it(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    config = art_config(art={"name": "Aurora ART", "timezone": "Europe/Berlin"})
    plan = deploy_plan(config, checkout / "arts" / "art.yaml", pool="rte", checkout=checkout)
    assert plan.notes == []
    assert {d.timezone for d in plan.deployments} == {"Europe/Berlin"}
    assert {d.tags for d in plan.deployments} == {("rte", "aurora-art")}
    assert [d.parameters for d in plan.deployments] == 3 * [
        {"config_path": "arts/art.yaml", "out_dir": "out/aurora-art"}
    ]
    assert plan.lines()[2] == (
        "deployed art-calendar/aurora-art: every Monday at 03:00 (0 3 * * 1, Europe/Berlin) "
        "on work pool rte"
    )


def test_a_config_outside_the_checkout_is_absolute_with_a_note(tmp_path: Path) -> None:
    checkout, elsewhere = tmp_path / "checkout", tmp_path / "srv" / "art.yaml"
    plan = deploy_plan(
        art_config(), elsewhere, pool="zone-b", out_dir=tmp_path / "out", checkout=checkout
    )
    assert plan.deployments[0].parameters == {
        "config_path": str(elsewhere),
        "out_dir": str(tmp_path / "out"),
    }
    assert plan.notes == [
        f"note: {elsewhere} is outside the checkout {checkout}: every worker of 'zone-b' "
        "must see it at that path"
    ]


def test_the_deployments_pull_step_is_the_one_of_prefect_yaml() -> None:
    prepare_prefect(quiet=True)
    from prefect.runner.storage import RunnerStorage

    storage = CheckoutStorage(ROOT)
    assert isinstance(storage, RunnerStorage)
    prefect_yaml = yaml.safe_load((ROOT / "deployments" / "prefect.yaml").read_text("utf-8"))
    assert storage.to_pull_step() == PULL_STEPS == prefect_yaml["pull"]
    assert storage.destination == ROOT


def test_a_portfolio_runs_each_art_through_its_own_deployment_before_the_shared_one(
    tmp_path: Path,
) -> None:
    demo = ROOT / "flows" / "demo_art" / "art.yaml"
    path = tmp_path / "portfolio.yaml"
    path.write_text(yaml.safe_dump({"arts": [str(demo)]}), encoding="utf-8")
    [art] = read_portfolio(path).arts
    assert read_portfolio(path).deployment_candidates("art-calendar", art) == (
        "art-calendar/aurora-art",
        "art-calendar/weekly",
    )
    named = {"arts": [str(demo)], "deployments": {"art-calendar": "art-calendar/zone-b"}}
    path.write_text(yaml.safe_dump(named), encoding="utf-8")
    assert read_portfolio(path).deployment_candidates("art-calendar", art) == (
        "art-calendar/zone-b",
    )
