"""The morning read in health.json and on the health page: act today at the top, linked
items, what changed since the last run, the PI's progress, trends, suppressed findings greyed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from art.history import HealthHistory, NightFigures, RunFindings
from art.model import Finding, ItemFacts, Severity, Suppressed
from reports.escalation_mail import escalation_mail
from reports.health_json import health_json
from reports.health_page import health_page
from reports.trend_charts import FINDINGS_CHART, WIP_CHART, trend_charts
from rules.act_today import SHOWN, act_today
from rules.health import HealthReport
from rules.morning import morning_read
from rules.since_last_run import seen
from tests.config_builders import art_config
from tests.demo_findings import demo_health
from tests.metrics_builders import health_report
from tests.page_parsing import HOSTILE, Html, parse_storage, text_of

GENERATED = datetime(2026, 11, 20, 19, tzinfo=UTC)
NIGHT = date(2026, 11, 20)


NO_HISTORY = HealthHistory()
REFERENCE = '<p class="part">Reference:'  # the page's reference part, after the morning read


def demo_morning(history: HealthHistory = NO_HISTORY) -> HealthReport:
    """The demo's report of 2026-11-20 with its morning read against `history`."""
    config, _, report = demo_health(GENERATED)
    tonight = NightFigures(NIGHT, {"blocked": 18, "wip.Implementing": 13})
    recalled = morning_read(
        report, history, tonight=tonight, backfilled=(), progress=None, config=config
    )
    return recalled.report


def test_health_json_leads_with_the_morning_read_and_links_every_item() -> None:
    yesterday = RunFindings(NIGHT - timedelta(days=1), GENERATED - timedelta(days=1), ())
    report = demo_morning(HealthHistory(runs=(yesterday,)))
    document = json.loads(health_json(report))
    assert list(document)[:7] == [
        "art",
        "generated_at",
        "as_of",
        "pi",
        "act_today",
        "pi_progress",
        "since_last_run",
    ]
    subjects = [entry["subject"] for entry in document["act_today"]]
    assert len(subjects) == len(set(subjects)) == len(report.act_today or ())
    with_items = [f for f in document["findings"] if "item" in f]
    # A red string links to its blocker, the item someone must replan; others to their subject.
    assert with_items and all(
        f["item"]["url"] == f"https://aurora-demo.atlassian.net/browse/{f['item']['key']}"
        and f["item"]["key"] == f.get("data", {}).get("blocker", f["subject"])
        for f in with_items
    )
    since = document["since_last_run"]
    assert since["previous"] == "2026-11-19T19:00:00+00:00"
    assert len(since["new"]) == len(report.findings) and since["still_open"] == 0
    assert document["metrics"]["trends"] == {
        "nights": ["2026-11-20"],
        "series": {"blocked": [18], "wip.Implementing": [13]},
        "replayed": [],
    }


def test_the_page_opens_with_ten_items_to_act_on_each_linked_then_says_how_many_more() -> None:
    report = demo_morning()
    entries = report.act_today or ()
    assert len(entries) > SHOWN
    preview = health_page(report).preview_html
    html = Html(preview)
    title = f"<h2>Act today ({len(entries)})</h2>"
    assert preview.index(title) < preview.index(REFERENCE)
    act = preview[preview.index(title) : preview.index("<h2>Since the last run</h2>")]
    links = Html(act).links
    assert links == [entry.url for entry in entries[:SHOWN]]
    assert f"... and {len(entries) - SHOWN} more:" in act
    assert "No earlier run in the state directory" in "".join(html.text)
    root = parse_storage(health_page(report).storage)
    assert [text_of(h) for h in root.iter("h2")][:2] == [
        f"Act today ({len(entries)})",
        "Since the last run",
    ]
    anchors = [a.get("href") for a in root.iter("a")]
    assert anchors[:SHOWN] == [entry.url for entry in entries[:SHOWN]]


