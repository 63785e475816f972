"""The health page: Confluence storage XHTML and the HTML preview."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from art.model import Finding, Severity
from reports.health_page import MISSING, health_page, xml_safe
from reports.summary import summary_table
from rules.health import HealthMetrics, HealthReport, ItemCounts
from tests.builders import wip_finding
from tests.metrics_builders import health_metrics, health_report, kanban, state
from tests.page_parsing import AC, HOSTILE, MACRO, PARAMETER, Html, parse_storage, text_of

STATES = (
    state("Funnel", 9),
    state("Analyzing", 1, limit=4, minimum=2),
    state("Implementing", 5, limit=3),
    state("Done", 30),
)


def report(
    *findings: Finding, metrics: HealthMetrics | None = None, art: str = "Aurora ART"
) -> HealthReport:
    """The health report of `tests.metrics_builders`, with the Program Kanban's states."""
    return health_report(
        *findings, metrics=metrics or health_metrics(kanban=kanban(*STATES)), art=art
    )


def macros(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(MACRO))


def lozenge_titles(root: ET.Element) -> list[str]:
    titles = []
    for macro in macros(root):
        for parameter in macro.iter(PARAMETER):
            if parameter.get(f"{{{AC}}}name") == "title":
                titles.append(parameter.text or "")
    return titles


# --------------------------------------------------------------------------
# The page itself


def test_key_and_title_do_not_change_from_night_to_night() -> None:
    page = health_page(report(art="Aurora ART"))
    assert page.key == "health:aurora-art"
    assert page.title == "Aurora ART - ART Health"
    assert health_page(report(art="Zürich Train!")).key == "health:zurich-train"


def test_storage_parses_as_xml_and_opens_with_the_counts_by_severity() -> None:
    page = health_page(
        report(wip_finding("Implementing", 5, 3, Severity.CRITICAL), wip_finding("Analyzing", 5, 4))
    )
    root = parse_storage(page.storage)
    headings = [text_of(h) for h in root.iter("h2")]
    assert headings == ["Program Kanban WIP", "Other findings"]  # no morning read, no team
    assert lozenge_titles(root)[:3] == ["1 critical", "1 warning", "0 info"]
    colours = [p.text for m in macros(root)[:3] for p in m if p.get(f"{{{AC}}}name") == "colour"]
    assert colours == ["Red", "Yellow", "Grey"]


def wip_rows(page_report: HealthReport) -> dict[str, ET.Element]:
    root = parse_storage(health_page(page_report).storage)
    return {text_of(tr[0]): tr for tr in root.iter("tr") if tr[0].tag == "td" and len(tr) == 4}


@pytest.mark.parametrize(
    ("severity", "colour"),
    [(Severity.CRITICAL, "Red"), (Severity.WARNING, "Yellow"), (Severity.INFO, "Blue")],
)
def test_a_state_out_of_bounds_is_coloured_as_its_wip_finding(
    severity: Severity, colour: str
) -> None:
    """A warning is never shown as a red "over limit": the state takes its finding's colour."""
    rows = wip_rows(
        report(
            wip_finding("Implementing", 5, 3, severity), wip_finding("Analyzing", 1, 2, severity)
        )
    )
    assert set(rows) == {"Funnel", "Analyzing", "Implementing", "Done"}
    implementing = rows["Implementing"]
    assert text_of(implementing[1]) == "5 / 3"
    assert implementing[1].get("data-highlight-colour") == colour.lower()
    assert text_of(implementing[3]) == f"{colour}over limit"
    assert rows["Analyzing"][1].get("data-highlight-colour") == colour.lower()
    assert text_of(rows["Analyzing"][3]) == f"{colour}under minimum"
    assert rows["Funnel"][1].get("data-highlight-colour") is None
    assert text_of(rows["Funnel"][1]) == f"9 / {MISSING}"
    assert text_of(rows["Funnel"][3]) == "Greenok"


