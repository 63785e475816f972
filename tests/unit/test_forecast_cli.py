"""`rte forecast` and `rte readiness`'s capacity on the demo ART (plain functions, no Prefect)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from flows.cli.common import DEMO_CONFIG
from tests.demo_findings import PLANTED

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_forecast_prints_the_outlook_and_writes_the_same_json_every_run(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    result = run("forecast", "--config", str(DEMO_CONFIG), "--json", str(first))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("By the end of PI 2026.4 (2026-12-13), ")
    assert "Open features of PI 2026.4, in rank order" in result.output
    assert "Team throughput, the last 90 days" in result.output
    document = json.loads(first.read_text())
    assert (document["art"], document["as_of"], document["pi"]) == (
        "Aurora ART",
        "2026-11-20",
        "PI 2026.4",
    )
    assert {row["key"] for row in document["features"]} >= set(
        PLANTED["feature_in_pi_without_stories"]
    )
    assert {finding["rule"] for finding in document["findings"]} == {"forecast-late"}
    run("forecast", "--config", str(DEMO_CONFIG), "--json", str(second))
    assert first.read_bytes() == second.read_bytes()  # seeded: the same futures every run


def test_a_day_in_no_pi_is_said_plainly() -> None:
    result = run("forecast", "--config", str(DEMO_CONFIG), "--today", "2030-01-01")
    assert result.exit_code == 0, result.output
    assert "No forecast: 2030-01-01 is in no PI of cadence.pis." in result.output


def test_readiness_opens_with_the_bottlenecks_and_shows_each_teams_load(tmp_path: Path) -> None:
    out = tmp_path / "readiness.json"
    result = run("readiness", "--config", str(DEMO_CONFIG), "--json", str(out))
    assert result.exit_code == 0, result.output
    first_line = result.output.splitlines()[0]
    assert first_line == (
        "Bottlenecks for PI 2027.1: Falcon at 132.3 % of its capacity, Draco at 97.3 %."
    )
    assert "Load against capacity, PI 2027.1" in result.output
    document = json.loads(out.read_text())
    assert document["capacity"]["bottlenecks"] == ["Falcon", "Draco"]
    rules = {finding["rule"] for finding in document["findings"]}
    assert {"capacity-overload", "capacity-tight", "readiness"} <= rules
