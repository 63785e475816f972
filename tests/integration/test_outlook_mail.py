"""Escalation mail sent through msgraph-sdk's sendMail, against the Graph fake."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from art.config import ArtConfig
from art.model import Finding, Severity
from connectors.graph_client import GraphCallFailed
from flows.steps.escalation import MailEscalation, escalate, recipients_of
from rules.health import HealthReport
from tests.calendar_builders import demo_config
from tests.fakes.graph import GraphFake
from tests.fakes.server import Fault
from tests.integration.outlook_fixtures import MAILBOX, mailer
from tests.metrics_builders import health_metrics

SEND = "POST /v1.0/users/{user}/sendMail"


def outlook_config() -> ArtConfig:
    config = demo_config(
        backend="outlook",
        mailbox=MAILBOX,
        tenant_id="env:RTE_TENANT",
        client_id="env:RTE_CLIENT",
        client_secret="env:RTE_SECRET",
    )
    notifications = config.notifications.model_copy(
        update={
            "stakeholders": ("cto@example.com",),
            "health_page_url": "https://wiki.example.com/health",
        }
    )
    return config.model_copy(update={"notifications": notifications})


def mail_from_fake(graph: GraphFake, config: ArtConfig) -> MailEscalation:
    """The escalation as bootstrap makes it, with the mailbox signed in to the fake."""
    return MailEscalation(recipients_of(config), lambda: mailer(graph))


def critical_report() -> HealthReport:
    return HealthReport(
        art="Aurora ART",
        generated_at=datetime(2026, 11, 20, 6, tzinfo=UTC),
        as_of=date(2026, 11, 20),
        pi="PI 2026.4",
        findings=(Finding("wip-limit", Severity.CRITICAL, "<b>Implementing</b>", "over by 3"),),
        metrics=health_metrics(),
    )


def test_one_summary_mail_goes_to_the_rte_and_the_stakeholders(
    graph: GraphFake, tmp_path: Path
) -> None:
    config = outlook_config()
    said = escalate(critical_report(), config, mail_from_fake(graph, config), dry_run=False)
    assert said.startswith("mailed 2 recipient(s)")
    [mail] = graph.sent_mail
    assert mail["from"] == MAILBOX
    assert [r["emailAddress"]["address"] for r in mail["toRecipients"]] == [
        "rte@example.com",
        "cto@example.com",
    ]
    assert mail["subject"] == "Aurora ART: 1 finding at critical or above (2026-11-20)"
    assert mail["body"]["contentType"] == "html"
    assert "&lt;b&gt;Implementing&lt;/b&gt;" in mail["body"]["content"]
    assert 'href="https://wiki.example.com/health"' in mail["body"]["content"]
    assert not (tmp_path / "escalation.html").exists()  # Outlook: mailed, not written


def test_a_quiet_night_sends_nothing(graph: GraphFake, tmp_path: Path) -> None:
    quiet = replace(critical_report(), findings=())
    config = outlook_config()
    escalate(quiet, config, mail_from_fake(graph, config), dry_run=False)
    assert graph.sent_mail == [] and graph.count(SEND) == 0


def test_a_throttled_mail_is_sent_once_after_retry_after(graph: GraphFake) -> None:
    graph.inject(Fault("status", path="/sendMail$", status=429, retry_after="2", times=2))
    mailer(graph).send_mail(["rte@example.com"], "Subject", "<p>x</p>")
    assert graph.count(SEND) == 3 and len(graph.sent_mail) == 1


def test_a_mail_whose_answer_was_lost_is_not_sent_twice(graph: GraphFake) -> None:
    graph.inject(Fault("drop", path="/sendMail$", times=1))  # sent, then the connection drops
    with pytest.raises(GraphCallFailed, match="sendMail"):
        mailer(graph).send_mail(["rte@example.com"], "Subject", "<p>x</p>")
    assert graph.count(SEND) == 1 and len(graph.sent_mail) == 1
