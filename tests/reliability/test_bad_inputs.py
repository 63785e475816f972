"""A corpus of broken inputs: each ends in a data-quality finding or a clear error, no traceback.

`corpus/config/*.yaml` are broken `art.yaml` files, each naming in its first
lines (`# expect: ...`) what the error must say; they go through `rte
check-config` as a subprocess, the way a user meets them. `corpus/jira/*.json`
are search pages with broken issues, each carrying the findings it must raise
(`_expect`); they go through the nightly check's own steps (export backend,
health rules, roll-up) and through `rte rollup`, `rte budget`, `rte readiness`,
`rte forecast` and `rte flow-export`. `corpus/objectives/*.yaml` are broken PI objective files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from art.config_check import validate_config
from art.config_errors import ConfigError
from connectors.jira_export import ExportFormatError
from flows.cli import app
from flows.steps.bootstrap import bootstrap
from flows.steps.jira_snapshot import evaluate_snapshot
from rules.objectives import evaluate_objectives
from rules.rollup import evaluate_rollup

CORPUS = Path(__file__).parent / "corpus"
RTE = Path(sys.executable).parent / "rte"
TODAY = date(2026, 11, 20)
CHECKED: list[str] = []  # corpus cases, for the counts
TRACEBACK = "Traceback (most recent call last)"


def expectations(path: Path) -> list[str]:
    return [
        line.removeprefix("# expect:").strip()
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.startswith("# expect:")
    ]


# --------------------------------------------------------------------------
# Config


CONFIGS = sorted((CORPUS / "config").glob("*.yaml"))


def run_rte(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [str(RTE), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


@pytest.fixture(scope="module")
def checked_configs() -> dict[Path, subprocess.CompletedProcess[str]]:
    """`rte check-config` on every broken config, two at a time."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda path: run_rte("check-config", str(path)), CONFIGS)
        return dict(zip(CONFIGS, results, strict=True))


@pytest.mark.parametrize("path", CONFIGS, ids=[path.stem for path in CONFIGS])
def test_a_broken_config_is_a_clear_error(path: Path, checked_configs) -> None:
    result = checked_configs[path]
    output = result.stdout + result.stderr
    assert TRACEBACK not in output
    assert result.returncode == 2, output
    assert result.stderr.startswith(f"{path}: "), output  # names the file, then each problem
    for expected in expectations(path):
        assert expected in result.stderr, (expected, result.stderr)
    assert "ATATT3xFfGF0" not in output  # a pasted secret is never echoed
    CHECKED.append(f"config:{path.stem}")


# --------------------------------------------------------------------------
# Jira data


PAGES = sorted(
    path for path in (CORPUS / "jira").glob("*.json") if path.stem not in ("fields", "export")
)


def data_config(folder: Path) -> dict[str, Any]:
    return {
        "art": {"name": "Corpus ART", "timezone": "Europe/Berlin"},
        "teams": [{"name": "Atlas"}, {"name": "Borealis"}],
        "jira": {
            "backend": "export",
            "export_dir": str(folder),
            "fields": {"story_points": "Story Points", "team": "Team"},
        },
        "kanban": {
            "states": [
                {"name": "Funnel", "statuses": ["Funnel"]},
                {"name": "Implementing", "statuses": ["Implementing"], "wip_limit": 5},
                {"name": "Done", "statuses": ["Done"]},
            ]
        },
        "cadence": {
            "pis": [
                {"name": "PI 2026.4", "start": "2026-10-05", "label": "pi-2026.4"},
                {"name": "PI 2027.1", "start": "2026-12-14", "label": "pi-2027.1"},
            ]
        },
    }


def export_of(page: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "jira"
    folder.mkdir()
    for name in ("fields.json", "export.json"):
        shutil.copy(CORPUS / "jira" / name, folder / name)
    shutil.copy(page, folder / "search-page-001.json")
    art = tmp_path / "art.yaml"
    art.write_text(yaml.safe_dump(data_config(folder)), encoding="utf-8")
    return art


@pytest.mark.parametrize("page", PAGES, ids=[path.stem for path in PAGES])
def test_broken_jira_data_ends_in_findings(page: Path, tmp_path: Path) -> None:
    art = export_of(page, tmp_path)
    config = validate_config(yaml.safe_load(art.read_text()))
    runner = CliRunner()
    for command in ("rollup", "budget", "readiness", "forecast"):
        result = runner.invoke(
            app,
            [
                command,
                "--config",
                str(art),
                "--today",
                str(TODAY),
                "--json",
                str(tmp_path / f"{command}.json"),
            ],
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command,
            result.exception,
        )
        assert TRACEBACK not in result.output
    flow_csv = runner.invoke(
        app, ["flow-export", "--config", str(art), "--out", str(tmp_path / "flow.csv")]
    )
    assert flow_csv.exception is None or isinstance(flow_csv.exception, SystemExit)
    try:
        body = json.loads(page.read_text(encoding="utf-8"))
    except json.JSONDecodeError:  # a cut-off page: the whole export is refused, clearly
        with pytest.raises(ExportFormatError, match=r"line \d+, column \d+: not valid JSON"):
            bootstrap(config, ".").jira.snapshot(TODAY)
        assert result.exit_code == 1 and "not valid JSON" in result.output
        CHECKED.append(f"jira:{page.stem}")
        return
    assert result.exit_code == 0, result.output
    snapshot = bootstrap(config, ".").jira.snapshot(TODAY)
    # the export's own time is what dates must not pass
    report = evaluate_snapshot(snapshot, config, generated_at=datetime.now(UTC))
    findings = [*report.findings, *evaluate_rollup(snapshot.items, config).findings]
    for expected in body["_expect"]:
        assert any(_matches(finding, expected) for finding in findings), (
            expected,
            [(f.rule, f.subject, f.data.get("problem")) for f in findings],
        )
    CHECKED.append(f"jira:{page.stem}")


def _matches(finding: Any, expected: dict[str, str]) -> bool:
    return (
        finding.rule == expected["rule"]
        and expected.get("subject", finding.subject) == finding.subject
        and expected.get("problem", finding.data.get("problem")) == finding.data.get("problem")
    )


# --------------------------------------------------------------------------
# PI objectives


OBJECTIVES = sorted((CORPUS / "objectives").glob("*.yaml"))


@pytest.mark.parametrize("path", OBJECTIVES, ids=[path.stem for path in OBJECTIVES])
def test_a_broken_objectives_file_is_a_clear_error_or_findings(path: Path, tmp_path: Path) -> None:
    data = data_config(tmp_path)
    data["objectives"] = {"source": "yaml", "file": str(path)}
    config = validate_config(data)
    errors = expectations(path)
    wanted = [
        line.removeprefix("# finding:").split()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("# finding:")
    ]
    try:
        source = bootstrap(config, ".").objectives.read()
    except ConfigError as exc:
        assert errors, f"unexpected: {exc}"
        for expected in errors:
            assert expected in str(exc), (expected, str(exc))
    else:
        assert not errors, f"{path.name} should have been refused"
        report = evaluate_objectives(source.objectives, config, today=TODAY)
        found = [(f.data.get("problem"), f.subject) for f in report.findings]
        for problem, subject in wanted:
            assert (problem, subject) in found, (problem, subject, found)
    CHECKED.append(f"objectives:{path.stem}")
