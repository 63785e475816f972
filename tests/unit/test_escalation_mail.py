"""The escalation mail and its files-backend twin, out/escalation.html."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.model import Finding, Severity
from flows.steps.bootstrap import bootstrap
from flows.steps.escalation import ESCALATION_FILE, escalate, recipients_of
from reports.escalation_mail import MAX_LISTED, escalation_mail, one_line
from rules.health import HealthReport
from tests.calendar_builders import demo_config
from tests.metrics_builders import health_metrics
from tests.page_parsing import Html

HOSTILE = '<script>alert("x")</script>\r\nBcc: evil@example.com & <b>'


def report(*findings: Finding, art: str = "Aurora ART") -> HealthReport:
    return HealthReport(
        art=art,
        generated_at=datetime(2026, 11, 20, 6, 0, tzinfo=UTC),
        as_of=date(2026, 11, 20),
        pi="PI 2026.4",
        findings=findings,
        metrics=health_metrics(),
    )


def finding(
    severity: Severity, subject: str = "Implementing", message: str = "over by 3"
) -> Finding:
    return Finding("wip-limit", severity, subject, message)


def test_no_mail_when_nothing_reaches_the_threshold() -> None:
    quiet = report(finding(Severity.WARNING), finding(Severity.INFO))
    assert escalation_mail(quiet, Severity.CRITICAL, None) is None
    assert escalation_mail(report(), Severity.INFO, None) is None


def test_the_mail_lists_the_findings_at_or_above_the_threshold_worst_first() -> None:
    mail = escalation_mail(
        report(
            finding(Severity.INFO, "quiet"),
            finding(Severity.WARNING, "Analyzing"),
            finding(Severity.CRITICAL, "Implementing"),
        ),
        Severity.WARNING,
        "https://confluence.example.com/wiki/x?a=1&b=2",
    )
    assert mail is not None
    assert mail.subject == "Aurora ART: 2 findings at warning or above (2026-11-20)"
    page = Html(mail.html)
    text = "".join(page.text)
    assert text.index("Implementing") < text.index("Analyzing") and "quiet" not in text
    assert page.links == ["https://confluence.example.com/wiki/x?a=1&b=2"]


def test_hostile_finding_text_is_text_in_the_mail() -> None:
    mail = escalation_mail(
        report(finding(Severity.CRITICAL, HOSTILE, HOSTILE), art=HOSTILE), Severity.CRITICAL, None
    )
    assert mail is not None
    page = Html(mail.html)
    assert "script" not in page.tags and "b" not in page.tags
    assert '<script>alert("x")</script>' in "".join(page.text)
    assert "\r" not in mail.subject and "\n" not in mail.subject


def test_a_long_list_is_cut_with_a_pointer_to_the_page() -> None:
    many = [finding(Severity.CRITICAL, f"state {n}") for n in range(MAX_LISTED + 7)]
    mail = escalation_mail(report(*many), Severity.CRITICAL, "health.html")
    assert mail is not None and "... and 7 more." in mail.html
    assert mail.html.count("state ") == MAX_LISTED


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "vbscript:x"])
def test_a_link_that_is_not_http_or_relative_is_refused(link: str) -> None:
    with pytest.raises(ValueError, match="http"):
        escalation_mail(report(finding(Severity.CRITICAL)), Severity.CRITICAL, link)


@given(st.text())
def test_a_subject_is_always_one_line(text: str) -> None:
    line = one_line(text)
    assert not any(char in line for char in "\r\n\x0b\x0c\x85\u2028\u2029")


def test_with_the_files_backend_the_mail_is_written_and_removed_when_quiet(
    tmp_path: Path,
) -> None:
    config = demo_config()
    escalation = bootstrap(config, tmp_path).escalation
    said = escalate(report(finding(Severity.CRITICAL)), config, escalation, dry_run=False)
    written = tmp_path / ESCALATION_FILE
    assert said.startswith(f"wrote {written}") and written.is_file()
    assert Html(written.read_text()).links == ["health.html"]  # beside the health page
    escalate(report(finding(Severity.WARNING)), config, escalation, dry_run=False)
    assert not written.exists()  # yesterday's alarm does not linger


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    config = demo_config()
    escalation = bootstrap(config, tmp_path).escalation
    said = escalate(report(finding(Severity.CRITICAL)), config, escalation, dry_run=True)
    assert said.startswith("would write") and not any(tmp_path.iterdir())


def test_recipients_are_the_rte_then_the_stakeholders_each_once() -> None:
    config = demo_config()
    notifications = config.notifications.model_copy(
        update={"stakeholders": ("cto@example.com", "RTE@example.com", "cto@example.com")}
    )
    config = config.model_copy(update={"notifications": notifications})
    assert recipients_of(config) == ("rte@example.com", "cto@example.com")
