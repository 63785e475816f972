"""The program board and the ROAM board on the health page and the ART's PI objectives page:
pictures attached, items linked to Jira, hostile summaries shown as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

from art.cadence import planning_intervals
from art.model import Objective, Page
from reports.health_page import health_page
from reports.objectives_pages import objective_pages
from reports.program_board import CURRENT, program_board_pictures
from rules.dependency import dependency_findings
from rules.objectives import evaluate_objectives
from rules.train_boards import TrainBoards, evaluate_boards
from tests.board_builders import blocks, feature, risk, story
from tests.config_builders import art_config
from tests.metrics_builders import health_metrics, health_report
from tests.page_parsing import AC, MACRO, RI, Html, parse_storage, table_titles, text_of

CONFIG = art_config()
TODAY = date(2026, 11, 20)
JIRA = "https://aurora.atlassian.net"
HOSTILE = '<script>alert(1)</script> & ]]> <ac:structured-macro ac:name="html">'
ITEMS = [
    risk("AUR-1", "Owned", team="Atlas", owner="Ines Weber", due=date(2026, 11, 13), updated=TODAY),
    risk("AUR-2", "Identified", team="Borealis", updated=TODAY),
    replace(risk("AUR-3", "Accepted", owner="Ines Weber", updated=TODAY), summary=HOSTILE),
    risk("AUR-4", "Mitigated", team="Atlas", owner="Jonas Braun", updated=TODAY),
    risk("AUR-5", "Resolved", team="Atlas", resolved=date(2026, 11, 2)),
    story("AUR-10", "Borealis", "Borealis 2026.4-5", blocks("AUR-11")),
    story("AUR-11", "Atlas", "Atlas 2026.4-3"),
    story("AUR-12", "Atlas", "Atlas 2026.4-1", blocks("AUR-13")),
    story("AUR-13", "Borealis", "Borealis 2026.4-2"),
    feature("AUR-20", "Borealis", labels=("pi-2027.1",)),
]


def boards_on(today: date = TODAY) -> TrainBoards:
    return evaluate_boards(ITEMS, CONFIG, today=today)


def the_health_page() -> Page:
    boards = boards_on()
    pis = planning_intervals(CONFIG.cadence)
    findings = [
        *boards.risks.findings,
        *dependency_findings(ITEMS, pis, today=TODAY, blocking_link="blocks"),
    ]
    metrics = replace(health_metrics(), risks=boards.risks, program_board=boards.program)
    report = health_report(*findings, metrics=metrics)
    return health_page(report, program_board_pictures(boards.program), JIRA)


def section(root: ET.Element, title: str) -> list[ET.Element]:
    """The elements after the h2 titled `title`, up to the next h2."""
    children = list(root)
    start = next(n for n, c in enumerate(children) if c.tag == "h2" and text_of(c) == title)
    rest = children[start + 1 :]
    end = next((n for n, c in enumerate(rest) if c.tag == "h2"), len(rest))
    return rest[:end]


def links(elements: list[ET.Element]) -> list[str]:
    return [a.get("href", "") for element in elements for a in element.iter("a")]


def attached(elements: list[ET.Element]) -> list[str]:
    return [a.get(f"{{{RI}}}filename", "") for e in elements for a in e.iter(f"{{{RI}}}attachment")]


def test_the_health_page_shows_both_boards_and_links_both_items_of_each_dependency() -> None:
    page = the_health_page()
    root = parse_storage(page.storage)
    board = section(root, "Dependencies and program board")
    assert attached(board) == ["program-board.png", "program-board-next.png"]
    assert set(page.attachments) >= {"program-board.png", "program-board-next.png"}
    rows = [tr for e in board for tr in e.iter("tr") if tr.find("td") is not None]
    red, fine = rows[-2:]
    assert [a.text for a in red.iter("a")] == ["AUR-10", "AUR-11"]
    assert links([red]) == [f"{JIRA}/browse/AUR-10", f"{JIRA}/browse/AUR-11"]
    assert "Atlas needs AUR-10 from Borealis in PI 2026.4 Iteration 3" in text_of(red)
    assert [a.text for a in fine.iter("a")] == ["AUR-12", "AUR-13"] and "in order" in text_of(fine)


def test_the_roam_board_has_four_columns_with_each_risk_linked_to_jira() -> None:
    root = parse_storage(the_health_page().storage)
    risks = section(root, "Risks (ROAM)")
    roam = next(e for e in risks if e.tag == "table" and "Resolved (1)" in text_of(e))
    assert [text_of(th) for th in roam.iter("th")] == [
        "Resolved (1)",
        "Owned (1)",
        "Accepted (1)",
        "Mitigated (1)",
    ]
    columns = [text_of(td) for td in roam.iter("td")]
    assert [c.split(" ")[0] for c in columns] == ["AUR-5", "AUR-1", "AUR-3", "AUR-4"]
    assert f"{JIRA}/browse/AUR-2" in links(risks)  # not ROAMed yet: listed above the board
    rules = [text_of(tr) for e in risks for tr in e.iter("tr") if "risk-" in text_of(tr)]
    assert any("risk-overdue" in row and "AUR-1" in row for row in rules)
    assert any("risk-unroamed" in row and "AUR-2" in row for row in rules)
    others = section(root, "Other findings")  # the findings of rules with no section
    assert not any(title.startswith(("risk-", "dependency")) for title in table_titles(others))
    assert "No other findings." in "".join(text_of(e) for e in others)


def test_a_hostile_risk_summary_reaches_both_pages_as_text() -> None:
    page = the_health_page()
    root = parse_storage(page.storage)
    assert HOSTILE in text_of(root)
    assert not list(root.iter("script"))
    assert not [m for m in root.iter(MACRO) if m.get(f"{{{AC}}}name") == "html"]
    preview = Html(page.preview_html)
    assert "script" not in preview.tags and HOSTILE in "".join(preview.text)


def objective_pages_with(boards: TrainBoards) -> dict[str, Page]:
    objectives = [
        Objective(
            team="Atlas", pi="PI 2026.4", text="Overdraft online", committed=True, planned_value=8
        ),
        Objective(team="Atlas", pi="PI 2027.1", text="Paperless", committed=True, planned_value=5),
    ]
    report = evaluate_objectives(objectives, CONFIG, today=TODAY)
    return {page.title: page for page in objective_pages(report, jira_url=JIRA, boards=boards)}


def test_the_arts_objectives_page_embeds_its_pis_board_and_the_running_pis_roam_board() -> None:
    pages = objective_pages_with(boards_on())
    running = pages["PI 2026.4 - Test ART - Program PI Objectives"]
    root = parse_storage(running.storage)
    assert attached(section(root, "Dependencies and program board")) == [CURRENT]
    assert CURRENT in running.attachments
    assert [text_of(th) for th in root.iter("th") if "(" in text_of(th)][-4:] == [
        "Resolved (1)",
        "Owned (1)",
        "Accepted (1)",
        "Mitigated (1)",
    ]
    upcoming = parse_storage(pages["PI 2027.1 - Test ART - Program PI Objectives"].storage)
    assert attached(section(upcoming, "Dependencies and program board")) == [CURRENT]
    assert "Risks (ROAM)" not in [text_of(h) for h in upcoming.iter("h2")]
    team = pages["PI 2026.4 - Team Atlas - PI Objectives"]
    assert CURRENT not in team.attachments and "program-board" not in team.storage


def test_the_objectives_page_does_not_change_by_itself_from_day_to_day() -> None:
    monday, friday = (
        objective_pages_with(boards_on(date(2026, 11, 16))),
        objective_pages_with(boards_on(TODAY)),
    )
    assert monday == friday
