"""`risk-unowned`: a risk the train said is Owned, with nobody assigned to own it.

"Owned" is a promise that someone takes the risk on; in Jira that someone
is the assignee. An Owned risk without one is a promise nobody made.
"""

from __future__ import annotations

from collections.abc import Iterable

from art.model import Finding, Severity
from rules.risks import Risk, Roam

RULE = "risk-unowned"


def unowned_findings(risks: Iterable[Risk]) -> list[Finding]:
    """A finding per Owned risk without an assignee."""
    return [
        Finding(
            rule=RULE,
            severity=Severity.WARNING,
            subject=risk.key,
            message="ROAMed as Owned, but nobody is assigned to own it",
            data={"team": risk.team, "status": risk.status, "due": risk.due},
        )
        for risk in risks
        if risk.roam is Roam.OWNED and risk.owner is None
    ]
