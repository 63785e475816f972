"""What the first run's backfill costs: the trends' nights replayed from the demo's histories.

The first nightly run replays the last `trends.backfill_days` nights (30) to
draw trends at once (`flows.steps.morning_read.backfill`). Each night must at
least run the nightly rules once over the board as it stood then: the lower
bound is the rules alone (`evaluate_as_of`) over the 30 boards, replayed
beforehand. Prints the backfill's time, that bound, and their ratio (the
replay of the histories and the night's figures are the rest); times are the
best of --repeat rounds (the two taking turns), with the snapshot frozen out of
the garbage collector.

Usage: .venv/bin/python benchmarks/backfill.py [--nights 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from art.history import HealthHistory
from connectors.config_file import read_config
from flows.cli.common import DEMO_CONFIG
from flows.steps.bootstrap import bootstrap
from flows.steps.jira_snapshot import evaluate_as_of, evaluate_snapshot, snapshot_as_of
from flows.steps.morning_read import backfill, missing_nights


def best_of_each(repeat: int, *works: Callable[[], Any]) -> list[float]:
    """Each work's best time over `repeat` rounds, the works taking turns in every round, so
    a machine busy for a while slows them alike."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(repeat):
        for kept, work in zip(times, works, strict=True):
            started = time.perf_counter()
            work()
            kept.append(time.perf_counter() - started)
    return [min(kept) for kept in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nights", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = read_config(DEMO_CONFIG)
    config = config.model_copy(
        update={"trends": config.trends.model_copy(update={"backfill_days": args.nights})}
    )
    snapshot = bootstrap(config, ".").jira.snapshot()
    generated = datetime.now(UTC)
    report = evaluate_snapshot(snapshot, config, generated_at=generated)

    nights = missing_nights(HealthHistory(), report.as_of, args.nights)
    boards = [
        snapshot_as_of(replace(snapshot, as_of=night), config, generated_at=generated)
        for night in nights
    ]
    gc.collect()
    gc.freeze()  # long-lived data out of the collector's scans, as in benchmarks/rules.py
    bound, backfilled = best_of_each(
        args.repeat,
        lambda: [evaluate_as_of(board, config, generated_at=generated) for board in boards],
        lambda: backfill(snapshot, config, HealthHistory(), report),
    )
    print(f"demo ART: {len(snapshot.items)} items, {len(nights)} nights replayed")
    print(f"backfill of {len(nights)} nights:        {backfilled:6.2f} s")
    print(f"lower bound (the rules alone): {bound:6.2f} s")
    print(f"ratio backfill / bound:        {backfilled / bound:6.2f}")


if __name__ == "__main__":
    main()
