"""`rte sync --config PATH [--full]` as a user runs it: a real process against the Jira fake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.jira import FakeJira
from tests.integration.jira_fixtures import write_art_yaml

ROOT = Path(__file__).resolve().parents[2]
_RUN = """
import sys
from flows.cli import main
sys.argv = ["rte", *sys.argv[1:]]
try:
    main()
finally:
    print("prefect imported" if "prefect" in sys.modules else "no prefect", file=sys.stderr)
"""


def rte(*args: str, token: str | None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("JIRA_")}
    env["JIRA_USER"] = "rte@example.com"
    if token is not None:
        env["JIRA_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-c", _RUN, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def art_yaml(cloud: FakeJira, tmp_path: Path) -> Path:
    return write_art_yaml(cloud, tmp_path)


def test_sync_prints_what_it_cost_and_runs_incrementally_the_second_time(
    cloud: FakeJira, art_yaml: Path
) -> None:
    first = rte("sync", "--config", str(art_yaml), token=cloud.token)
    assert first.returncode == 0, first.stderr
    assert f"Full sync of {cloud.url}: {len(cloud.issues)} issue(s) fetched" in first.stdout
    assert "GET /rest/api/3/search/jql" in first.stdout
    assert "POST /rest/api/3/changelog/bulkfetch" in first.stdout
    cloud.transition("AUR-30", "Done")
    second = rte("sync", "--config", str(art_yaml), token=cloud.token)
    assert second.returncode == 0, second.stderr
    assert "Incremental sync" in second.stdout and "1 issue(s) fetched" in second.stdout
    again = rte("sync", "--config", str(art_yaml), "--full", token=cloud.token)
    assert "Full sync" in again.stdout
    for run in (first, second, again):
        assert cloud.token not in run.stdout + run.stderr
        assert run.stderr.strip().endswith("no prefect")


def test_a_missing_credential_names_the_variable_and_the_field(
    cloud: FakeJira, art_yaml: Path
) -> None:
    run = rte("sync", "--config", str(art_yaml), token=None)
    assert run.returncode == 2  # a secret reference to fix, like a config problem
    assert run.stderr.startswith(
        "rte sync: jira.auth.token: the environment variable JIRA_TOKEN is not set"
    )
    assert cloud.count() == 0


def test_a_refused_token_is_reported_without_being_shown(cloud: FakeJira, art_yaml: Path) -> None:
    wrong = "not-the-token-5fe1"
    run = rte("sync", "--config", str(art_yaml), token=wrong)
    assert run.returncode == 1
    assert "HTTP 401" in run.stderr and "jira.auth.token" in run.stderr
    assert wrong not in run.stdout + run.stderr
    assert "Traceback" not in run.stderr


def test_an_export_config_has_nothing_to_sync(tmp_path: Path) -> None:
    run = rte("sync", "--config", str(ROOT / "flows" / "demo_art" / "art.yaml"), token="x")
    assert run.returncode == 2
    assert run.stderr.splitlines()[0].endswith(
        "art.yaml: jira.backend: is 'export': there is no Jira site to sync with or write to "
        "(a live site is 'cloud' or 'datacenter')"
    )
