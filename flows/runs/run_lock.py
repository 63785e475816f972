"""One publishing run per flow and ART on this machine: a lock file in the state directory.

The operating system holds the lock (`flock`) for the process and frees it
the moment the process ends, however it ends (Ctrl-C, SIGKILL, a crash), so
a run that dies never leaves the next one waiting. It guards the runs that
have no Prefect server to ask: the one-off commands run in process, and
runs on Prefect's temporary API (whose database outlives the process, but
whose lease clean-up service does not run). Across machines, the Prefect
global concurrency limit of `flows.runs.run_guard` guards instead.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flows.runs.names import key_slug

POLL_SECONDS = 0.2


class RunInProgress(Exception):
    """Another run of the same flow for the same ART held the publishing slot too long."""


def lock_path(state_dir: str | Path, flow: str, art: str) -> Path:
    return Path(state_dir) / "locks" / f"{flow}-{key_slug(art)}.lock"


@contextmanager
def machine_lock(
    state_dir: str | Path, flow: str, art: str, *, wait_seconds: float
) -> Iterator[None]:
    """Hold the lock of `flow` for `art` while the body runs; wait for it up to
    `wait_seconds`, then raise RunInProgress."""
    path = lock_path(state_dir, flow, art)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while not _locked(descriptor):
            if time.monotonic() >= deadline:
                raise RunInProgress(
                    f"another run of {flow} for {art} on this machine has been publishing for "
                    f"over {wait_seconds:.0f} s (it holds {path}); this run published nothing"
                )
            time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(descriptor)  # closing the file releases its lock


def _locked(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
