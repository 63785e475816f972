"""Fault storms: every kind of failure the network and the vendors produce, at a given rate.

A storm is one `Fault` that fires on any request with probability `rate`
(seeded, so a failing run can be replayed): throttling with Retry-After in
seconds, as an HTTP date, or without it; 500, 502, 503, 504; a response
slower than the client's read timeout; a connection dropped after the
request was processed; a body cut off half-way. The default sweep is what CI
runs; `--fault-sweep=large` (or RTE_FAULT_SWEEP=large) runs more rates and
seeds.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from connectors.http import RequestCounter
from tests.fakes.server import Fault
from tests.reliability.scenarios import FAST

# A response this slow always exceeds STORM's read timeout.
SLOW_SECONDS = 0.25
# Tiny waits, a short read timeout, and a whole run's retry time capped at 1.5 s.
STORM = replace(FAST, attempts=6, read_timeout=0.1, total_seconds=3.0, run_seconds=1.5)
STORM_CONFLUENCE = replace(STORM, retry_unsafe_methods=False)

KINDS = (
    "429-seconds",
    "429-http-date",
    "429-bare",
    "500",
    "502",
    "503",
    "504",
    "timeout",
    "drop",
    "truncate",
)
DEFAULT_RATES = (0.01, 0.1, 0.3, 0.5)
LARGE_RATES = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
LARGE_SEEDS = (1, 2, 3)


def storm(kind: str, rate: float, path: str = "", method: str | None = None) -> Fault:
    """`kind` of fault on every request matching `path` (and `method`), with probability `rate`."""
    common = {"path": path, "method": method, "times": None, "rate": rate}
    if kind == "429-seconds":
        return Fault("status", status=429, retry_after="1", **common)
    if kind == "429-http-date":
        when = datetime.now(UTC) + timedelta(seconds=2)
        return Fault("status", status=429, retry_after=format_datetime(when, usegmt=True), **common)
    if kind == "429-bare":
        return Fault("status", status=429, **common)
    if kind.isdigit():
        return Fault("status", status=int(kind), **common)
    if kind == "timeout":
        return Fault("delay", seconds=SLOW_SECONDS, **common)
    return Fault(kind, **common)  # drop, truncate


def within_budget(counter: RequestCounter) -> bool:
    """The run's retry time, as its counter kept it (failed attempts and the waits the policy
    chose), stayed within STORM's run budget, but for an attempt under way when it ran out.

    Not the run's wall-clock time: that also counts the clean work, which a loaded machine
    slows down, and hides a run that retried past its budget on a fast one."""
    return counter.retry_seconds <= STORM.run_seconds + SLOW_SECONDS


def sweep_size(config: pytest.Config) -> str:
    option = config.getoption("--fault-sweep", default=None)
    return option or os.environ.get("RTE_FAULT_SWEEP", "default")


def storm_cases(config: pytest.Config) -> list[tuple[str, float, int]]:
    """(kind, rate, seed) of every storm the sweep runs."""
    large = sweep_size(config) == "large"
    rates = LARGE_RATES if large else DEFAULT_RATES
    seeds = LARGE_SEEDS if large else (0,)
    cases = [(kind, rate, seed) for seed in seeds for kind in KINDS for rate in rates]
    # each case its own random sequence (one shared seed would fail the same requests)
    return [(kind, rate, seed * 1001 + n) for n, (kind, rate, seed) in enumerate(cases)]
