"""One publishing run per flow and ART at a time, across every machine that runs them.

Two runs of the same flow for the same ART (a schedule and a manual run, two
workers, `rte serve` and a deployment) would read the same pages or events
and write them twice. Each run that publishes therefore holds, first, the
lock of its flow and ART on this machine (`flows.runs.run_lock`), and then,
on a Prefect server, the one slot of a Prefect global concurrency limit
named after the flow and the ART: the second run waits for it, and after
RTE_PUBLISH_WAIT_SECONDS (default: an hour) gives up with a message that
names the limit. The slot is a lease the holder keeps renewing; a run that
dies frees it once the lease (`LEASE_SECONDS`) has expired and the server's
clean-up (every 15 s) has seen it. On Prefect's temporary API that clean-up
never runs, so a slot a dead run held would be taken for ever: there the
machine lock alone guards (such runs cannot be on another machine). Dry
runs write nothing and skip the guard. Different ARTs, and different flows
of one ART, never wait for each other.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

from art.config import ArtConfig
from flows.runs.names import key_slug
from flows.runs.run_lock import RunInProgress, machine_lock

LEASE_SECONDS = 120.0
DEFAULT_WAIT_SECONDS = 3600.0
WAIT_VARIABLE = "RTE_PUBLISH_WAIT_SECONDS"
# Set while a one-off command runs on a Prefect API it started for itself: no slot there
# would outlive a dead run's process, so the machine's lock alone guards.
TEMPORARY_API = "RTE_TEMPORARY_PREFECT_API"


def guard_name(flow: str, art: str) -> str:
    """The concurrency limit of one flow and ART: 'rte-publish-nightly-health-aurora-art'."""
    return f"rte-publish-{flow}-{key_slug(art)}"


@contextmanager
def publishing_slot(
    flow: str, config: ArtConfig, *, dry_run: bool, wait_seconds: float | None = None
) -> Iterator[None]:
    """Hold the flow's lock and slot for this ART while the body runs (not for a dry run)."""
    if dry_run:
        yield
        return
    if wait_seconds is None:
        wait_seconds = wait_from_environment()
    art = config.art.name
    with machine_lock(config.state_dir, flow, art, wait_seconds=wait_seconds):
        if on_prefect_server():
            with _prefect_slot(flow, art, wait_seconds):
                yield
        else:
            yield


def on_prefect_server() -> bool:
    """True when the run talks to a Prefect server that outlives it; False on Prefect's
    temporary API, or on the one a one-off command started for itself."""
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url) and not os.environ.get(TEMPORARY_API)


@contextmanager
def _prefect_slot(flow: str, art: str, wait_seconds: float) -> Iterator[None]:
    """The one slot of the flow's concurrency limit for this ART, on the Prefect server."""
    from prefect.concurrency.sync import concurrency
    from prefect.logging import get_run_logger

    name = guard_name(flow, art)
    ensure_limit(name, 1)
    get_run_logger().info("Taking the publishing slot %s (one run at a time)", name)
    acquired = False
    try:
        with concurrency(
            name,
            occupy=1,
            timeout_seconds=wait_seconds,
            lease_duration=LEASE_SECONDS,
            strict=True,
            raise_on_lease_renewal_failure=False,  # a blip of the API must not kill the run
        ):
            acquired = True
            yield
    except TimeoutError:
        if acquired:  # the run's own timeout, not the wait for the slot
            raise
        raise RunInProgress(
            f"another run of {flow} for {art} has been publishing for over "
            f"{wait_seconds:.0f} s (concurrency limit '{name}'); this run published nothing. "
            "If no such run exists, its slot is freed within "
            f"{LEASE_SECONDS + 15:.0f} s of its process ending"
        ) from None


def wait_from_environment() -> float:
    """How long a run waits for the slot: RTE_PUBLISH_WAIT_SECONDS, else an hour."""
    value = os.environ.get(WAIT_VARIABLE, "").strip()
    if not value:
        return DEFAULT_WAIT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise ValueError(f"{WAIT_VARIABLE}: must be a number of seconds, 0 or more")
    return seconds


def ensure_limit(name: str, limit: int, slot_decay_per_second: float | None = None) -> None:
    """Create the global concurrency limit, or set its size; two runs may race to create it."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectAlreadyExists

    # Another run may create it between the read and the write of the upsert.
    with get_client(sync_client=True) as client, contextlib.suppress(ObjectAlreadyExists):
        client.upsert_global_concurrency_limit_by_name(name, limit, slot_decay_per_second)
