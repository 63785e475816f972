"""`rte calendar --dry-run`: the calendar as a table and what would change, without Prefect."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path

import yaml
from typer.testing import CliRunner

from flows.cli import app
from flows.cli.common import DEMO_CONFIG
from reports.ics import render_ics
from tests.calendar_builders import DEMO

runner = CliRunner()


def test_a_dry_run_prints_the_calendar_and_the_holidays_and_writes_nothing(
    tmp_path: Path,
) -> None:
    result = runner.invoke(
        app, ["calendar", "--config", str(DEMO_CONFIG), "--dry-run", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "ART calendar (75 events, times in Europe/Berlin)" in result.output
    assert "Epiphany" in result.output and "Christmas Day" in result.output
    assert f"Dry run: {tmp_path / 'art-calendar.ics'} would be written" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_dry_run_against_the_written_file_says_unchanged(tmp_path: Path) -> None:
    from connectors.config_file import read_config
    from flows.steps.calendar import render_calendar
    from rules.calendar import plan_calendar

    config = read_config(DEMO_CONFIG)
    target = tmp_path / "train.ics"
    written = render_calendar(config, plan_calendar(config).events, target, datetime.now(UTC))
    target.write_bytes(written)  # as the last run wrote it, stamped then
    result = runner.invoke(
        app, ["calendar", "--config", str(DEMO_CONFIG), "--dry-run", "--ics", str(target)]
    )
    assert f"Dry run: {target} unchanged" in result.output
    target.write_bytes(render_ics([], calendar_name="old", tz="UTC"))
    result = runner.invoke(
        app, ["calendar", "--config", str(DEMO_CONFIG), "--dry-run", "--ics", str(target)]
    )
    assert f"Dry run: {target} would be written" in result.output


def test_an_unknown_holiday_region_exits_2_naming_the_field(tmp_path: Path) -> None:
    data = copy.deepcopy(DEMO)
    data["calendar"]["holidays"] = {"country": "DE", "subdivision": "QQ"}
    data["jira"]["export_dir"] = str(DEMO_CONFIG.parent / "jira")
    path = tmp_path / "art.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["calendar", "--config", str(path), "--dry-run"])
    assert result.exit_code == 2
    assert "calendar.holidays.subdivision: is not known" in result.output
