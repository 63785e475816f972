"""The suite's own rules: a unit test starts no process and opens no network socket, and
no module imports a test module (what tests share lives in builder and helper modules)."""

from __future__ import annotations

import ast
import asyncio
import os
import socket
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]

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


def imported_test_modules(source: str) -> list[str]:
    """The test modules (`test_*`) that `source` imports, however it spells the import."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [name for name in names if name.rsplit(".", 1)[-1].startswith("test_")]
    return found


def test_the_scan_sees_every_spelling_of_an_import() -> None:
    source = (
        "import tests.unit.test_a\n"
        "from tests.unit.test_b import helper\n"
        "from tests.unit import test_c\n"
        "from .test_d import helper\n"
        "from tests.page_parsing import Html, test_like_name_is_no_module\n"
    )
    assert imported_test_modules(source) == [
        "tests.unit.test_a",
        "tests.unit.test_b",
        "tests.unit.test_c",
        "test_d",
        "tests.page_parsing.test_like_name_is_no_module",
    ]


def test_no_module_of_the_suite_imports_a_test_module() -> None:
    offenders = {
        str(path.relative_to(TESTS)): imported
        for path in sorted(TESTS.rglob("*.py"))
        if (imported := imported_test_modules(path.read_text(encoding="utf-8")))
    }
    assert len(list(TESTS.rglob("test_*.py"))) > 50  # the scan sees the suite
    assert offenders == {}, "move what tests share into a builder or helper module"
