"""The nightly check's escalation: one summary mail when findings reach the configured severity.

With the Outlook backend the mail goes from the calendar's mailbox to the
RTE and the stakeholders (`MailEscalation`); with the local backends it is
written as `escalation.html` beside the health page instead
(`FileEscalation`), and removed again on a night with nothing to escalate,
so an old alarm does not linger. `flows.steps.bootstrap` picks one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from art.config import ArtConfig
from art.model import Severity
from connectors.files import write_bytes_atomically
from reports.escalation_mail import Mail, escalation_mail
from rules.health import HealthReport

ESCALATION_FILE = "escalation.html"


class Escalation(Protocol):
    """Where an escalation goes."""

    @property
    def link(self) -> str | None:
        """Where the mail links to when `notifications.health_page_url` is not set."""

    def send(self, mail: Mail, *, dry_run: bool) -> str:
        """Deliver the mail; say what happened (or would), for the log."""

    def clear(self, *, dry_run: bool) -> None:
        """Nothing to escalate tonight: take back what an earlier night left."""


class Mailer(Protocol):
    def send_mail(self, to: Sequence[str], subject: str, html: str) -> None: ...


@dataclass(frozen=True)
class MailEscalation:
    """A mail to the RTE and the stakeholders; the mailer is made (signed in) only when due."""

    recipients: tuple[str, ...]
    mailer: Callable[[], Mailer]
    link: str | None = None

    def send(self, mail: Mail, *, dry_run: bool) -> str:
        if not self.recipients:
            return "escalation due, but notifications.rte and notifications.stakeholders are empty"
        if not dry_run:
            self.mailer().send_mail(self.recipients, mail.subject, mail.html)
        verb = "would mail" if dry_run else "mailed"
        return f"{verb} {len(self.recipients)} recipient(s): {mail.subject}"

    def clear(self, *, dry_run: bool) -> None:
        """A mail sent cannot be taken back, and needs not be."""


@dataclass(frozen=True)
class FileEscalation:
    """`escalation.html` beside the health page, which it links to."""

    path: Path
    link: str | None = "health.html"

    def send(self, mail: Mail, *, dry_run: bool) -> str:
        if not dry_run:
            write_bytes_atomically(self.path, mail.html.encode("utf-8"))
        return f"{'would write' if dry_run else 'wrote'} {self.path}: {mail.subject}"

    def clear(self, *, dry_run: bool) -> None:
        if not dry_run:
            self.path.unlink(missing_ok=True)


def escalate(
    report: HealthReport, config: ArtConfig, escalation: Escalation, *, dry_run: bool
) -> str:
    """Send (or write) the escalation if there is one; return what happened, for the log.

    With the night's morning read, only the findings its escalation plan says are due
    (new, or still open `notifications.remind_days` after their last mail) are mailed.
    """
    notifications = config.notifications
    link = notifications.health_page_url or escalation.link
    plan = report.morning.escalation if report.morning is not None else None
    due = plan.due if plan is not None else None
    mail = escalation_mail(report, Severity(notifications.min_severity), link, due)
    if mail is not None:
        return escalation.send(mail, dry_run=dry_run)
    if plan is not None and plan.mailed_tonight:
        return (
            f"{plan.mailed_tonight} finding(s) at {notifications.min_severity} or above were "
            "mailed by an earlier run for this night: nothing new to escalate"
        )
    escalation.clear(dry_run=dry_run)
    if plan is not None and any(
        finding.severity.rank >= Severity(notifications.min_severity).rank
        for finding in report.findings
    ):
        return (
            f"nothing new at {notifications.min_severity} or above (the open ones were mailed "
            "before): no escalation"
        )
    return f"nothing at {notifications.min_severity} or above: no escalation"


def recipients_of(config: ArtConfig) -> tuple[str, ...]:
    """The RTE first, then the stakeholders, each address once."""
    notifications = config.notifications
    addresses = [notifications.rte, *notifications.stakeholders]
    unique: dict[str, str] = {}
    for address in addresses:
        if address:
            unique.setdefault(address.casefold(), address)
    return tuple(unique.values())
