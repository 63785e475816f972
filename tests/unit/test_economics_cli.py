"""`rte rollup`, `rte budget` and `rte readiness` on the demo ART (plain functions, no Prefect)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from flows.cli import app
from flows.cli.common import DEMO_CONFIG
from tests.demo_findings import PLANTED

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_rollup_prints_the_table_and_writes_json_with_the_write_back_plan(tmp_path: Path) -> None:
    out = tmp_path / "rollup.json"
    result = run("rollup", "--config", str(DEMO_CONFIG), "--dry-run", "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "Story points by parent" in result.output
    assert "Write-back to 'Rolled-up Points'" in result.output
    document = json.loads(out.read_text())
    assert (document["art"], document["as_of"]) == ("Aurora ART", "2026-11-20")
    assert document["levels"] == ["story", "feature", "epic"]
    writes = document["write_back"]["writes"]
    assert {write["key"] for write in writes} == set(PLANTED["rollup_points_to_write"])
    assert document["write_back"]["unchanged"] == len(document["rows"]) - len(writes)
    rules = {finding["rule"] for finding in document["findings"]}
    assert rules == {"data-quality", "rollup-variance", "unestimated"}


def test_the_json_is_the_same_bytes_every_run(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    run("budget", "--config", str(DEMO_CONFIG), "--json", str(first))
    run("budget", "--config", str(DEMO_CONFIG), "--json", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_writing_back_needs_a_jira_and_says_so(tmp_path: Path) -> None:
    result = run("rollup", "--config", str(DEMO_CONFIG), "--write-back")
    assert result.exit_code == 2
    assert "--dry-run prints what it would write" in result.output
    assert "Traceback" not in result.output


def demo_config_with(tmp_path: Path, rollup_points: str | None) -> Path:
    """The demo's art.yaml in tmp_path, with another (or no) write-back field."""
    data = yaml.safe_load(DEMO_CONFIG.read_text())
    data["jira"]["fields"]["rollup_points"] = rollup_points
    data["jira"]["export_dir"] = str(DEMO_CONFIG.parent / "jira")
    if data.get("objectives", {}).get("file"):  # relative paths follow the file
        data["objectives"]["file"] = str(DEMO_CONFIG.parent / data["objectives"]["file"])
    config = tmp_path / "art.yaml"
    config.write_text(yaml.safe_dump(data))
    return config


def test_a_write_back_field_jira_does_not_have_is_named_with_its_path(tmp_path: Path) -> None:
    result = run("rollup", "--config", str(demo_config_with(tmp_path, "Rolled Up")))
    assert result.exit_code == 2
    assert "jira.fields.rollup_points: no Jira field has the id or name 'Rolled Up'" in (
        result.output
    )


def test_a_dry_run_without_the_target_field_names_the_field(tmp_path: Path) -> None:
    config = demo_config_with(tmp_path, None)
    result = run("rollup", "--config", str(config), "--dry-run")
    assert result.exit_code == 2
    assert "jira.fields.rollup_points: is required" in result.output
    plain = run("rollup", "--config", str(config))
    assert plain.exit_code == 0, plain.output


def test_budget_and_readiness_write_their_metrics_and_findings(tmp_path: Path) -> None:
    budget_file, readiness_file = tmp_path / "budget.json", tmp_path / "readiness.json"
    budget = run("budget", "--config", str(DEMO_CONFIG), "--json", str(budget_file))
    assert budget.exit_code == 0, budget.output
    assert "Capacity allocation, PI 2026.4" in budget.output
    document = json.loads(budget_file.read_text())
    assert document["pi"] == "PI 2026.4" and document["currency"] == "EUR"
    assert {f["rule"] for f in document["findings"]} == {
        "capacity-allocation",
        "budget",
        "epic-approval",
    }
    readiness = run("readiness", "--config", str(DEMO_CONFIG), "--json", str(readiness_file))
    assert readiness.exit_code == 0, readiness.output
    document = json.loads(readiness_file.read_text())
    assert document["pi"] == "PI 2027.1"
    assert [row["rank"] for row in document["ranking"]][:2] == [1, 2]


def test_a_day_outside_every_pi_is_said_plainly() -> None:
    result = run("budget", "--config", str(DEMO_CONFIG), "--today", "2030-01-01")
    assert result.exit_code == 0, result.output
    assert "is in no PI of cadence.pis" in result.output
    bad = run("budget", "--config", str(DEMO_CONFIG), "--today", "soon")
    assert bad.exit_code == 2 and "--today" in bad.output