def test_a_state_out_of_bounds_with_no_finding_is_grey_not_red() -> None:
    """Its finding suppressed (or of another board's level), the state is not judged here."""
    rows = wip_rows(report(wip_finding("Implementing", 5, 3, Severity.CRITICAL, level="epic")))
    assert rows["Implementing"][1].get("data-highlight-colour") == "grey"
    assert text_of(rows["Implementing"][3]) == "Greyover limit"


def test_findings_are_grouped_by_rule_worst_group_first() -> None:
    page = health_page(
        report(
            Finding("aging", Severity.INFO, "AUR-1", "old"),
            wip_finding("Implementing", 5, 3),
            Finding("blocked", Severity.CRITICAL, "AUR-2", "blocked"),
            wip_finding("Analyzing", 5, 4),
        )
    )
    root = parse_storage(page.storage)
    assert [text_of(h) for h in root.iter("h3")] == ["blocked (1)", "wip-limit (2)", "aging (1)"]
    wip_table = root.findall("table")[2]
    subjects = [text_of(tr[1]) for tr in wip_table.iter("tr") if tr[0].tag == "td"]
    assert subjects == ["Analyzing", "Implementing"]


def test_no_findings_and_no_metrics_still_render() -> None:
    page = health_page(report(metrics=health_metrics()))
    root = parse_storage(page.storage)
    assert "No Program Kanban metrics" in text_of(root)
    assert "No findings" in text_of(root)
    assert "No findings" in page.preview_html


def test_the_item_counts_are_said_at_the_foot_and_the_kanbans_level_above_its_table() -> None:
    """What the "Other metrics" table held as raw keys, in words where it belongs."""
    metrics = health_metrics(
        kanban=kanban(*STATES), items=ItemCounts(1047, {"feature": 40, "story": 1005}, 2)
    )
    page = health_page(report(metrics=metrics))
    read = (
        "Read 1,047 items from Jira (feature 40, story 1,005); 2 records could not be read "
        "(see Data quality)."
    )
    for text in (text_of(parse_storage(page.storage)), "".join(Html(page.preview_html).text)):
        assert read in text
        assert "The feature items on the Program Kanban, each state against its" in text
        assert "items.total" not in text and "kanban.level" not in text
        assert "Other metrics" not in text
    assert "Read 0 items from Jira." in health_page(report()).storage


# --------------------------------------------------------------------------
# Hostile text


def hostile_report() -> HealthReport:
    findings = [Finding("wip-limit", Severity.WARNING, text, text) for text in HOSTILE]
    states = [state(text, 1, limit=2) for text in HOSTILE]
    # a level name is config text too: it shows above the Program Kanban's table
    return report(*findings, metrics=health_metrics(kanban=kanban(*states, level=HOSTILE[0])))


def test_hostile_text_in_storage_is_text_not_markup() -> None:
    page = health_page(hostile_report())
    root = parse_storage(page.storage)
    cells = [text_of(td) for td in root.iter("td")]
    for text in HOSTILE:  # state name, subject, message
        assert cells.count(text) == 3
    assert f"The {HOSTILE[0]} items on the Program Kanban" in text_of(root)
    assert all(m.get(f"{{{AC}}}name") == "status" for m in macros(root))
    # our lozenges only: 3 in the summary, 1 per WIP row, 1 per finding
    assert len(macros(root)) == 3 + 2 * len(HOSTILE)
    assert not list(root.iter(f"{{{AC}}}plain-text-body"))
    assert not list(root.iter("script"))
    assert "<![CDATA[" not in page.storage


def test_hostile_text_in_the_preview_is_text_not_markup() -> None:
    page = health_page(hostile_report())
    parsed = Html(page.preview_html)
    assert "script" not in parsed.tags
    assert not any(tag.startswith("ac:") for tag in parsed.tags)
    for text in HOSTILE:
        assert parsed.cells.count(text) == 3
    assert f"The {HOSTILE[0]} items on the Program Kanban" in "".join(parsed.text)


