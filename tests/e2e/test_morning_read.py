"""`rte health` on a copy of the demo ART, two nights in a row, as an RTE's mornings see it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from flows.cli.common import DEMO_CONFIG
from tests.demo_copy import copy_demo_config

pytestmark = pytest.mark.e2e

RTE = Path(sys.executable).parent / "rte"
SITE = "https://aurora-demo.atlassian.net"


def rte(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    return subprocess.run(
        [str(RTE), *args],
        env={**env, "PREFECT_HOME": str(cwd / "prefect-home")},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=240,
    )


def labelled_features(label: str) -> set[str]:
    """The demo export's features (and enablers) with `label`, read from its search pages."""
    pages = sorted((DEMO_CONFIG.parent / "jira").glob("search-page-*.json"))
    issues = [issue for page in pages for issue in json.loads(page.read_text())["issues"]]
    return {
        issue["key"]
        for issue in issues
        if issue["fields"]["issuetype"]["name"] in {"Feature", "Enabler"}
        and label in issue["fields"].get("labels", [])
    }


def health(config: Path, out: Path, today: str) -> dict[str, Any]:
    result = rte(
        "health", "--config", str(config), "--out", str(out), "--today", today, cwd=out.parent
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return dict(json.loads((out / "health.json").read_text(encoding="utf-8")))


def test_two_mornings_give_the_act_today_list_links_changes_pi_progress_and_trends(
    tmp_path: Path,
) -> None:
    config = copy_demo_config(tmp_path / "art")
    out = tmp_path / "out"
    first = health(config, out, "2026-11-19")
    assert first["since_last_run"]["previous"] is None
    backfilled = first["metrics"]["trends"]
    assert len(backfilled["nights"]) == 30  # the window: 29 nights replayed, and its own
    assert backfilled["replayed"] == backfilled["nights"][:-1]
    second = health(config, out, "2026-11-20")

    subjects = [entry["subject"] for entry in second["act_today"]]
    assert subjects and len(subjects) == len(set(subjects))  # one entry per item
    assert second["act_today"][0]["severity"] == "critical"
    linked = [f for f in second["findings"] if "item" in f]
    assert linked and all(f["item"]["url"] == f"{SITE}/browse/{f['item']['key']}" for f in linked)
    # an item's own findings, or a red string's ("AUR-1 blocks AUR-2"): its blocker
    assert all(f["subject"].split()[0] == f["item"]["key"] for f in linked)
    assert any(f["rule"] == "dependency" for f in linked)
    assert all(f["item"]["assignee"] for f in linked if f["item"]["status"] == "In Progress")

    since = second["since_last_run"]
    assert since["previous"] == first["generated_at"] and since["previous_night"] == "2026-11-19"
    open_before = {(f["rule"], f["subject"]) for f in first["findings"] if "suppressed" not in f}
    open_now = {(f["rule"], f["subject"]) for f in second["findings"] if "suppressed" not in f}
    assert {(f["rule"], f["subject"]) for f in since["new"]} == open_now - open_before
    assert {(f["rule"], f["subject"]) for f in since["resolved"]} == open_before - open_now
    assert since["still_open"] == len(open_now & open_before)

    progress = second["pi_progress"]
    assert (progress["pi"], progress["day"], progress["days"]) == ("PI 2026.4", 47, 70)
    assert progress["iteration"]["number"] == 4
    assert progress["features"] == {
        "level": "feature",
        "done": 0,
        "planned": len(labelled_features("pi-2026.4")),
        "planned_by": "label pi-2026.4",
    }
    assert progress["predictability"]["status"] == "not scored yet"

    trends = second["metrics"]["trends"]
    assert trends["nights"][-2:] == ["2026-11-19", "2026-11-20"] and len(trends["nights"]) == 30
    assert all(len(values) == 30 for values in trends["series"].values())
    assert "2026-11-19" not in trends["replayed"]  # the first morning's own run
    critical = sum(1 for f in second["findings"] if f["severity"] == "critical")
    assert trends["series"]["findings.critical"][-1] == critical
    page = (out / "health.html").read_text(encoding="utf-8")
    assert page.index("Act today") < page.index("Since the last run") < page.index("Summary")
    assert (out / "trend-findings.png").read_bytes().startswith(b"\x89PNG")


def test_a_day_before_the_oldest_history_is_refused_in_one_line(tmp_path: Path) -> None:
    config = copy_demo_config(tmp_path / "art")
    result = rte(
        "health",
        "--config",
        str(config),
        "--out",
        str(tmp_path / "out"),
        "--today",
        "2025-06-01",
        cwd=tmp_path,
    )
    assert result.returncode == 2
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("rte health: --today 2025-06-01 is before the oldest history rte has")
    assert not (tmp_path / "out" / "health.json").exists()
