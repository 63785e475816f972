"""Every failure the `rte` command anticipates: one line (or a config's list of problems)
saying what to fix, a documented exit code, and never a traceback, also when the run
is a Prefect flow run, whose own failure log would otherwise come first."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app
from tests.demo_copy import copy_demo_config
from tests.fakes.confluence import FakeConfluence

pytestmark = pytest.mark.e2e
RTE = Path(sys.executable).parent / "rte"


def rte(*args: str) -> tuple[int, str, str]:
    """`rte ARGS` in this process: exit code, stdout, stderr."""
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_user_text_never_goes_through_markup_nor_reaches_the_terminal_raw(
    tmp_path: Path,
) -> None:
    config = copy_demo_config(
        tmp_path, art={"name": "x [/] y [bold]\x1b[31m", "timezone": "Europe/Berlin"}
    )
    code, out, err = rte("check-config", str(config))
    assert code == 0, err
    assert "ART 'x [/] y [bold]" in out and "\x1b" not in out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["demo", "--out", "{file}"],
            "rte demo: Invalid value for '--out': dir '{file}' is a file",
        ),
        (
            ["rollup", "--config", "{config}", "--json", "{folder}"],
            "rte rollup: Invalid value for '--json': file '{folder}' is a directory",
        ),
        (
            ["flow-export", "--config", "{config}", "--out", "{folder}"],
            "rte flow-export: Invalid value for '--out': file '{folder}' is a directory",
        ),
        (["health", "--config", "{config}", "--today", "20.11.2026"], "rte health: Invalid value"),
        (["health"], "rte health: Missing option '--config'"),
        (["nightly"], "rte: No such command 'nightly'"),
    ],
)
def test_an_option_that_cannot_be_used_is_one_line_and_exit_2(
    args: list[str], says: str, tmp_path: Path
) -> None:
    names = {
        "file": str(tmp_path / "a-file"),
        "folder": str(tmp_path),
        "config": str(copy_demo_config(tmp_path / "art")),
    }
    (tmp_path / "a-file").write_text("not a folder")
    code, _, err = rte(*(arg.format(**names) for arg in args))
    assert code == 2
    assert one_line(err).startswith(says.format(**names))


def test_a_config_without_objectives_passes_and_rte_objectives_says_what_to_set(
    tmp_path: Path,
) -> None:
    config = copy_demo_config(tmp_path)
    data = yaml.safe_load(config.read_text())
    del data["objectives"]
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, out, _ = rte("check-config", str(config))
    assert code == 0 and "note: objectives is not set up" in out
    code, _, err = rte("objectives", "--config", str(config), "--out", str(tmp_path / "out"))
    assert code == 2
    assert one_line(err) == (
        f"{config}: objectives: is not set up: give objectives.file (the PI objectives as "
        "YAML) or objectives.source: jira (issues of objectives.issue_type)"
    )
    assert not (tmp_path / "out").exists()


def test_a_yaml_slip_names_line_and_column_and_hints_at_indentation(tmp_path: Path) -> None:
    config = tmp_path / "art.yaml"
    config.write_text("art:\n  name: Aurora\n timezone: Europe/Berlin\n", encoding="utf-8")
    code, _, err = rte("check-config", str(config))
    assert code == 2
    line = one_line(err)
    assert line.startswith(f"{config}: line 3, column 2: ")
    assert "YAML nests by indentation" in line


def test_a_missing_export_is_one_line_naming_the_folder(tmp_path: Path) -> None:
    config = copy_demo_config(tmp_path)
    data = yaml.safe_load(config.read_text())
    data["jira"]["export_dir"] = str(tmp_path / "gone")
    config.write_text(yaml.safe_dump(data), encoding="utf-8")
    code, _, err = rte("health", "--config", str(config), "--out", str(tmp_path / "out"))
    assert code == 1
    assert one_line(err) == f"rte health: Jira export folder not found: {tmp_path / 'gone'}"


# -- as Prefect flow runs: Prefect's own failure log stays off the terminal -----------


@pytest.fixture
def prefect_api(prefect_harness: None) -> str:
    """The harness's Prefect API, for `rte` run as a separate process."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url
    return str(url)


@pytest.fixture
def refusing_confluence() -> Iterator[FakeConfluence]:
    fake = FakeConfluence(deployment="cloud", token="the-right-token")
    fake.add_space("ART", "Aurora ART")
    with fake.running():
        yield fake


def rte_process(api: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(PREFECT_API_URL=api, RTE_WRONG_TOKEN="not-the-token", NO_COLOR="1")
    return subprocess.run(
        [str(RTE), *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def test_a_refused_page_in_a_flow_run_is_one_line(
    prefect_api: str, refusing_confluence: FakeConfluence, tmp_path: Path
) -> None:
    confluence = {
        "backend": "cloud",
        "url": refusing_confluence.url,
        "space": "ART",
        "auth": {"user": "env:RTE_WRONG_TOKEN", "token": "env:RTE_WRONG_TOKEN"},
    }
    config = copy_demo_config(tmp_path, confluence=confluence)
    run = rte_process(prefect_api, "objectives", "--config", str(config), "--out", str(tmp_path))
    assert run.returncode == 1, run.stderr
    line = one_line(run.stderr)
    assert line.startswith("rte objectives: Confluence Cloud") and "HTTP 401" in line
    assert "not-the-token" not in run.stdout + run.stderr


def test_an_objectives_file_the_schema_refuses_in_a_flow_run_lists_its_problems(
    prefect_api: str, tmp_path: Path
) -> None:
    objectives = tmp_path / "objectives.yaml"
    objectives.write_text("objectives:\n  PI 2026.4:\n    Atlas:\n      - planned: 11\n")
    config = copy_demo_config(tmp_path, objectives={"source": "yaml", "file": str(objectives)})
    run = rte_process(prefect_api, "objectives", "--config", str(config), "--out", str(tmp_path))
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "Finished in state" not in run.stderr
    first, *problems = run.stderr.splitlines()
    assert first == f"{objectives}: {len(problems)} problems" and len(problems) > 1
    assert any("planned" in problem and "must be <= 10" in problem for problem in problems)
