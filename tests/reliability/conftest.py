"""The storm sweep `--fault-sweep` (or RTE_FAULT_SWEEP) asks for, and the counts at the end.

The counts (crash points tried, storm runs by service and outcome, hostile
strings, secrets checks) are printed after the run, so the README's numbers
can be read off any `make test`.
"""

from __future__ import annotations

import pytest

from tests.reliability.storms import storm_cases


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "storm_case" in metafunc.fixturenames:
        cases = storm_cases(metafunc.config)
        metafunc.parametrize(
            "storm_case", cases, ids=[f"{kind}-{rate:g}-s{seed}" for kind, rate, seed in cases]
        )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.reliability.counts import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("reliability counts")
        for line in lines:
            terminalreporter.write_line(line)
