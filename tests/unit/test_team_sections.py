"""Each team's part of the health report: its findings (by item, by board, by name), its
board and its flow, in a section of the health page and, with confluence.team_pages, on a
page of its own under the ART's."""

from __future__ import annotations

from datetime import UTC, datetime

from art.model import Finding, ItemFacts, Severity
from reports.health_page import health_page
from reports.team_sections import findings_by_team, team_of, team_pages, team_views
from tests.demo_findings import demo_health
from tests.page_parsing import Html, parse_storage, text_of

TEAMS = ("Atlas", "Comet")
_, _, DEMO = demo_health(datetime(2026, 11, 20, 19, tzinfo=UTC))


def item(team: str | None) -> ItemFacts:
    return ItemFacts("AUR-1", "A story", None, None, team, "In Progress")


def test_a_finding_is_the_team_of_its_item_its_board_or_its_name_else_the_arts() -> None:
    by_item = Finding("stale", Severity.WARNING, "AUR-1", "idle", item=item("Comet"))
    assert team_of(by_item, TEAMS) == "Comet"
    board = Finding(
        "wip-limit", Severity.WARNING, "Atlas: story state 'Doing'", "", data={"team": "Atlas"}
    )
    assert team_of(board, TEAMS) == "Atlas"
    assert team_of(Finding("capacity-tight", Severity.WARNING, "Comet", ""), TEAMS) == "Comet"
    assert team_of(Finding("stale", Severity.WARNING, "AUR-1", "", item=item(None)), TEAMS) is None
    assert (
        team_of(Finding("stale", Severity.WARNING, "AUR-1", "", item=item("Other")), TEAMS) is None
    )
    assert team_of(Finding("budget", Severity.CRITICAL, "Payments", ""), TEAMS) is None


def test_every_team_is_listed_with_its_findings_worst_first() -> None:
    mild = Finding("stale", Severity.INFO, "AUR-2", "", item=item("Comet"))
    bad = Finding("blocked", Severity.CRITICAL, "AUR-3", "", item=item("Comet"))
    assert findings_by_team([mild, bad], TEAMS) == {"Atlas": [], "Comet": [bad, mild]}


def test_the_demo_teams_each_have_a_section_with_their_board_and_flow() -> None:
    views = {view.name: view for view in team_views(DEMO)}
    assert set(views) == {"Atlas", "Borealis", "Comet", "Draco", "Eclipse", "Falcon", "Gemini"}
    for name, view in views.items():
        assert all(row.link is None or "/browse/" in row.link for row in view.findings.rows)
        assert view.boards and all(row.cells[0] == name for b in view.boards for row in b.rows)
        assert view.flow is not None
    over = [f for f in DEMO.findings if f.rule == "wip-limit" and f.data.get("team") == "Comet"]
    assert over and all(
        f.subject in [row.cells[0] for row in views["Comet"].findings.rows] for f in over
    )
    assert "over" in views["Comet"].line  # its board's breach, in its one line
    page = health_page(DEMO)
    assert "<h2>Teams</h2>" in page.preview_html
    sections = [
        text_of(m)
        for m in parse_storage(page.storage).iter()
        if m.text and m.text.startswith("Comet: ")
    ]
    assert sections and views["Comet"].summary in sections[0]


def test_each_team_page_sits_under_the_arts_page_and_holds_only_its_teams_findings() -> None:
    views = team_views(DEMO, pages=True)
    art = health_page(DEMO, teams=views)
    pages = team_pages(DEMO, art.key, art.title, views)
    assert [p.key for p in pages] == [
        f"health:aurora-art:team:{team}"
        for team in ("atlas", "borealis", "comet", "draco", "eclipse", "falcon", "gemini")
    ]
    assert {p.parent_key for p in pages} == {art.key}
    comet = next(p for p in pages if p.title == "Aurora ART - Team Comet - Health")
    comet_subjects = {f.subject for f in findings_by_team(DEMO.findings, TEAMS)["Comet"]}
    atlas_only = {
        f.subject for f in findings_by_team(DEMO.findings, TEAMS)["Atlas"]
    } - comet_subjects
    cells = Html(comet.preview_html).cells
    assert comet_subjects <= set(cells) and not atlas_only & set(cells)
    assert f'ri:content-title="{art.title}"' in comet.storage
    assert 'ri:content-title="Aurora ART - Team Comet - Health"' in art.storage
