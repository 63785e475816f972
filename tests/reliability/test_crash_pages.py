"""Crash the page publishing after every single write; the next run must finish the job.

For Confluence Cloud (REST v2) and Data Center (REST v1), from an empty space
(creates) and from the previous version of the pages (updates): one clean
run is the reference; then, for every write k of that run and both ways of
dying (`tests.reliability.outage`), a run is stopped right after write k and
run again without faults. The space must then hold exactly what the clean run
left (no duplicate page, no page without rte's marker, no stale attachment),
and one more run must write nothing at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from art.model import Page
from flows.steps.bootstrap import bootstrap
from flows.steps.publishing import PublishFailed, PublishRun, publish_pages
from tests.fakes.confluence import FakeConfluence
from tests.reliability.outage import Outage, crash_points, install, stop_all
from tests.reliability.scenarios import (
    CONFLUENCE_ENV,
    FAST_CONFLUENCE,
    SPACE,
    confluence_site,
    confluence_train,
    objective_page_versions,
)
from tests.reliability.snapshots import confluence_state

TRIED: list[int] = []  # crash points, for the report at the end of the session


def assert_stopped_clearly(run: PublishRun) -> None:
    """The run's error names Confluence, the page that failed and how far it got."""
    with pytest.raises(PublishFailed) as failed:
        run.raise_for_failures()
    message = str(failed.value)
    assert message.startswith(f"Confluence {'Cloud' if 'Cloud' in run.target else 'Data Center'}")
    assert "Confluence at http://127.0.0.1:" in message
    done = [plan for plan in run.pages if plan.outcome is not None]
    assert (f"(last: '{done[-1].title}')" if done else "none published") in message


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CONFLUENCE_ENV.items():
        monkeypatch.setenv(name, value)


def publish(fake: FakeConfluence, pages: Sequence[Page], out: Path) -> PublishRun:
    target = bootstrap(confluence_train(fake, out / "state"), out, policy=FAST_CONFLUENCE).pages
    return publish_pages(pages, target, dry_run=False)


@pytest.fixture
def site_factory() -> Iterator:
    started: list[FakeConfluence] = []

    def start(deployment: str, before: Sequence[Page], tmp: Path) -> FakeConfluence:
        fake = confluence_site(deployment)
        fake.start()
        started.append(fake)
        if before:
            assert not publish(fake, before, tmp).failed
        fake.reset_log()
        return fake

    yield start
    stop_all(started)


@pytest.mark.parametrize("deployment", ["cloud", "datacenter"])
@pytest.mark.parametrize("scenario", ["create", "update"])
def test_a_run_killed_after_any_write_is_finished_by_the_next(
    deployment: str, scenario: str, site_factory, tmp_path: Path
) -> None:
    old, new = objective_page_versions()
    before = old if scenario == "update" else ()

    reference = site_factory(deployment, before, tmp_path)
    counting = install(reference, Outage())
    clean = publish(reference, new, tmp_path)
    assert not clean.failed
    expected = confluence_state(reference, SPACE)
    writes = len(counting.writes)
    assert writes >= (12 if scenario == "create" else 5)

    for k, mode in crash_points(writes):
        fake = site_factory(deployment, before, tmp_path)
        outage = install(fake, Outage(k, mode))
        crashed = publish(fake, new, tmp_path)
        assert len(outage.writes) == k, (k, mode, outage.writes)
        if crashed.failed:
            assert_stopped_clearly(crashed)
        outage.lift()
        resumed = publish(fake, new, tmp_path)
        assert not resumed.failed, (k, mode, resumed.failed)
        assert confluence_state(fake, SPACE) == expected, (k, mode)
        fake.reset_log()
        settled = publish(fake, new, tmp_path)
        assert settled.count("unchanged") == len(new) and fake.write_count() == 0, (k, mode)
        TRIED.append(k)
