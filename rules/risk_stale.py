"""`risk-stale`: an open risk nobody has updated for `risks.stale_days` days.

A risk changes as the PI goes on: the mitigation moves, the owner learns
more, the exposure shrinks or grows. One untouched for weeks is one nobody
is watching (Accepted ones included: accepting is a decision to revisit).
Exactly `stale_days` days after the last update it is still fresh; a day
later it is stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from art.model import Finding, Severity
from rules.risks import Risk

RULE = "risk-stale"


def stale_risk_findings(risks: Iterable[Risk], *, today: date, stale_days: int) -> list[Finding]:
    """A finding per open risk last updated more than `stale_days` days before `today`."""
    findings = []
    for risk in risks:
        idle = (today - risk.updated).days
        if risk.is_open and idle > stale_days:
            findings.append(
                Finding(
                    rule=RULE,
                    severity=Severity.WARNING,
                    subject=risk.key,
                    message=f"not updated for {idle} days (limit {stale_days})",
                    data={
                        "team": risk.team,
                        "roam": risk.roam.value,
                        "owner": risk.owner,
                        "last_update": risk.updated,
                        "idle_days": idle,
                        "stale_days": stale_days,
                    },
                )
            )
    return findings
