"""The escalation mail: the nightly findings at or above a severity, in one summary.

The RTE and the named stakeholders get one mail per run, not one per
finding, with a link to the health page for the rest. Finding text comes from
Jira, so it is escaped into the HTML body (`reports.templating`), and the
subject, a mail header, is kept to one line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from art.model import Finding, Severity
from reports.health_json import sort_findings
from reports.templating import render
from rules.health import HealthReport

MAX_LISTED = 50  # a longer list belongs on the health page, not in an inbox
SEVERITY_COLOUR = {
    Severity.CRITICAL: "#bf2600",
    Severity.WARNING: "#974f0c",
    Severity.INFO: "#0747a6",
}
# A link may be http(s) or relative (the files backend's health.html); never javascript: etc.
_SAFE_LINK = re.compile(r"^(https?://|(?![a-zA-Z][a-zA-Z0-9+.-]*:))\S+$")
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class Mail:
    """A mail ready to send: a one-line subject and an HTML body."""

    subject: str
    html: str


def escalation_mail(
    report: HealthReport,
    min_severity: Severity,
    link: str | None,
    due: Sequence[Finding] | None = None,
) -> Mail | None:
    """The summary mail of the findings at or above `min_severity`; None when there are none.

    `due` are the findings the night's escalation plan says are new or due for a
    reminder (`rules.since_last_run`); None mails every finding at or above the threshold.
    Raises ValueError for a `link` that is neither http(s) nor relative.
    """
    if link is not None and not _SAFE_LINK.match(link):
        raise ValueError("the health page link must be an http(s) URL or a relative path")
    candidates = report.findings if due is None else due
    findings = [f for f in sort_findings(candidates) if f.severity.rank >= min_severity.rank]
    if not findings:
        return None
    subject = one_line(
        f"{report.art}: {len(findings)} finding{'' if len(findings) == 1 else 's'} "
        f"at {min_severity.value} or above ({report.as_of.isoformat()})"
    )
    html = render(
        "escalation.html.j2",
        "preview",
        {
            "subject": subject,
            "art": report.art,
            "pi": report.pi,
            "as_of": report.as_of.isoformat(),
            "min_severity": min_severity.value,
            "count": len(findings),
            "findings": findings[:MAX_LISTED],
            "more": max(0, len(findings) - MAX_LISTED),
            "link": link,
            "only_new": due is not None,
            "colours": SEVERITY_COLOUR,
        },
    )
    return Mail(subject=subject, html=html)


def one_line(text: str) -> str:
    """`text` as a header value: every run of control or line-break characters becomes a space."""
    return _LINE_BREAKS.sub(" ", text).strip()
