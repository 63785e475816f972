"""Hostile text through every field that reaches a page, a mail, an invite or a JQL search.

Each property builds the whole train from one arbitrary string
(`tests.reliability.hostile`) and renders what rte publishes from it, then
compares with the same train built from a harmless string: the hostile one
may change the text, never the shape. Storage XHTML must parse as XML with
the same elements and macros and show the text literally; the HTML preview
and the mail the same tags; the `.ics` the same properties and lines; Graph
events one-line subjects; and JQL the same tokens, each config value one
quoted string.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from art.config import JiraConfig
from art.model import Severity
from connectors.jira_sync import scope_jql
from connectors.jql import jql_condition, jql_string
from connectors.objectives_jira import objectives_jql
from connectors.outlook_events import graph_payload
from reports.escalation_mail import escalation_mail
from reports.health_page import health_page
from reports.ics import render_ics
from reports.objectives_pages import objective_pages
from reports.templating import xml_safe
from rules.calendar import plan_calendar, public_holidays
from rules.objectives import evaluate_objectives
from tests.fakes.jql import _tokens
from tests.objectives_builders import train
from tests.page_parsing import AC, MACRO, Html, parse_storage
from tests.reliability.hostile import NASTY, TODAY, Train, hostile_text, hostile_train

HARMLESS = "harmless"
TRIED: list[str] = []  # every hostile string, for the counts
EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def reference() -> Train:
    return hostile_train(HARMLESS)


# --------------------------------------------------------------------------
# Pages: storage XHTML and the HTML preview


def shape(root: ET.Element) -> list[tuple[str, tuple[str, ...]]]:
    """Every element in document order with its attribute names: what markup could change."""
    return [(element.tag, tuple(sorted(element.attrib))) for element in root.iter()]


def macro_names(root: ET.Element) -> list[str | None]:
    return [macro.get(f"{{{AC}}}name") for macro in root.iter(MACRO)]


def assert_page_is_text(
    storage: str, preview: str, benign_storage: str, benign_preview: str, shown: str
) -> None:
    root = parse_storage(storage)
    benign = parse_storage(benign_storage)
    assert shape(root) == shape(benign)
    assert macro_names(root) == macro_names(benign)
    assert "<![CDATA[" not in storage
    assert xml_safe(shown) in "".join(root.itertext())
    tags = Html(preview)
    assert tags.tags == Html(benign_preview).tags
    assert xml_safe(shown).replace("\r", "\n") in "".join(tags.text).replace("\r", "\n")


@EXAMPLES
@given(h=hostile_text)
def test_the_health_page_shows_any_text_as_text(h: str) -> None:
    TRIED.append(h)
    page = health_page(hostile_train(h).report)
    benign = health_page(reference().report)
    assert_page_is_text(
        page.storage, page.preview_html, benign.storage, benign.preview_html, f"Aurora {h}"
    )


@EXAMPLES
@given(h=hostile_text)
def test_objective_pages_show_any_text_as_text(h: str) -> None:
    TRIED.append(h)
    hostile, harmless = hostile_train(h), reference()
    pages = objective_pages(evaluate_objectives(hostile.objectives, hostile.config, today=TODAY))
    benign = objective_pages(evaluate_objectives(harmless.objectives, harmless.config, today=TODAY))
    assert len(pages) == len(benign)
    for page, reference_page in zip(pages, benign, strict=True):
        assert_page_is_text(
            page.storage,
            page.preview_html,
            reference_page.storage,
            reference_page.preview_html,
            f"PI {h}",
        )
    team_page = pages[0]
    assert xml_safe(h) in "".join(parse_storage(team_page.storage).itertext())


# --------------------------------------------------------------------------
# The escalation mail


@EXAMPLES
@given(h=hostile_text)
def test_the_escalation_mail_escapes_any_text(h: str) -> None:
    TRIED.append(h)
    mail = escalation_mail(hostile_train(h).report, Severity.INFO, "https://wiki.example.com/x")
    benign = escalation_mail(reference().report, Severity.INFO, "https://wiki.example.com/x")
    assert mail is not None and benign is not None
    assert not any(ch in mail.subject for ch in "\r\n\x00\x85\u2028\u2029")
    tags = Html(mail.html)
    assert tags.tags == Html(benign.html).tags
    assert "<script" not in mail.html.lower()
    assert html.unescape(html.escape(xml_safe(f"Aurora {h}"))) in "".join(tags.text)


# --------------------------------------------------------------------------
# Invites: the .ics file and the Graph events


@cache
def holidays():  # type: ignore[no-untyped-def]
    return public_holidays(reference().config.calendar.holidays, range(2025, 2029))


def ics_lines(data: bytes) -> list[str]:
    """The logical content lines (RFC 5545 3.1: a line starting with a space continues one)."""
    lines: list[str] = []
    for physical in data.decode("utf-8").split("\r\n"):
        if physical[:1] in (" ", "\t") and lines:
            lines[-1] += physical[1:]
        elif physical:
            lines.append(physical)
    return lines


def line_names(data: bytes) -> list[str]:
    return [line.split(":", 1)[0].split(";", 1)[0] for line in ics_lines(data)]


@EXAMPLES
@given(h=hostile_text)
def test_the_ics_file_cannot_be_given_a_property_or_a_line(h: str) -> None:
    TRIED.append(h)
    config, harmless = hostile_train(h).config, reference().config
    events = plan_calendar(config, holidays()).events
    benign_events = plan_calendar(harmless, holidays()).events
    data = render_ics(events, calendar_name=config.art.name, tz=config.art.timezone)
    benign = render_ics(benign_events, calendar_name=harmless.art.name, tz=config.art.timezone)
    assert line_names(data) == line_names(benign)
    assert b"\r\n" not in data.replace(b"\r\n", b"") and b"\n" not in data.replace(b"\r\n", b"")
    parsed = Calendar.from_ical(data).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in parsed] == [_ics_text(e.title) for e in events]
    for event in events:
        payload = graph_payload(event, config.art.timezone)
        for one_line in (payload["subject"], payload["location"]["displayName"]):
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in one_line)
            assert "\u2028" not in one_line and "\u2029" not in one_line


def _ics_text(text: str) -> str:
    from reports.ics import clean_text

    return clean_text(text)


# --------------------------------------------------------------------------
# JQL


def structure(jql: str) -> list[str]:
    """Token kinds, with operators and words spelled out: what a value must not change."""
    return [
        kind if kind == "string" else f"{kind}:{value.casefold()}" for kind, value in _tokens(jql)
    ]


@EXAMPLES
@given(issue_type=hostile_text)
def test_a_config_value_stays_one_quoted_value_in_jql(issue_type: str) -> None:
    TRIED.append(issue_type)
    jql = objectives_jql(train(issue_type=issue_type))
    assert structure(jql) == structure(objectives_jql(train(issue_type=HARMLESS)))
    assert _tokens(jql)[-1] == ("string", issue_type)
    assert _tokens(jql_string(issue_type)) == [("string", issue_type)]


KEYS = st.from_regex(r"\A[A-Z][A-Z0-9_]{0,9}\Z").filter(lambda key: len(key) > 0)
RESERVED = st.sampled_from(["AND", "OR", "NOT", "IN", "IS", "ORDER", "BY", "EMPTY", "NULL"])


@EXAMPLES
@given(keys=st.lists(st.one_of(KEYS, RESERVED), min_size=1, max_size=4, unique=True))
def test_project_keys_are_quoted_even_when_they_spell_jql(keys: list[str]) -> None:
    config = JiraConfig(backend="cloud", url="https://x.atlassian.net", projects=tuple(keys))
    for jql in (scope_jql(config), objectives_jql(train().model_copy(update={"jira": config}))):
        strings = [value for kind, value in _tokens(jql) if kind == "string"]
        assert strings[: len(keys)] == keys


@EXAMPLES
@given(inner=hostile_text)
def test_the_trains_own_jql_cannot_unbind_rtes_conditions(inner: str) -> None:
    TRIED.append(inner)
    condition = f"summary ~ {jql_string(inner)} ORDER BY created"
    assert jql_condition(condition) == f"summary ~ {jql_string(inner)}"
    config = JiraConfig(
        backend="cloud", url="https://x.atlassian.net", projects=("AUR",), jql=condition
    )
    jql = scope_jql(config)
    assert structure(jql) == structure(
        scope_jql(config.model_copy(update={"jql": 'summary ~ "x"'}))
    )


def test_a_jql_that_would_escape_its_parentheses_is_a_config_error() -> None:
    import pytest

    from art.config_errors import ConfigError

    for jql in (NASTY[16], "project = A) OR (project = B", 'summary ~ "open', "a = 1 ("):
        config = JiraConfig(
            backend="cloud", url="https://x.atlassian.net", projects=("A",), jql=jql
        )
        with pytest.raises(ConfigError, match=r"^jira\.jql: "):
            scope_jql(config)
    kept = 'summary ~ "sort order by date" ORDER BY rank'
    config = JiraConfig(backend="cloud", url="https://x.atlassian.net", jql=kept)
    assert scope_jql(config) == '(summary ~ "sort order by date")'