def test_the_preview_is_self_contained_html5() -> None:
    html = health_page(report(wip_finding("Implementing", 5, 3, Severity.CRITICAL))).preview_html
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html
    parsed = Html(html)
    assert {"script", "link", "img", "iframe"}.isdisjoint(parsed.tags)
    assert "http://" not in html and "https://" not in html
    assert 'data-severity="critical"' in html
    assert "Implementing" in parsed.cells


# --------------------------------------------------------------------------
# Any text at all
#
# Decision: characters XML 1.0 cannot carry (C0 controls but TAB/LF/CR, lone
# surrogates, U+FFFE/U+FFFF) are removed by the renderer; every other
# character, CR included, comes back from an XML parser exactly.


def test_characters_xml_cannot_carry_are_removed_and_cr_survives() -> None:
    text = "a\x00b\x08c\x0bd\x1fe\ufffef\r\ng\th"
    root = parse_storage(health_page(report(Finding("r", Severity.INFO, text, "m"))).storage)
    assert xml_safe(text) == "abcdef\r\ng\th"
    assert "abcdef\r\ng\th" in [text_of(td) for td in root.iter("td")]


@given(subject=st.text(), message=st.text())
def test_any_text_renders_to_storage_that_parses_and_says_it_exactly(
    subject: str, message: str
) -> None:
    page = health_page(report(Finding("wip-limit", Severity.WARNING, subject, message)))
    root = parse_storage(page.storage)
    [row] = [tr for tr in root.iter("tr") if len(tr) == 3 and tr[0].tag == "td"]
    assert text_of(row[1]) == xml_safe(subject)
    assert text_of(row[2]) == xml_safe(message)
    assert all(m.get(f"{{{AC}}}name") == "status" for m in macros(root))


@given(subject=st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))))
def test_text_without_control_characters_comes_back_unchanged(subject: str) -> None:
    page = health_page(report(Finding("wip-limit", Severity.WARNING, subject, "m")))
    root = parse_storage(page.storage)
    assert subject in [text_of(td) for td in root.iter("td")]


@given(subject=st.text(), art=st.text())
def test_any_text_in_the_preview_stays_text(subject: str, art: str) -> None:
    page = health_page(report(Finding("wip-limit", Severity.WARNING, subject, "m"), art=art))
    parsed = Html(page.preview_html)
    assert "script" not in parsed.tags
    assert xml_safe(subject) in parsed.cells


# --------------------------------------------------------------------------
# The terminal summary (reports.summary) shares the view model above


def console_text(renderable: object) -> str:
    console = Console(width=160, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def test_the_terminal_summary_shows_counts_wip_and_top_findings() -> None:
    findings = [wip_finding(f"State {n}", 5, 3) for n in range(12)]
    text = console_text(summary_table(report(*findings, Finding("b", Severity.CRITICAL, "X", "m"))))
    assert "Aurora ART" in text and "PI 2026.4" in text
    assert "Program Kanban WIP" in text and "over limit" in text and "under minimum" in text
    assert "... and 3 more" in text  # 13 findings, top 10 shown
    assert text.index("critical") < text.index("warning")


def test_the_terminal_summary_prints_markup_and_escapes_literally() -> None:
    hostile = Finding("r", Severity.INFO, "[bold]AUR-1[/bold] [link=http://x]y", "\x1b[2Jgone")
    text = console_text(summary_table(report(hostile)))
    assert "[bold]AUR-1[/bold] [link=http://x]y" in text
    assert "\x1b" not in text and "[2Jgone" in text


def test_the_page_does_not_change_when_only_the_run_time_does() -> None:
    """A page that differs every night would get a new version (and a notification) nightly."""
    from dataclasses import replace

    tonight = report()
    later = replace(tonight, generated_at=tonight.generated_at.replace(hour=5))
    assert health_page(later) == health_page(tonight)
