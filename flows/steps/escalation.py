"""The nightly check's escalation: one summary mail when findings reach the configured severity.

With the Outlook backend the mail goes from the calendar's mailbox to the
RTE and the stakeholders; with the local backends it is written as
`escalation.html` beside the health page instead (and removed again on a
night with nothing to escalate, so an old alarm does not linger).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from art.config import ArtConfig
from art.model import HealthReport, Severity
from connectors.files import write_bytes_atomically
from connectors.outlook_mail import OutlookMailer
from flows.steps.calendar import mailer_for
from reports.escalation_mail import escalation_mail

ESCALATION_FILE = "escalation.html"


def escalate(
    report: HealthReport,
    config: ArtConfig,
    out_dir: Path,
    *,
    dry_run: bool = False,
    mailer: Callable[[ArtConfig], OutlookMailer] = mailer_for,
) -> str:
    """Send (or write) the escalation if there is one; return what happened, for the log."""
    notifications = config.notifications
    by_mail = config.calendar.backend == "outlook"
    link = notifications.health_page_url or (None if by_mail else "health.html")
    mail = escalation_mail(report, Severity(notifications.min_severity), link)
    target = Path(out_dir) / ESCALATION_FILE
    if mail is None:
        if not dry_run and not by_mail:
            target.unlink(missing_ok=True)
        return f"nothing at {notifications.min_severity} or above: no escalation"
    if not by_mail:
        if not dry_run:
            write_bytes_atomically(target, mail.html.encode("utf-8"))
        return f"{'would write' if dry_run else 'wrote'} {target}: {mail.subject}"
    recipients = recipients_of(config)
    if not recipients:
        return "escalation due, but notifications.rte and notifications.stakeholders are empty"
    if not dry_run:
        mailer(config).send_mail(recipients, mail.subject, mail.html)
    return f"{'would mail' if dry_run else 'mailed'} {len(recipients)} recipient(s): {mail.subject}"


def recipients_of(config: ArtConfig) -> list[str]:
    """The RTE first, then the stakeholders, each address once."""
    notifications = config.notifications
    addresses = [notifications.rte, *notifications.stakeholders]
    unique: dict[str, str] = {}
    for address in addresses:
        if address:
            unique.setdefault(address.casefold(), address)
    return list(unique.values())
