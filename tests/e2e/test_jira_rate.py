"""The Jira ceiling: a real sync against the fake Jira site, paced by a Prefect rate limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from art.config import ArtConfig
from connectors.config_file import read_config
from connectors.http import RequestCounter
from flows.runs.jira_rate import RateLimitedCounter, jira_counter, jira_limit_name, set_jira_ceiling
from flows.steps.bootstrap import bootstrap
from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import cloud, cloud_site, write_art_yaml

__all__ = ["cloud", "cloud_site"]  # fixtures
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

RATE = 10.0  # requests a second


@pytest.fixture
def config(cloud: FakeJira, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ArtConfig:
    """An ART on the fake Cloud site, its credentials in the environment."""
    monkeypatch.setenv("JIRA_USER", cloud.user or "")
    monkeypatch.setenv("JIRA_TOKEN", cloud.token)
    return read_config(write_art_yaml(cloud, tmp_path))


def test_every_request_to_a_site_with_a_ceiling_waits_for_its_slot(
    cloud: FakeJira, config: ArtConfig
) -> None:
    # Without a ceiling the requests go at full speed, without asking Prefect.
    assert type(jira_counter(config)) is RequestCounter

    assert set_jira_ceiling(cloud.url, RATE, burst=1) == jira_limit_name(cloud.url)
    counter = jira_counter(config)
    assert isinstance(counter, RateLimitedCounter)

    cloud.reset_log()
    started = time.monotonic()
    synced = bootstrap(config, ".", jira_counter=counter).live_jira().sync(now=cloud.now)
    elapsed = time.monotonic() - started

    sent = cloud.count()
    assert sent == counter.total >= 5
    assert len(synced.outcome.parsed.items) > 600
    # One slot, refilled RATE times a second: n requests take at least (n - 1) / RATE.
    assert elapsed >= (sent - 1) / RATE * 0.9, (sent, elapsed)
