"""Unit tests start no process and open no network socket: they are the milliseconds tier.

Each unit test runs with the ways out closed: starting a process (`subprocess`,
`os.system`, a fork) or binding or connecting a socket other than a Unix one (an
event loop's own wake-up pair is no network) fails the test with a message
saying where it belongs. `pytest.fail` raises a BaseException, so code under
test that catches `Exception` around a connection cannot swallow the refusal.
In-process work (typer's `CliRunner`, hypothesis, matplotlib, rich) needs neither.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Callable
from typing import Any, NoReturn

import pytest

MOVE = (
    "tests/unit starts no process and opens no network socket ({what}); move this test to "
    "tests/integration (real processes and servers, no flow runs) or tests/e2e (the CLI as "
    "a process, Prefect)"
)


def refuse(what: str) -> Callable[..., NoReturn]:
    def refused(*args: Any, **kwargs: Any) -> NoReturn:
        pytest.fail(MOVE.format(what=what), pytrace=True)

    return refused


def network_only(what: str, method: Callable[..., Any]) -> Callable[..., Any]:
    """`method` of a socket, refused unless the socket is a Unix one."""

    def guarded(sock: socket.socket, *args: Any, **kwargs: Any) -> Any:
        if sock.family != socket.AF_UNIX:
            refuse(f"{what} {args[0] if args else ''}".strip())()
        return method(sock, *args, **kwargs)

    return guarded


@pytest.fixture(autouse=True)
def no_process_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess.Popen, "__init__", refuse("a subprocess"))
    monkeypatch.setattr(os, "system", refuse("os.system"))
    monkeypatch.setattr(os, "fork", refuse("a fork"))
    for name in ("bind", "connect", "connect_ex"):
        method = getattr(socket.socket, name)
        monkeypatch.setattr(socket.socket, name, network_only(f"socket.{name}", method))
