"""The PI objective pages: titles, keys, tables, lozenges, links, the chart, hostile text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from art.model import Page
from reports.objectives_pages import (
    art_page_key,
    art_page_title,
    feature_link,
    objective_pages,
    team_page,
    team_page_key,
    team_page_title,
)
from reports.predictability_chart import FILENAME
from reports.templating import xml_safe
from rules.objectives import evaluate_objectives
from tests.objectives_builders import AFTER_PI_1, DURING_PI_1, PI_1, PI_2, objective, train
from tests.page_parsing import AC, MACRO, PARAMETER, RI, Html, parse_storage
from tests.page_parsing import HOSTILE as HEALTH_HOSTILE

JIRA = "https://example.atlassian.net"
HOSTILE = (*HEALTH_HOSTILE, "line one\r\nline two")


def cells(root: ET.Element) -> list[str]:
    """The text of every table cell below `root` (a page, a table or a row)."""
    return ["".join(td.itertext()) for td in root.iter("td")]


def lozenges(root: ET.Element) -> list[tuple[str, str]]:
    """(colour, title) of every status macro."""
    found = []
    for macro in root.iter(MACRO):
        if macro.get(f"{{{AC}}}name") == "status":
            values = {p.get(f"{{{AC}}}name"): p.text for p in macro.iter(PARAMETER)}
            found.append((values["colour"], values["title"]))
    return found


def pages_for(objectives, today=AFTER_PI_1, jira_url=JIRA) -> dict[str, Page]:
    report = evaluate_objectives(objectives, train(), today=today)
    return {page.title: page for page in objective_pages(report, jira_url=jira_url)}


SCORED = [
    objective("Alpha", 8, 6, features=("ART-1", "ART-2")),
    objective("Alpha", 2, 2, committed=False),
    objective("Beta", 10, 10),
    objective("Alpha", 5, pi=PI_2),
]


def test_every_pi_gets_a_page_per_team_and_an_art_page_with_predictable_titles_and_keys() -> None:
    report = evaluate_objectives(SCORED, train(), today=AFTER_PI_1)
    pages = objective_pages(report, jira_url=JIRA)
    assert [page.title for page in pages] == [
        "PI 1 - Team Alpha - PI Objectives",
        "PI 1 - Team Beta - PI Objectives",
        "PI 1 - Test ART - Program PI Objectives",
        "PI 2 - Team Alpha - PI Objectives",
        "PI 2 - Team Beta - PI Objectives",
        "PI 2 - Test ART - Program PI Objectives",
    ]
    assert (
        pages[0].key
        == team_page_key("Test ART", PI_1, "Alpha")
        == ("objectives:test-art:pi-1:team:alpha")
    )
    assert pages[2].key == art_page_key("Test ART", PI_1) == "objectives:test-art:pi-1:art"
    assert team_page_title(PI_1, "Alpha") == pages[0].title
    assert art_page_title(PI_1, "Test ART") == pages[2].title
    for page in pages:
        parse_storage(page.storage)  # every page is well-formed XML


def test_the_team_page_lists_its_objectives_with_lozenges_values_and_jira_links() -> None:
    page = pages_for(SCORED)["PI 1 - Team Alpha - PI Objectives"]
    root = parse_storage(page.storage)
    rows = [
        ([cell for index, cell in enumerate(cells(tr)) if index != 2], lozenges(tr))
        for tr in root.iter("tr")
        if cells(tr)
    ]
    assert rows == [
        (["1", "Alpha objective planned 8", "8", "6", "ART-1, ART-2"], [("Green", "committed")]),
        (["2", "Alpha objective planned 2", "2", "2", ""], [("Grey", "uncommitted")]),
    ]
    links = {a.text: a.get("href") for a in root.iter("a")}
    assert links == {"ART-1": f"{JIRA}/browse/ART-1", "ART-2": f"{JIRA}/browse/ART-2"}
    # 8 planned committed, 6 + 2 actual: 100%, within the band.
    assert ("Green", "within band") in lozenges(root)
    assert "100%" in "".join(root.itertext())
    page_link = next(root.iter(f"{{{RI}}}page"))
    assert page_link.get(f"{{{RI}}}content-title") == "PI 1 - Test ART - Program PI Objectives"


def test_the_art_page_has_the_predictability_table_with_band_colours_and_the_chart() -> None:
    objectives = [objective("Alpha", 10, 5), objective("Beta", 10, 10)]
    page = pages_for(objectives)["PI 1 - Test ART - Program PI Objectives"]
    root = parse_storage(page.storage)
    table = next(t for t in root.iter("table") if "Predictability" in "".join(t.itertext()))
    rows = [["".join(td.itertext()) for td in tr.iter("td")] for tr in table.iter("tr")][1:]
    assert [row[:6] for row in rows] == [
        ["Alpha", "1", "0", "10", "5", "50%"],
        ["Beta", "1", "0", "10", "10", "100%"],
        ["Test ART", "", "", "20", "15", "75%"],
    ]
    highlighted = [td for td in table.iter("td") if td.get("data-highlight-colour")]
    assert [("".join(td.itertext()), td.get("data-highlight-colour")) for td in highlighted] == [
        ("50%", "red"),
        ("75%", "red"),
    ]
    assert lozenges(table) == [
        ("Red", "below band"),
        ("Green", "within band"),
        ("Red", "below band"),
    ]
    image = next(root.iter(f"{{{RI}}}attachment"))
    assert image.get(f"{{{RI}}}filename") == FILENAME
    assert page.attachments[FILENAME].startswith(b"\x89PNG\r\n\x1a\n")
    assert 'src="data:image/png;base64,' in page.preview_html


def test_an_unscored_pi_has_no_chart_and_says_so() -> None:
    page = pages_for([objective("Alpha", 5)], today=DURING_PI_1)[
        "PI 1 - Test ART - Program PI Objectives"
    ]
    assert dict(page.attachments) == {}
    assert "No PI has been scored yet." in page.storage
    assert ("Grey", "not scored") in lozenges(parse_storage(page.storage))


def test_rendering_is_deterministic_so_an_unchanged_pi_republishes_nothing() -> None:
    first, second = pages_for(SCORED), pages_for(SCORED)
    assert first == second  # storage, preview and chart bytes alike


def test_a_past_pi_page_does_not_change_when_a_later_pi_is_scored() -> None:
    before = pages_for(SCORED)
    later = [*SCORED[:3], objective("Alpha", 5, 5, pi=PI_2)]
    after = pages_for(later, today=date(2026, 6, 1))
    title = "PI 1 - Test ART - Program PI Objectives"
    assert after[title] == before[title]
    assert (
        after["PI 2 - Test ART - Program PI Objectives"].attachments[FILENAME]
        != (before[title].attachments[FILENAME])
    )


def test_feature_keys_link_to_jira_only_when_they_are_issue_keys_and_the_site_is_known() -> None:
    assert feature_link("ART-12", JIRA).url == f"{JIRA}/browse/ART-12"
    assert feature_link("ART-12", None).url is None
    assert feature_link("javascript:alert(1)", JIRA).url is None
    assert feature_link("art-12", JIRA).url is None


def test_hostile_text_reaches_every_page_as_text_never_as_markup() -> None:
    objectives = [objective("Alpha", 5, 5, text=text) for text in HOSTILE]
    pages = pages_for(objectives)
    for title in ("PI 1 - Team Alpha - PI Objectives", "PI 1 - Test ART - Program PI Objectives"):
        root = parse_storage(pages[title].storage)
        texts = cells(root)
        for text in HOSTILE:
            assert text in texts, text
        names = {macro.get(f"{{{AC}}}name") for macro in root.iter(MACRO)}
        assert names <= {"status"}  # no html macro, no other macro smuggled in
        assert not list(root.iter("script"))
        assert_preview_shows_text(pages[title].preview_html, HOSTILE)


def assert_preview_shows_text(preview: str, texts: tuple[str, ...]) -> None:
    parser = Html(preview)
    assert "script" not in parser.tags
    shown = "".join(parser.text)
    for text in texts:
        assert text.replace("\r\n", "\n") in shown.replace("\r\n", "\n")


@given(st.text(min_size=1, max_size=80))
def test_any_objective_text_survives_as_text(text: str) -> None:
    report = evaluate_objectives([objective("Alpha", 5, 5, text=text)], train(), today=AFTER_PI_1)
    summary = report.pis[0]
    page = team_page(report, summary, summary.teams[0], JIRA)
    assert xml_safe(text) in cells(parse_storage(page.storage))
