"""The nightly_health flow on the demo ART, under one shared Prefect harness."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.demo_copy import copy_demo_config

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]


def run(out: Path, **kwargs: object):
    """The flow on a copy of the demo ART whose state lies beside `out`, not inside it."""
    from flows.nightly_health import nightly_health

    config = copy_demo_config(out.parent / f"{out.name}-art")
    return nightly_health(config_path=str(config), out_dir=str(out), **kwargs).report


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_the_flow_publishes_the_report_and_a_second_run_changes_no_page(tmp_path: Path) -> None:
    report = run(tmp_path)
    health = json.loads((tmp_path / "health.json").read_text())
    assert health["art"] == "Aurora ART"
    assert health["pi"] == report.pi == "PI 2026.4"
    wip = [f for f in health["findings"] if f["rule"] == "wip-limit"]
    assert {f["data"]["state"] for f in wip} >= {"Implementing", "Analyzing"}
    pages = tmp_path / "pages"
    first = snapshot(pages)
    assert any(name.endswith(".storage.xml") for name in first)

    run(tmp_path)
    assert snapshot(pages) == first  # same bytes, not even rewritten


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    report = run(tmp_path, dry_run=True)
    assert report.findings
    assert list(tmp_path.iterdir()) == []


def test_today_overrides_the_export_snapshot_date(tmp_path: Path) -> None:
    report = run(tmp_path, dry_run=True, today=date(2026, 12, 20))
    assert report.as_of == date(2026, 12, 20)
    assert report.pi == "PI 2027.1"
