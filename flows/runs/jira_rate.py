"""A ceiling on the combined request rate to one Jira site, whichever runs send them.

Many ARTs often share one Jira site, and Jira throttles a site as a whole.
The ceiling is a Prefect global concurrency limit used as a rate limit, one
per site ('rte-jira-<host>'): `limit` slots (the burst) that drain at
`requests_per_second`. Every request to that site, by any run on any worker,
first takes a slot, so over any `t` seconds the site sees at most
`burst + requests_per_second * t` requests from rte.

The connectors know nothing of Prefect: the hook is the request counter they
already call before every attempt (`RequestCounter.sent`). A run whose site
has no such limit counts as before, without asking Prefect per request.
"""

from __future__ import annotations

from art.config import ArtConfig
from connectors.http import RequestCounter
from flows.runs.names import key_slug, site_host
from flows.runs.run_guard import ensure_limit

WAIT_SECONDS = 600.0  # a request waiting longer than this for its slot fails


def jira_limit_name(url: str) -> str:
    """'rte-jira-example-atlassian-net' for https://example.atlassian.net."""
    return f"rte-jira-{key_slug(site_host(url))}"


class RateLimitedCounter(RequestCounter):
    """Counts requests like its parent, after taking a slot of the site's rate limit."""

    def __init__(self, limit_name: str) -> None:
        super().__init__()
        self.limit_name = limit_name

    def sent(self, endpoint: str) -> None:
        from prefect.concurrency.sync import rate_limit

        rate_limit(self.limit_name, occupy=1, timeout_seconds=WAIT_SECONDS, strict=True)
        super().sent(endpoint)


def jira_counter(config: ArtConfig) -> RequestCounter:
    """The counter a run's Jira requests go through: rate-limited if the site has a ceiling."""
    if config.jira.backend == "export" or config.jira.url is None:
        return RequestCounter()
    name = jira_limit_name(config.jira.url)
    return RateLimitedCounter(name) if limit_exists(name) else RequestCounter()


def limit_exists(name: str) -> bool:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            return False
    return True


def set_jira_ceiling(url: str, requests_per_second: float, burst: int) -> str:
    """Create or resize the ceiling of one Jira site; returns the limit's name."""
    name = jira_limit_name(url)
    ensure_limit(name, burst, slot_decay_per_second=requests_per_second)
    return name
