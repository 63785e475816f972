"""How much of `rte demo`'s wall time is rte, and how much is Prefect?

Prints, measured in this run on this machine:
  * a bare two-task Prefect flow, run the way `rte demo` runs (same process
    kind, same environment, Prefect's temporary API, as many flow runs as the
    demo makes: three): the floor Prefect itself costs;
  * `rte demo` itself, and its ratio to that floor (goal: at most 1.3x);
  * rte's own work on the demo data without Prefect (parse, rules, render).

Each command gets a fresh PREFECT_HOME in a temporary folder: its first,
cold run (database migrations) is shown, then the median of its warm runs.
Usage: .venv/bin/python benchmarks/demo.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

BARE_FLOW = """
from prefect import flow, task

@task
def extract() -> int:
    return 1

@task
def load(value: int) -> int:
    return value + 1

@flow
def bare() -> int:
    return load(extract())

# `rte demo` runs three flows (health, objectives, calendar) in one process,
# so the floor is three flow runs on one temporary API.
for _ in range(3):
    assert bare() == 2
"""


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def own_work_seconds() -> dict[str, float]:
    """rte's parse, rules and render on the demo data, in this process, without Prefect."""
    sys.path.insert(0, str(ROOT))
    from connectors.config_file import read_config
    from flows.cli.common import DEMO_CONFIG
    from flows.steps.jira_snapshot import evaluate_snapshot, fetch_snapshot, now_utc
    from reports.health_json import health_json
    from reports.health_page import health_page

    marks = {}
    started = time.perf_counter()
    config = read_config(DEMO_CONFIG)
    snapshot = fetch_snapshot(config)
    marks["parse"] = time.perf_counter() - started
    started = time.perf_counter()
    report = evaluate_snapshot(snapshot, config, generated_at=now_utc())
    marks["rules"] = time.perf_counter() - started
    started = time.perf_counter()
    health_json(report)
    health_page(report)
    marks["render"] = time.perf_counter() - started
    marks["items"] = len(snapshot.items)
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="warm runs of each (default 3)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "bare.py").write_text(BARE_FLOW)
        env = {
            **os.environ,
            "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
            "PREFECT_UI_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
        }
        env.pop("PREFECT_API_URL", None)
        bare = [str(BIN / "python"), str(work / "bare.py")]
        demo = [str(BIN / "rte"), "demo", "--out", str(work / "out")]
        # Each command gets its own Prefect home, so both cold runs migrate a fresh database.
        bare_env = env | {"PREFECT_HOME": str(work / "home-bare")}
        demo_env = env | {"PREFECT_HOME": str(work / "home-demo")}
        cold_bare = timed(bare, bare_env, work)
        cold_demo = timed(demo, demo_env, work)
        warm_bare = statistics.median(timed(bare, bare_env, work) for _ in range(runs))
        warm_demo = statistics.median(timed(demo, demo_env, work) for _ in range(runs))
    own = own_work_seconds()
    for name, cold, warm in (
        ("bare flow x3", cold_bare, warm_bare),
        ("rte demo", cold_demo, warm_demo),
    ):
        print(f"{name:20} cold {cold:6.2f} s   warm median of {runs}: {warm:6.2f} s")
    print(f"ratio rte demo / bare flow (warm): {warm_demo / warm_bare:.2f}x   (goal <= 1.30x)")
    print(f"ratio rte demo / bare flow (cold): {cold_demo / cold_bare:.2f}x")
    print(
        f"rte's own work on {own['items']} items: parse {own['parse'] * 1000:.0f} ms, "
        f"rules {own['rules'] * 1000:.1f} ms, render {own['render'] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
