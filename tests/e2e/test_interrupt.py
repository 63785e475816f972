"""Ctrl-C in the terminal while `rte demo --prefect` publishes: rte stops at once, says so
in one line, leaves no process behind, and the next run does not wait for a slot nobody
holds."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
RTE = Path(sys.executable).parent / "rte"
# The old failure took 60-220 s (Prefect retrying a server the Ctrl-C had killed); rte
# takes about 1.5 s here. The bound catches the first without flaking on a busy machine.
EXIT_BOUND_SECONDS = 15.0


def held(lock: Path) -> bool:
    """True while another process holds the lock file."""
    if not lock.exists():
        return False
    descriptor = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def processes_of(home: Path) -> list[int]:
    """The processes whose environment names this test's PREFECT_HOME."""
    found = []
    marker = f"PREFECT_HOME={home}".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:  # gone, or not ours to read
                continue
    return found


def test_ctrl_c_while_publishing_exits_at_once_and_the_next_run_starts(tmp_path: Path) -> None:
    home = tmp_path / "prefect-home"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "RTE_"))}
    env.update(PREFECT_HOME=str(home), NO_COLOR="1", RTE_PUBLISH_WAIT_SECONDS="1")
    out = tmp_path / "out"
    run = subprocess.Popen(
        [str(RTE), "demo", "--prefect", "--out", str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    lock = out / ".rte" / "locks" / "nightly-health-aurora-art.lock"
    deadline = time.monotonic() + 180
    while not held(lock):
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "the health flow never took its publishing slot"
        time.sleep(0.05)

    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
    _, stderr = run.communicate(timeout=EXIT_BOUND_SECONDS)

    assert run.returncode == 130, stderr
    assert stderr.splitlines() == [
        "rte demo: interrupted; what was written stays, nothing is half-written, and the "
        "next run finishes the job"
    ]
    assert processes_of(home) == []  # the temporary Prefect server is gone too
    again = subprocess.run(
        [str(RTE), "demo", "--prefect", "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # Waiting 1 s at most for the slot: a slot left taken would fail this run.
    assert again.returncode == 0, again.stderr
    assert (out / "health.json").is_file() and (out / "art-calendar.ics").is_file()
