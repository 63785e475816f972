"""Findings as a reader acts on them: with their item, one act-today entry per item, and
suppressions that hide a finding for a while, from the totals too."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from art.model import Finding, ItemFacts, Severity, Suppressed
from flows.cli import app
from rules.act_today import act_today
from rules.health import evaluate_health, readable_findings
from rules.item_facts import about_items, item_url
from rules.suppressions import apply_suppressions, expired
from tests.builders import T0, column, day, item, walked
from tests.config_builders import art_config
from tests.demo_copy import copy_demo_config

SITE = "https://jira.example.com/"
BERLIN = ZoneInfo("Europe/Berlin")
TEAMS = {"team-a": "Atlas"}


def finding(rule: str, subject: str, severity: Severity = Severity.WARNING, message: str = "m"):  # type: ignore[no-untyped-def]
    return Finding(rule, severity, subject, message)


def suppression(rule: str, subject: str, until: str, reason: str = "waiting for the vendor"):  # type: ignore[no-untyped-def]
    return {"rule": rule, "subject": subject, "until": until, "reason": reason}


# --------------------------------------------------------------------------
# The item a finding is about


def test_a_finding_about_an_item_carries_its_title_link_assignee_team_and_status() -> None:
    story = item("AUR-7", "In Progress", level="story", team="team-a", assignee="Pia Werner")
    [about, other] = about_items(
        [finding("blocked", "AUR-7"), finding("wip-limit", "Implementing")],
        [story],
        site=SITE,
        team_names=TEAMS,
    )
    assert about.item == ItemFacts(
        key="AUR-7",
        title="Summary of AUR-7",
        url="https://jira.example.com/browse/AUR-7",
        assignee="Pia Werner",
        team="Atlas",
        status="In Progress",
    )
    assert other.item is None  # a state is no item


def test_a_red_string_carries_its_blocker_the_item_whose_team_must_replan() -> None:
    blocker = item("AUR-1", "Funnel", level="feature", team="team-a")
    blocked = item("AUR-2", "Implementing", level="feature", team="team-b")
    red = Finding("dependency", Severity.CRITICAL, "AUR-1 blocks AUR-2", "m", {"blocker": "AUR-1"})
    [about] = about_items([red], [blocked, blocker], site=SITE, team_names=TEAMS)
    assert about.item is not None
    assert (about.item.key, about.item.team, about.item.url) == (
        "AUR-1",
        "Atlas",
        "https://jira.example.com/browse/AUR-1",
    )


def test_the_link_needs_an_http_site_and_quotes_the_key() -> None:
    assert item_url(None, "AUR-1") is None
    assert item_url("javascript:alert(1)", "AUR-1") is None
    assert (
        item_url("https://x.example", 'A"<b>/../?q')
        == "https://x.example/browse/A%22%3Cb%3E%2F..%2F%3Fq"
    )


# --------------------------------------------------------------------------
# Act today


def test_act_today_has_one_entry_per_item_with_its_worst_severity_and_every_rule() -> None:
    old = item("AUR-1", "In Progress", created=day(-40))
    young = item("AUR-2", "In Progress", created=day(-3))
    findings = about_items(
        [
            finding("aging-wip", "AUR-2", Severity.CRITICAL, "aging"),
            finding("stale", "AUR-2", Severity.WARNING, "stale"),
            finding("blocked", "AUR-1", Severity.CRITICAL, "blocked"),
            finding("wip-limit", "Implementing", Severity.CRITICAL, "over"),
            finding("readiness", "AUR-1", Severity.INFO, "unready"),
            finding("stale", "AUR-3", Severity.WARNING, "stale"),
        ],
        [old, young],
        site=SITE,
        team_names={},
    )
    entries = act_today(findings, [old, young], today=T0.date(), zone=BERLIN)
    assert [(e.subject, e.severity, e.rules) for e in entries] == [
        ("AUR-1", Severity.CRITICAL, ("blocked",)),  # critical, and the oldest item
        ("AUR-2", Severity.CRITICAL, ("aging-wip", "stale")),
        ("Implementing", Severity.CRITICAL, ("wip-limit",)),  # no item: after the items
        ("AUR-3", Severity.WARNING, ("stale",)),
    ]
    assert entries[1].message == "aging; stale"
    assert entries[0].url == "https://jira.example.com/browse/AUR-1"
    assert (entries[0].age_days, entries[1].age_days, entries[2].age_days) == (40, 3, None)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["blocked", "stale", "aging-wip"]),
            st.sampled_from(["AUR-1", "AUR-2", "AUR-3", "Implementing"]),
            st.sampled_from(list(Severity)),
        ),
        max_size=20,
    )
)
def test_act_today_names_each_subject_at_warning_or_above_exactly_once(found) -> None:  # type: ignore[no-untyped-def]
    findings = [finding(rule, subject, severity) for rule, subject, severity in found]
    entries = act_today(findings, [], today=T0.date(), zone=BERLIN)
    acted = {f.subject for f in findings if f.severity is not Severity.INFO}
    assert sorted(e.subject for e in entries) == sorted(acted)
    ranks = [e.severity.rank for e in entries]
    assert ranks == sorted(ranks, reverse=True)


# --------------------------------------------------------------------------
# Suppressions


def test_a_suppressed_finding_is_kept_aside_with_its_reason_until_the_day_after_until() -> None:
    config = art_config(suppressions=[suppression("blocked", "AUR-1", "2026-10-10")])
    findings = [finding("blocked", "AUR-1", Severity.CRITICAL), finding("stale", "AUR-1")]
    counted, hidden = readable_findings(findings, [], config, today=date(2026, 10, 10), site=None)
    assert [f.rule for f in counted] == ["stale"]
    assert [(f.rule, f.suppressed) for f in hidden] == [
        ("blocked", Suppressed("waiting for the vendor", date(2026, 10, 10)))
    ]
    counted, hidden = readable_findings(findings, [], config, today=date(2026, 10, 11), site=None)
    assert [f.rule for f in counted] == ["blocked", "stale"] and hidden == ()


def test_a_suppression_that_hides_nothing_is_a_data_quality_finding() -> None:
    config = art_config(suppressions=[suppression("blocked", "AUR-9", "2026-12-31")])
    outcome = apply_suppressions([finding("blocked", "AUR-1")], config.suppressions, T0.date())
    [unmatched] = outcome.unmatched
    assert (unmatched.rule, unmatched.severity, unmatched.subject) == (
        "data-quality",
        Severity.INFO,
        "suppressions[0]",
    )
    assert unmatched.data["problem"] == "unmatched-suppression"
    assert "'blocked' on 'AUR-9'" in unmatched.message
    assert expired(config.suppressions, date(2027, 1, 1)) == [(0, config.suppressions[0])]
    assert expired(config.suppressions, date(2026, 12, 31)) == []


def test_a_suppressed_finding_counts_in_no_total_and_is_not_to_act_on() -> None:
    columns = [column("Implementing", limit=1)]
    items = [item(f"AUR-{n}", "Implementing", created=T0) for n in (1, 2)]
    state = "feature state 'Implementing'"  # the WIP rule's subject for the state
    config = art_config(
        suppressions=[suppression("wip-limit", state, "2026-12-31", "agreed at PO sync")]
    )
    report = night(items, config, columns)
    assert "wip-limit" not in {f.rule for f in report.findings}
    assert [f.rule for f in report.suppressed] == ["wip-limit"]
    assert report.act_today is not None
    assert state not in {entry.subject for entry in report.act_today}
    unsuppressed = night(items, art_config(), columns)
    assert state in {entry.subject for entry in unsuppressed.act_today or ()}


def test_every_finding_of_the_health_check_about_an_item_carries_it() -> None:
    story = walked("AUR-1", (-30, "Implementing"), assignee="Jan Koch")
    report = night([story], art_config(), [column("Implementing")], site=SITE)
    about = [f for f in report.findings if f.subject == "AUR-1"]
    assert about and all(f.item and f.item.assignee == "Jan Koch" for f in about)


def night(items, config, columns, site=None):  # type: ignore[no-untyped-def]
    """The health check of 2026-10-06 at noon."""
    return evaluate_health(
        items,
        [],
        config,
        columns,
        today=date(2026, 10, 6),
        generated_at=datetime(2026, 10, 6, 12, tzinfo=UTC),
        site=site,
    )


def test_check_config_warns_of_a_suppression_past_its_end_and_still_accepts_the_file(
    tmp_path: Path,
) -> None:
    config = copy_demo_config(
        tmp_path,
        suppressions=[
            suppression("blocked", "AUR-89", "2020-01-31"),
            suppression("stale", "AUR-336", "2999-12-31"),
        ],
    )
    result = CliRunner().invoke(app, ["check-config", str(config)])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert warned == [
        f"warning: {config}: suppressions[0] ('blocked' on 'AUR-89') expired on 2020-01-31: "
        "the finding is back; remove the entry"
    ]
