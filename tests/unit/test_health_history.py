"""The nightly history in the state directory: small, versioned, and never a crash when broken."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from art.history import HealthHistory, NightFigures, RunFindings, SeenFinding
from art.model import Severity
from connectors.health_history import (
    FINDINGS_FILE,
    MAX_NIGHTS,
    MAX_RUNS,
    NIGHTS_FILE,
    HistoryFiles,
)

NIGHT = date(2026, 11, 20)


def history(nights: int = 2, runs: int = 1) -> HealthHistory:
    return HealthHistory(
        nights=tuple(
            NightFigures(NIGHT - timedelta(days=n), {"blocked": n, "wip.Implementing": 9}, n > 0)
            for n in reversed(range(nights))
        ),
        runs=tuple(
            RunFindings(
                NIGHT - timedelta(days=n),
                datetime(2026, 11, 20, 2, tzinfo=UTC) - timedelta(days=n),
                (SeenFinding("blocked", "AUR-1", Severity.CRITICAL, "blocked \u2013 \u00fcber"),),
            )
            for n in reversed(range(runs))
        ),
        mailed={("blocked", "AUR-1"): NIGHT},
    )


def test_what_is_written_is_read_back(tmp_path: Path) -> None:
    files = HistoryFiles(tmp_path / "health" / "aurora-art")
    assert files.read() == HealthHistory()  # nothing yet: an empty history, no problem
    files.write(history())
    assert files.read() == history()
    for name in (NIGHTS_FILE, FINDINGS_FILE):
        assert json.loads((files.folder / name).read_text())["version"] == 1


def test_the_files_keep_a_bounded_number_of_nights_and_runs(tmp_path: Path) -> None:
    files = HistoryFiles(tmp_path)
    files.write(history(nights=MAX_NIGHTS + 30, runs=MAX_RUNS + 5))
    kept = files.read()
    assert len(kept.nights) == MAX_NIGHTS and kept.nights[-1].night == NIGHT
    assert len(kept.runs) == MAX_RUNS and kept.runs[-1].night == NIGHT
    assert (tmp_path / NIGHTS_FILE).stat().st_size < 40 * MAX_NIGHTS * 2


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (NIGHTS_FILE, "{not json", "not JSON: line 1, column 2"),
        (NIGHTS_FILE, '{"version": 2, "nights": {}}', "version 2, not 1"),
        (NIGHTS_FILE, '{"version": 1, "nights": []}', "nights is not an object"),
        (FINDINGS_FILE, '{"version": 1, "runs": [], "mailed": [["a"]]}', "not 3 strings"),
        (FINDINGS_FILE, "\xff\xfe", "could not be read"),
    ],
)
def test_a_broken_file_is_a_problem_said_and_an_empty_history_not_a_crash(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    files = HistoryFiles(tmp_path)
    files.write(history())
    (tmp_path / name).write_bytes(content.encode("latin-1"))
    read = files.read()
    [problem] = read.problems
    assert reason in problem and str(tmp_path / name) in problem
    assert "starts again from this run" in problem
    if name == NIGHTS_FILE:
        assert read.nights == () and read.runs == history().runs
    else:
        assert read.runs == () and read.nights == history().nights
    files.write(read)  # the next write replaces it
    assert files.read().problems == ()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(st.binary(max_size=200))
def test_no_bytes_in_a_state_file_crash_the_read(tmp_path: Path, junk: bytes) -> None:
    for name in (NIGHTS_FILE, FINDINGS_FILE):
        (tmp_path / name).write_bytes(junk)
    read = HistoryFiles(tmp_path).read()
    assert read == HealthHistory(problems=read.problems) and len(read.problems) == 2
