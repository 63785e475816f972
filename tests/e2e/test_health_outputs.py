"""The nightly flow's outputs: every flow rule and its charts as files and on the page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.demo_copy import copy_demo_config

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

CHARTS = {
    "cumulative-flow.png",
    "wip-by-state.png",
    "aging-wip-feature.png",
    "aging-wip-story.png",
    "program-board.png",  # the current PI's
    "program-board-next.png",  # and the next one's: the demo labels features for it
    "trend-findings.png",  # the trends: the first run backfills the nights before
    "trend-wip.png",
    "forecast.png",
    "capacity.png",
}


def test_the_demo_report_has_every_rule_and_its_charts_are_files_and_attachments(
    tmp_path: Path,
) -> None:
    from flows.nightly_health import nightly_health

    config = copy_demo_config(tmp_path / "art")  # its state there, not in the package
    nightly_health(config_path=str(config), out_dir=str(tmp_path))
    health = json.loads((tmp_path / "health.json").read_text())
    rules = {finding["rule"] for finding in health["findings"]}
    assert rules >= {"wip-limit", "aging-wip", "blocked", "stale", "dependency", "data-quality"}
    assert set(health["metrics"]) >= {
        "flow_metrics",
        "aging_wip",
        "cumulative_flow",
        "forecast",
        "capacity",
    }
    assert rules >= {"forecast-late", "capacity-overload", "capacity-tight"}
    for name in CHARTS:
        png = (tmp_path / name).read_bytes()
        assert png.startswith(b"\x89PNG")
        assert (tmp_path / "pages" / "health-aurora-art_attachments" / name).read_bytes() == png
    html = (tmp_path / "health.html").read_text()
    assert html.count('src="data:image/png;base64,') == len(CHARTS)
    storage = (tmp_path / "pages" / "health-aurora-art.storage.xml").read_text()
    assert all(f'ri:filename="{name}"' in storage for name in CHARTS)
