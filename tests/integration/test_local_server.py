"""Child processes that can be stopped for sure: Ctrl-C restored, the whole group, SIGKILL last."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.ops.local_server import LocalServer, ServerFailed, start_child, stop_child

REPORT_SIGINT = (
    "import signal; h = signal.getsignal(signal.SIGINT); "
    "print('ignored' if h is signal.SIG_IGN else 'default' if h is signal.default_int_handler "
    "else h)"
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_child_takes_ctrl_c_even_when_its_parent_ignored_it(tmp_path: Path) -> None:
    # What a shell does to background jobs: SIGINT ignored, and inherited by children.
    parent = (
        "import signal, subprocess, sys; signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "from pathlib import Path\n"
        "from flows.ops.local_server import start_child\n"
        f"subprocess.run([sys.executable, '-c', {REPORT_SIGINT!r}])\n"
        f"start_child([sys.executable, '-c', {REPORT_SIGINT!r}], env=dict(__import__('os')"
        f".environ), log=Path({str(tmp_path / 'child.log')!r})).wait()\n"
    )
    plain = subprocess.run(
        [sys.executable, "-c", parent], capture_output=True, text=True, timeout=30, check=True
    )
    assert plain.stdout.strip() == "ignored"  # without the launcher
    assert (tmp_path / "child.log").read_text().strip() == "default"


def test_what_ignores_the_polite_signal_is_killed_with_its_children(tmp_path: Path) -> None:
    grandchild_pid = tmp_path / "grandchild.pid"
    stubborn = (
        "import signal, subprocess, sys, time\n"
        "for s in (signal.SIGINT, signal.SIGTERM): signal.signal(s, signal.SIG_IGN)\n"
        "g = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(grandchild_pid)!r}, 'w').write(str(g.pid))\n"
        "time.sleep(10)\n"
        "sys.exit(7)\n"
    )
    child = start_child([sys.executable, "-c", stubborn], env=os.environ, log=tmp_path / "log")
    deadline = time.monotonic() + 20
    while not grandchild_pid.exists() or not grandchild_pid.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    stop_child(child, grace=0.3)
    # Killed once its 0.3 s of grace were over: not left to end on its own 10 s later (7),
    # as it would be if stop_child waited for it or kept its default grace of 15 s.
    assert child.returncode == -9
    grandchild = int(grandchild_pid.read_text())
    deadline = time.monotonic() + 5
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.02)  # killed; its zombie is reaped by init
    assert not alive(grandchild)


def test_a_child_that_stops_when_asked_is_left_to_finish(tmp_path: Path) -> None:
    polite = (
        "import signal, sys, time\n"
        "def bye(*_): print('cleaned up', flush=True); sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, bye)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    log = tmp_path / "log"
    child = start_child([sys.executable, "-c", polite], env=os.environ, log=log)
    deadline = time.monotonic() + 20
    while "ready" not in log.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    stop_child(child, grace=10)
    assert child.returncode == 0
    assert "cleaned up" in log.read_text()


def test_a_busy_port_is_reported_before_any_server_starts(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        server = LocalServer(database=tmp_path / "db", log=tmp_path / "log", port=port)
        with pytest.raises(ServerFailed) as raised:
            server.start()
    assert str(raised.value) == (
        f"port {port} on 127.0.0.1 is already in use; if a Prefect server listens there, set "
        f"PREFECT_API_URL=http://127.0.0.1:{port}/api to use it, or choose another port"
    )
    assert not (tmp_path / "log").exists()
