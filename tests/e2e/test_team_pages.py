"""`confluence.team_pages`: the nightly check publishes a health page per team under the
ART's health page, against the Confluence Cloud fake.

The demo ART has seven teams: the first run creates the ART's page and one page
a team under it; a second run writes nothing and creates nothing; with the key
turned off, the team pages are listed as orphans, and `rte health --prune`
archives them while the ART's page stays.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.demo_copy import copy_demo_config
from tests.e2e.confluence_cloud import confluence_section
from tests.fakes.confluence import FakeConfluence, FakePage

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]
TODAY = date(2026, 11, 20)
ART_PAGE = "Aurora ART - ART Health"
TEAMS = ("Atlas", "Borealis", "Comet", "Draco", "Eclipse", "Falcon", "Gemini")


def team_page_title(team: str) -> str:
    return f"Aurora ART - Team {team} - Health"


def current_pages(fake: FakeConfluence) -> dict[str, FakePage]:
    """The space's current pages by title."""
    return {
        page.title: page
        for page in fake.state.pages.values()
        if page.space_key == "ART" and page.status == "current"
    }


def test_each_team_gets_one_page_under_the_arts_and_a_rerun_creates_nothing(
    fake: FakeConfluence, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.nightly_health import nightly_health

    section = confluence_section(fake, monkeypatch, team_pages=True)
    config = copy_demo_config(tmp_path, confluence=section)
    before = set(current_pages(fake))
    run = nightly_health(config_path=str(config), out_dir=str(tmp_path), today=TODAY)
    assert run.published.pages.count("created") == 1 + len(TEAMS)
    pages = current_pages(fake)
    assert set(pages) - before == {ART_PAGE, *map(team_page_title, TEAMS)}
    art = pages[ART_PAGE]
    assert art.parent_id == pages["Aurora ART"].id  # confluence.parent
    for team in TEAMS:
        page = pages[team_page_title(team)]
        assert page.parent_id == art.id, team
        assert f'ri:content-title="{ART_PAGE}"' in page.body  # it links back to the ART's
        assert f'ri:content-title="{team_page_title(team)}"' in art.body  # and the ART's to it
    comet = pages[team_page_title("Comet")].body
    assert "Comet: story state" in comet and "Atlas: story state" not in comet

    fake.reset_log()
    again = nightly_health(config_path=str(config), out_dir=str(tmp_path), today=TODAY)
    assert again.published.pages.count("unchanged") == 1 + len(TEAMS)
    assert fake.write_count() == 0
    assert current_pages(fake) == pages and all(p.version == 1 for p in pages.values())


def test_team_pages_turned_off_are_orphans_until_pruned(
    fake: FakeConfluence, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    args = ["health", "--out", str(tmp_path), "--today", TODAY.isoformat()]
    on = copy_demo_config(
        tmp_path, confluence=confluence_section(fake, monkeypatch, team_pages=True)
    )
    assert runner.invoke(app, [*args, "--config", str(on)]).exit_code == 0
    off = copy_demo_config(tmp_path, confluence=confluence_section(fake, monkeypatch))

    listed = runner.invoke(app, [*args, "--config", str(off)])
    assert listed.exit_code == 0, listed.output
    orphans = [line for line in listed.output.splitlines() if line.strip().startswith("orphan")]
    assert len(orphans) == len(TEAMS) and "--prune archives it" in orphans[0]
    assert set(map(team_page_title, TEAMS)) <= set(current_pages(fake))

    pruned = runner.invoke(app, [*args, "--config", str(off), "--prune"])
    assert pruned.exit_code == 0, pruned.output
    left = current_pages(fake)
    assert ART_PAGE in left and not set(map(team_page_title, TEAMS)) & set(left)
    assert all(
        page.status == "archived"
        for page in fake.state.pages.values()
        if page.title in set(map(team_page_title, TEAMS))
    )
    again = runner.invoke(app, [*args, "--config", str(off)])
    assert "orphan" not in again.output
