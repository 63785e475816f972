"""Crash `rte rollup --write-back` after every single write; the next run must finish the job.

What the command does, step by step (sync the issues into the state store,
roll up, plan the parents whose field differs, one PUT each), against the
Jira fake, Cloud and Data Center. For every PUT k of a clean run and both
ways of dying, the run is stopped right after PUT k, time passes, and the
command runs again without faults: Jira must then hold exactly what one
clean run leaves, each planned parent must have been written exactly once
over both runs (no double write-back), and one more run plans nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import NOW
from tests.reliability.outage import Outage, crash_points, install, stop_all
from tests.reliability.runs import write_back
from tests.reliability.scenarios import JIRA_ENV, ROLLUP_FIELD, rollup_site

TRIED: list[int] = []


def EDITS(method: str, route: str) -> bool:
    """Jira's writes here are the edits; its POSTs (search, bulkfetch) only read."""
    return method == "PUT"


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in JIRA_ENV.items():
        monkeypatch.setenv(name, value)


def written(fake: FakeJira) -> dict[str, Any]:
    return {issue["key"]: issue["fields"].get(ROLLUP_FIELD) for issue in fake.issues.values()}


def puts(fake: FakeJira) -> Counter[str]:
    """Edits the site applied, by issue key (lost answers included)."""
    return Counter(
        request.path.rsplit("/", 1)[-1]
        for request, response in fake.exchanges
        if request.method == "PUT" and response.status == 204
    )


@pytest.fixture
def site_factory(tmp_path: Path) -> Iterator[Callable[[str], tuple[FakeJira, Path]]]:
    started: list[FakeJira] = []

    def start(deployment: str) -> tuple[FakeJira, Path]:
        issues, fields = rollup_site(deployment)
        fake = FakeJira(deployment, issues=issues, fields=fields, now=NOW)  # basic auth
        fake.start()
        started.append(fake)
        return fake, tmp_path / f"state-{len(started)}"

    yield start
    stop_all(started)


@pytest.mark.parametrize("deployment", ["cloud", "datacenter"])
def test_a_write_back_killed_after_any_put_is_finished_by_the_next(
    deployment: str, site_factory
) -> None:
    reference, state = site_factory(deployment)
    counting = install(reference, Outage(is_write=EDITS))
    planned, clean = write_back(reference, deployment, state)
    assert clean.ok and planned == len(clean.written) == 6
    expected, once = written(reference), puts(reference)
    assert set(once.values()) == {1} and len(counting.writes) == planned

    for k, mode in crash_points(planned):
        fake, state = site_factory(deployment)
        outage = install(fake, Outage(k, mode, is_write=EDITS))
        _, crashed = write_back(fake, deployment, state)
        assert len(outage.writes) == k, (k, mode)
        if crashed.ok:  # the outage came after the last write: nothing was lost
            assert (k, mode) == (planned, "outage")
        else:  # stopped, naming Jira and what it did not write
            assert crashed.stopped and crashed.stopped.startswith(f"Jira at {fake.url}")
            assert len(crashed.written) == k - (mode == "lost"), (k, mode, crashed)
        outage.lift()
        fake.advance(minutes=5)
        again, resumed = write_back(fake, deployment, state)
        assert resumed.ok and again == planned - k, (k, mode, again)
        assert written(fake) == expected, (k, mode)
        assert puts(fake) == once, (k, mode)  # every parent written exactly once
        fake.advance(minutes=5)
        assert write_back(fake, deployment, state)[0] == 0, (k, mode)
        TRIED.append(k)
