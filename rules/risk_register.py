"""The risk register of the PI: the risks on the ROAM board, their counts, the risk rules.

The board holds every open risk, and the risks resolved since the latest PI
Planning began (older resolved ones are history, not this PI's board). The
counts are of that register, by ROAM state, per team and for the ART. The
four risk rules (`risk-unroamed`, `risk-unowned`, `risk-overdue`,
`risk-stale`), one module each, judge it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from art.config import ArtConfig
from art.model import Finding, WorkItem
from rules.milestones import Milestone
from rules.risk_overdue import overdue_findings
from rules.risk_stale import stale_risk_findings
from rules.risk_unowned import unowned_findings
from rules.risk_unroamed import unroamed_findings
from rules.risks import Risk, RoamCounts, risks_of, roam_counts


@dataclass(frozen=True, slots=True)
class RiskReport:
    """The ROAM board's risks, their counts, and what the risk rules found."""

    planning: Milestone | None  # the latest PI Planning that has begun; None before any
    risks: tuple[Risk, ...]  # the register, in key order
    counts: RoamCounts
    findings: tuple[Finding, ...]


NO_RISKS = RiskReport(None, (), RoamCounts({}, {}), ())


def evaluate_risks(
    items: Iterable[WorkItem],
    config: ArtConfig,
    *,
    today: date,
    milestones: Sequence[Milestone],
) -> RiskReport:
    """The register as of `today` and the four risk rules' findings over it."""
    planning = latest_pi_planning(milestones, today)
    since = planning.start if planning else None
    register = [
        risk
        for risk in risks_of(items, config)
        if risk.is_open or since is None or (risk.closed is not None and risk.closed >= since)
    ]
    settings = config.risks
    findings = [
        *unroamed_findings(
            register,
            planning_ended=planning.end if planning else None,
            within_days=settings.roam_within_days,
            today=today,
        ),
        *unowned_findings(register),
        *overdue_findings(register, today=today),
        *stale_risk_findings(register, today=today, stale_days=settings.stale_days),
    ]
    counts = roam_counts(register, [team.name for team in config.teams])
    return RiskReport(planning, tuple(register), counts, tuple(findings))


def latest_pi_planning(milestones: Iterable[Milestone], today: date) -> Milestone | None:
    """The PI Planning that began last on or before `today`."""
    begun = [m for m in milestones if m.kind == "pi-planning" and m.start <= today]
    return max(begun, key=lambda m: m.start, default=None)
