"""The suite's own rules: a unit test starts no process and opens no network socket."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess

import pytest

REFUSED = "move this test to tests/integration"


def test_a_unit_test_cannot_start_a_process() -> None:
    with pytest.raises(pytest.fail.Exception, match=rf"a subprocess.*{REFUSED}"):
        subprocess.run(["true"], check=False)
    with pytest.raises(pytest.fail.Exception, match=r"os\.system"):
        os.system("true")


def test_a_unit_test_cannot_open_a_network_socket() -> None:
    with socket.socket() as sock:
        with pytest.raises(pytest.fail.Exception, match=rf"socket\.bind.*{REFUSED}"):
            sock.bind(("127.0.0.1", 0))
        with pytest.raises(pytest.fail.Exception, match=r"socket\.connect"):
            sock.connect(("127.0.0.1", 9))


def test_the_refusal_is_not_caught_as_an_error_of_the_code_under_test() -> None:
    with pytest.raises(pytest.fail.Exception):
        try:
            socket.create_connection(("127.0.0.1", 9), timeout=1)
        except Exception:  # what a retrying client does with a connection error
            raise AssertionError("the refusal was swallowed") from None


def test_in_process_work_is_left_alone() -> None:
    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    assert asyncio.run(answer()) == 42  # the event loop's wake-up pair is a Unix socket
