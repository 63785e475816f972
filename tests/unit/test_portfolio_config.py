"""A portfolio: every ART checked up front, paths that work on any worker, a ceiling a site."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from art.config_errors import ConfigError
from flows.cli.common import DEMO_CONFIG
from flows.runs.portfolio_config import read_portfolio
from tests.demo_copy import copy_demo_config

ROOT = Path(__file__).resolve().parents[2]
LIVE_JIRA = {
    "backend": "cloud",
    "url": "https://Aurora.atlassian.net",
    "projects": ["AUR"],
    "auth": {"user": "env:JIRA_USER", "token": "env:JIRA_TOKEN"},
}


def write_portfolio(folder: Path, **content: object) -> Path:
    path = folder / "portfolio.yaml"
    path.write_text(yaml.safe_dump(content), encoding="utf-8")
    return path


def test_the_example_portfolio_reads_and_names_the_demo_as_the_checkout_does() -> None:
    portfolio = read_portfolio(ROOT / "examples" / "portfolio.yaml", cwd=ROOT)
    [art] = portfolio.arts
    assert art.path == "flows/demo_art/art.yaml"
    assert portfolio.run_parameters(art) == {
        "config_path": "flows/demo_art/art.yaml",
        "out_dir": "out/aurora-art",
    }
    assert portfolio.deployment_for("nightly-health") == "nightly-health/nightly"
    assert portfolio.jira_ceiling is not None
    assert portfolio.jira_ceiling.requests_per_second == 5


def test_arts_outside_the_working_directory_are_named_absolutely(tmp_path: Path) -> None:
    second = copy_demo_config(tmp_path / "b", name="Borealis ART")
    path = write_portfolio(tmp_path, arts=[str(DEMO_CONFIG), "b/art.yaml"], out_dir="/srv/out")
    portfolio = read_portfolio(path, cwd=ROOT)
    assert [art.path for art in portfolio.arts] == ["flows/demo_art/art.yaml", str(second)]
    assert portfolio.run_parameters(portfolio.arts[1])["out_dir"] == "/srv/out/borealis-art"


def test_one_ceiling_per_jira_site_however_its_url_is_written(tmp_path: Path) -> None:
    copy_demo_config(tmp_path / "a", name="A ART", jira=LIVE_JIRA)
    copy_demo_config(
        tmp_path / "b", name="B ART", jira={**LIVE_JIRA, "url": "https://aurora.atlassian.net/"}
    )
    copy_demo_config(tmp_path / "c", name="C ART")  # the export: no site
    path = write_portfolio(tmp_path, arts=["a/art.yaml", "b/art.yaml", "c/art.yaml"])
    assert read_portfolio(path).jira_sites() == {
        "aurora.atlassian.net": "https://Aurora.atlassian.net"
    }


def test_every_problem_is_named_with_its_art_file_and_field(tmp_path: Path) -> None:
    copy_demo_config(tmp_path / "bad", name="Bad ART", kanban={"states": []})
    copy_demo_config(tmp_path / "twin", name="Aurora ART")
    path = write_portfolio(
        tmp_path,
        arts=[str(DEMO_CONFIG), "bad/art.yaml", "missing/art.yaml", "twin/art.yaml"],
        deployments={"nightly": "x/y", "art-calendar": "nightly-health/nightly"},
        jira_ceiling={"requests_per_second": 0},
    )
    with pytest.raises(ConfigError) as raised:
        read_portfolio(path)
    problems = [str(problem) for problem in raised.value.problems]
    assert problems == ["jira_ceiling.requests_per_second: must be >= 0.01"]

    path = write_portfolio(
        tmp_path,
        arts=[str(DEMO_CONFIG), "bad/art.yaml", "missing/art.yaml", "twin/art.yaml"],
        deployments={"nightly": "x/y", "art-calendar": "nightly-health/nightly"},
    )
    with pytest.raises(ConfigError) as raised:
        read_portfolio(path)
    problems = [str(problem) for problem in raised.value.problems]
    assert problems[0] == (
        "arts[1] (bad/art.yaml): kanban: give either 'states' (listed here) or 'board' "
        "(read from Jira)"
    )
    assert problems[1] == "arts[2] (missing/art.yaml): no such file"
    assert problems[2:] == [
        "deployments.art-calendar: must name a deployment of art-calendar: 'art-calendar/NAME'",
        "deployments.nightly: is not a flow (flows: ['art-calendar', 'nightly-health', "
        "'pi-objectives'])",
        "arts[3]: ART 'Aurora ART' has the same name as arts[0]; their output folders would "
        "collide",
    ]


def test_a_portfolio_needs_arts(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="arts: must have at least 1 entry"):
        read_portfolio(write_portfolio(tmp_path, arts=[]))