def test_new_and_resolved_findings_come_before_the_reference() -> None:
    config = art_config()
    gone = Finding("blocked", Severity.CRITICAL, "AUR-1", "blocked for 9 days")
    stays = Finding("stale", Severity.WARNING, "AUR-2", "idle")
    new = Finding("aging-wip", Severity.WARNING, "AUR-3", "aging")
    before = RunFindings(NIGHT - timedelta(days=1), GENERATED, seen([gone, stays]))
    report = replace(health_report(stays, new), as_of=NIGHT, act_today=())
    recalled = morning_read(
        report,
        HealthHistory(runs=(before,)),
        tonight=NightFigures(NIGHT, {}),
        backfilled=(),
        progress=None,
        config=config,
    )
    preview = health_page(recalled.report).preview_html
    top = preview[: preview.index(REFERENCE)]
    assert "Since the run for 2026-11-19" in top and "1 new, 1 resolved, 1 still open." in top
    cells = Html(top).cells
    assert "AUR-3" in cells and "AUR-1" in cells and "blocked for 9 days" in cells
    assert "Nothing at warning or above" in top  # an empty act-today list says so


def test_suppressed_findings_are_greyed_with_their_reason_and_counted_in_no_total() -> None:
    hidden = Finding(
        "blocked",
        Severity.CRITICAL,
        "AUR-9",
        "blocked for 20 days",
        suppressed=Suppressed("vendor fix due in December", date(2026, 12, 15)),
    )
    counted = Finding("stale", Severity.WARNING, "AUR-2", "idle")
    report = replace(health_report(counted), suppressed=(hidden,))
    page = health_page(report)
    html = Html(page.preview_html)
    assert "vendor fix due in December" in html.cells and "2026-12-15" in html.cells
    assert 'class="suppressed"' in page.preview_html
    text = "".join(html.text)
    assert " · 1 finding: 0 critical1 warning0 info" in text  # AUR-9 counts in no total
    root = parse_storage(page.storage)
    assert "vendor fix due in December" in text_of(root)
    document = json.loads(health_json(report))
    [marked] = [f for f in document["findings"] if f["subject"] == "AUR-9"]
    assert marked["suppressed"] == {"reason": "vendor fix due in December", "until": "2026-12-15"}


def test_hostile_item_text_is_text_in_every_link_and_cell() -> None:
    for text in HOSTILE:
        facts = ItemFacts(text, text, "https://x.example/browse/A%22", text, text, text)
        finding = Finding("blocked", Severity.CRITICAL, text, text, item=facts)
        report = health_report(finding)
        report = replace(
            report,
            act_today=act_today([finding], [], today=report.as_of, zone=UTC),
        )
        page = health_page(report)
        root = parse_storage(page.storage)  # parses: nothing was taken as markup
        assert all(a.get("href") == "https://x.example/browse/A%22" for a in root.iter("a"))
        assert text in Html(page.preview_html).cells


def test_the_trend_charts_need_two_nights_and_are_the_same_bytes_for_the_same_trends() -> None:
    one = demo_morning()
    assert trend_charts(one) == {}
    history = HealthHistory(nights=(NightFigures(NIGHT - timedelta(days=1), {"blocked": 9}, True),))
    two = demo_morning(history)
    charts = trend_charts(two)
    assert set(charts) == {FINDINGS_CHART, WIP_CHART}
    assert all(png.startswith(b"\x89PNG") for png in charts.values())
    assert trend_charts(demo_morning(history)) == charts
    preview = health_page(two, charts).preview_html
    assert preview.index("<h2>PI progress and trends</h2>") < preview.index(REFERENCE)


def test_the_escalation_mail_lists_only_the_due_findings_each_linked_to_its_item() -> None:
    facts = ItemFacts(
        "AUR-7", "Card limits", "https://x.example/browse/AUR-7", "Ute Bauer", None, ""
    )
    due = Finding("blocked", Severity.CRITICAL, "AUR-7", "blocked for 9 days", item=facts)
    mailed_before = Finding("stale", Severity.CRITICAL, "AUR-8", "idle for 30 days")
    report = health_report(due, mailed_before)
    mail = escalation_mail(report, Severity.CRITICAL, "health.html", due=[due])
    assert mail is not None
    assert mail.subject == "Aurora ART: 1 finding at critical or above (2026-10-06)"
    html = Html(mail.html)
    assert html.links == ["health.html", "https://x.example/browse/AUR-7"]
    text = "".join(html.text)
    assert "Card limits (Ute Bauer)" in text and "AUR-8" not in text
    assert "new, or still open long after its last mail" in text
    assert escalation_mail(report, Severity.CRITICAL, None, due=[]) is None
