"""A team's own Jira board reaches the nightly health check: read, counted, shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.config_file import read_config
from flows.steps.bootstrap import bootstrap
from reports.flow_json import team_boards_json
from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import cloud, cloud_site, write_art_yaml

__all__ = ["cloud", "cloud_site"]  # fixtures
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]


def test_the_nightly_check_counts_a_team_on_its_own_board(
    cloud: FakeJira, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.nightly_health import nightly_health

    monkeypatch.setenv("JIRA_USER", cloud.user or "")
    monkeypatch.setenv("JIRA_TOKEN", cloud.token)
    cloud.board(21, [("Doing", ["In Progress"], None, 1), ("Done", ["Done"], None, None)])
    config = write_art_yaml(cloud, tmp_path, team_board=21)
    report = nightly_health(config_path=str(config), out_dir=str(tmp_path / "out")).report
    boards = json.loads((tmp_path / "out" / "health.json").read_text())["metrics"]["team_boards"]
    assert boards["own_boards"] == {"Atlas": ["Doing", "Done"]}
    doing = {load["name"]: load for load in boards["teams"]["Atlas"]}["Doing"]
    items = bootstrap(read_config(config), tmp_path).jira.snapshot().items  # judged by hand
    in_progress = [
        item.key
        for item in items
        if (item.team, item.level, item.status) == ("Atlas", "story", "In Progress")
    ]
    assert in_progress and (doing["count"], doing["wip_limit"]) == (len(in_progress), 1)
    assert team_boards_json(report.metrics.flow.team_boards) == boards
