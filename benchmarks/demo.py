"""How fast do the one-off commands answer, against what Prefect itself costs?

Prints, measured in this run on this machine, side by side:
  * the floor: a bare two-task Prefect flow, run as `python bare.py` on Prefect's
    temporary API (what any one-off flow run pays before doing anything);
  * `rte demo` (the three flows' steps in process, no Prefect: goal <= 0.2x the floor);
  * `rte demo --prefect` (three Prefect flow runs on a temporary API rte starts for
    itself: goal <= 1.3x the floor);
  * `rte --help` (goal <= 0.25 s).

Each Prefect command gets its own PREFECT_HOME in a temporary folder: its first,
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

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

assert bare() == 2
"""


@dataclass(frozen=True)
class Measured:
    name: str
    cold: float
    warm: float


def timed(command: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def measure(
    name: str, command: Sequence[str], env: dict[str, str], cwd: Path, runs: int
) -> Measured:
    cold = timed(command, env, cwd)
    warm = statistics.median(timed(command, env, cwd) for _ in range(runs))
    return Measured(name, cold, warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs of each (default 5)")
    runs = parser.parse_args().runs
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "RTE_"))  # no API configured: the default case
    }
    env |= {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "bare.py").write_text(BARE_FLOW)
        rte = str(BIN / "rte")
        floor = measure(
            "bare two-task flow",
            [str(BIN / "python"), str(work / "bare.py")],
            env | {"PREFECT_HOME": str(work / "home-bare")},
            work,
            runs,
        )
        plain = measure(
            "rte demo",
            [rte, "demo", "--out", str(work / "plain")],
            env | {"PREFECT_HOME": str(work / "home-unused")},
            work,
            runs,
        )
        prefect = measure(
            "rte demo --prefect",
            [rte, "demo", "--prefect", "--out", str(work / "prefect")],
            env | {"PREFECT_HOME": str(work / "home-demo")},
            work,
            runs,
        )
        helped = measure("rte --help", [rte, "--help"], env, work, runs)
    print(f"{'':22}{'cold':>9}{'warm':>9}   ratio to the floor (warm)   goal")
    print(f"{floor.name:22}{floor.cold:8.2f}s{floor.warm:8.2f}s   1.00x")
    for measured, goal in ((plain, 0.2), (prefect, 1.3)):
        ratio = measured.warm / floor.warm
        verdict = "met" if ratio <= goal else "MISSED"
        print(
            f"{measured.name:22}{measured.cold:8.2f}s{measured.warm:8.2f}s   {ratio:5.2f}x"
            f"{'':21}<= {goal:.2f}x {verdict}"
        )
    verdict = "met" if helped.warm <= 0.25 else "MISSED"
    print(f"{helped.name:22}{helped.cold:8.2f}s{helped.warm:8.2f}s{'':30}<= 0.25 s {verdict}")
    print(f"(warm: median of {runs} runs; cold: the first run, on a fresh PREFECT_HOME)")


if __name__ == "__main__":
    main()
