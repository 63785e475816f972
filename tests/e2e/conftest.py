"""One Prefect test harness for every flow test of the session.

Starting Prefect's temporary API costs 15-25 s on 2 cores, so it is paid
once; tests that only need the logic call the plain functions instead.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from flows.runtime import prepare_prefect


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    prepare_prefect(ephemeral=True, quiet=True)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield
