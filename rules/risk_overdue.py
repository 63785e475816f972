"""`risk-overdue`: a risk whose due date has passed and that is not resolved.

The due date is when the risk was to be dealt with (a mitigation done, a
decision taken). On the due date it is still in time; the day after, the
risk is an impediment the RTE escalates: the finding is critical.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from art.model import Finding, Severity
from rules.risks import Risk

RULE = "risk-overdue"


def overdue_findings(risks: Iterable[Risk], *, today: date) -> list[Finding]:
    """A finding per open risk whose due date lies before `today`."""
    findings = []
    for risk in risks:
        if not risk.is_open or risk.due is None or risk.due >= today:
            continue
        days = (today - risk.due).days
        findings.append(
            Finding(
                rule=RULE,
                severity=Severity.CRITICAL,
                subject=risk.key,
                message=(
                    f"due {risk.due.isoformat()}, {days} day{'s' if days != 1 else ''} ago, "
                    f"and still {risk.roam.value}"
                ),
                data={
                    "team": risk.team,
                    "roam": risk.roam.value,
                    "owner": risk.owner,
                    "due": risk.due,
                    "days_overdue": days,
                },
            )
        )
    return findings
