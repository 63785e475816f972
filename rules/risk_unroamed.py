"""`risk-unroamed`: a risk nobody has ROAMed some days after PI Planning ended.

PI Planning ends with the train ROAMing its risks; what is left un-ROAMed
there has `risks.roam_within_days` days more. A risk raised later gets as
many days from the day it was raised. On the deadline itself the risk is
still in time; from the next day on it is a finding.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from art.model import Finding, Severity
from rules.risks import Risk, Roam

RULE = "risk-unroamed"


def unroamed_findings(
    risks: Iterable[Risk], *, planning_ended: date | None, within_days: int, today: date
) -> list[Finding]:
    """A finding per risk still un-ROAMed after its deadline; none before any PI Planning."""
    if planning_ended is None:
        return []
    findings = []
    for risk in risks:
        if risk.roam is not Roam.UNROAMED:
            continue
        counted_from = max(planning_ended, risk.created)
        since = "PI Planning ended" if counted_from == planning_ended else "it was raised"
        deadline = counted_from + timedelta(days=within_days)
        if today > deadline:
            late = (today - deadline).days
            findings.append(
                Finding(
                    rule=RULE,
                    severity=Severity.WARNING,
                    subject=risk.key,
                    message=(
                        f"not ROAMed {(today - counted_from).days} days after {since} "
                        f"({counted_from.isoformat()}); the train agreed on {within_days}"
                    ),
                    data={
                        "team": risk.team,
                        "status": risk.status,
                        "owner": risk.owner,
                        "counted_from": counted_from,
                        "deadline": deadline,
                        "days_late": late,
                        "roam_within_days": within_days,
                    },
                )
            )
    return findings
