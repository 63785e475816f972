"""`rte demo` as a newcomer runs it: a fresh Prefect home, so a cold first start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

RTE = Path(sys.executable).parent / "rte"


def test_rte_demo_runs_offline_on_a_cold_prefect_home(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "DO_NOT_TRACK"))
    }
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # never used: first, cold run
    out = tmp_path / "out"
    result = subprocess.run(
        [str(RTE), "demo", "--out", str(out)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "wip-limit" in result.stdout
    assert "Aurora ART" in result.stdout

    health = json.loads((out / "health.json").read_text())
    assert set(health) >= {"art", "generated_at", "findings", "metrics"}
    assert all(
        {"rule", "severity", "subject", "message", "data"}
        <= set(finding)
        <= {"rule", "severity", "subject", "message", "data", "item", "suppressed"}
        for finding in health["findings"]
    )
    states = {row["name"]: row for row in health["metrics"]["kanban"]["states"]}
    assert states["Implementing"]["count"] > states["Implementing"]["wip_limit"]
    page = (out / "health.html").read_text()
    assert "Aurora ART" in page and "Implementing" in page
    assert (out / "program-board.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert {"risk-unroamed", "risk-unowned", "risk-overdue"} <= {
        f["rule"] for f in health["findings"]
    }
    assert health["metrics"]["risks"]["by_roam"]["unroamed"] == 2
    assert health["metrics"]["program_board"]["current"]["violations"]
