"""What every test directory shares: the one Prefect harness of a session, the sweep option,
the check that no fake's own code raised during a test, and the check that no test left
run state in the checkout.

Starting Prefect's temporary API costs 15-25 s on 2 cores, so it is paid
once per session, by whichever flow test asks first (`tests/e2e`,
`tests/reliability`); tests that only need the logic call the plain
functions instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from flows.runs.runtime import prepare_prefect
from tests.fakes.server import FakeServer, check_handler_errors

# The same examples on every run, so CI passes or fails for a change and not for a draw;
# `HYPOTHESIS_PROFILE=explore make test` draws fresh ones each run, to hunt for new failures.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fault-sweep",
        choices=("default", "large"),
        default=None,
        help="tests/reliability fault storms: 'large' runs more rates and seeds "
        "(also RTE_FAULT_SWEEP=large)",
    )


@pytest.fixture(autouse=True)
def fakes_raise_no_bug() -> Iterator[None]:
    """Fail the test during which a running fake's own code raised: a fake started by a
    module-scoped fixture, or never stopped, would otherwise blame a later test or none."""
    yield
    check_handler_errors(FakeServer.running_fakes())


ROOT = Path(__file__).resolve().parents[1]
# Where a config left with the default `state_dir: .rte` keeps its state when a test runs it
# from the checkout: the page registry and nightly history there would outlive the test and
# feed the next one (or the developer's next `rte demo`).
STATE_IN_CHECKOUT = (ROOT / ".rte", ROOT / "flows" / "demo_art" / ".rte")


@pytest.fixture(autouse=True)
def no_state_left_in_the_checkout() -> Iterator[None]:
    """Fail the test that made a state directory in the checkout: its runs belong in tmp."""
    before = {path for path in STATE_IN_CHECKOUT if path.exists()}
    yield
    made = [str(path) for path in STATE_IN_CHECKOUT if path.exists() and path not in before]
    assert not made, f"this test left run state in the checkout: {made} (use tmp_path)"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    prepare_prefect(ephemeral=True, quiet=True)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
