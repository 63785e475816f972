"""Prefect processes of our own (a server, a worker) as children that are stopped for sure.

`rte serve` starts a real local `prefect server` when no Prefect API is
configured, and the end-to-end test starts a server and a worker. Both must
leave nothing running behind, which takes more than `terminate()`:

- a process started in the background by a non-interactive shell inherits
  SIGINT *ignored*, and Prefect's worker answers SIGTERM only by sending
  itself SIGINT, so such a worker never exits. Every child therefore starts
  through a two-line launcher that restores default SIGINT handling, then
  execs the real command;
- each child leads its own process group (so a Ctrl-C in the terminal reaches
  only us, and we stop the children in order), and the whole group is
  signalled: the server runs uvicorn in a grandchild, a worker its flow runs;
- whatever is still alive after a grace period is killed (SIGKILL).

No Prefect import here: this runs before Prefect knows where its API is.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

PREFECT = (sys.executable, "-m", "prefect")

_DEFAULT_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


class ServerFailed(Exception):
    """The local Prefect server did not come up; the message carries the end of its log."""


def start_child(
    command: Sequence[str], *, env: Mapping[str, str], log: Path, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start `command` (its first item an executable path) in a new process group,
    SIGINT at its default, output appended to `log`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-c", _DEFAULT_SIGINT, *command],
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_child(
    process: subprocess.Popen[bytes], *, first: int = signal.SIGTERM, grace: float = 15.0
) -> None:
    """Send `first` to the child's process group, give the group `grace` seconds to
    exit, then SIGKILL what is left of it."""
    group = process.pid
    deadline = time.monotonic() + grace
    _signal_group(group, first)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=max(0.0, deadline - time.monotonic()))
    while _group_alive(group) and time.monotonic() < deadline:
        time.sleep(0.05)
    _signal_group(group, signal.SIGKILL)
    process.wait()


@contextmanager
def signals_ignored() -> Iterator[None]:
    """Ctrl-C and SIGTERM are ignored while the body runs: stopping a server (bounded by its
    grace period) must not be cut short by a second Ctrl-C and leave it running."""
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in _STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _signal_group(group: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signum)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def port_in_use(host: str, port: int) -> bool:
    """True when something listens on the port (connections closing down do not count)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def child_environment(base: Mapping[str, str], **settings: str) -> dict[str, str]:
    """`base` without any Prefect API of its own, plus `settings` (offline by default)."""
    env = {key: value for key, value in base.items() if key != "PREFECT_API_URL"}
    env.setdefault("DO_NOT_TRACK", "1")
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env.update(settings)
    return env


@dataclass
class LocalServer:
    """`prefect server start` on `host:port` with its SQLite database at `database` (None:
    Prefect's own, in PREFECT_HOME); `services` off runs the API alone (a one-off's)."""

    database: Path | None
    log: Path
    port: int = 4200
    host: str = "127.0.0.1"
    ui: bool = True
    services: bool = True
    extra_env: Mapping[str, str] = field(default_factory=dict)
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.ui_url}/api"

    def start(self, timeout: float = 180.0) -> None:
        """Start the server and return once /api/health answers."""
        if port_in_use(self.host, self.port):
            raise ServerFailed(
                f"port {self.port} on {self.host} is already in use; if a Prefect server "
                f"listens there, set PREFECT_API_URL={self.api_url} to use it, or choose "
                "another port"
            )
        database: dict[str, str] = {}
        if self.database is not None:
            self.database.parent.mkdir(parents=True, exist_ok=True)
            database["PREFECT_API_DATABASE_CONNECTION_URL"] = f"sqlite+aiosqlite:///{self.database}"
        env = child_environment(
            os.environ,
            PREFECT_UI_ENABLED="true" if self.ui else "false",
            **database,
            **self.extra_env,
        )
        services = () if self.services else ("--no-services",)
        command = (
            *PREFECT,
            "server",
            "start",
            "--host",
            self.host,
            "--port",
            str(self.port),
            *services,
        )
        self._process = start_child(command, env=env, log=self.log)
        try:
            self._wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self, grace: float = 20.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after `grace` seconds); safe to repeat."""
        if self._process is not None:
            stop_child(self._process, first=signal.SIGTERM, grace=grace)
            self._process = None

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _wait_healthy(self, timeout: float) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerFailed(
                    f"prefect server exited with code {self._process.returncode}:\n"
                    + self._log_tail()
                )
            if answers(f"{self.api_url}/health"):
                return
            time.sleep(0.25)
        raise ServerFailed(
            f"prefect server did not answer {self.api_url}/health within {timeout:.0f} s:\n"
            + self._log_tail()
        )

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def answers(url: str, timeout: float = 2.0) -> bool:
    """True when `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False
