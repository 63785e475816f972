"""The estimate roll-up, the Lean budget guardrails and PI-planning readiness, together.

One call for the nightly health check: the three share the hierarchy the
roll-up builds and the roll-up's forecasts, so they are evaluated in order
once, and their reports handed back side by side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from art.config import ArtConfig
from art.model import Finding, WorkItem
from rules.budget import GuardrailReport, evaluate_guardrails
from rules.readiness import ReadinessReport, evaluate_readiness
from rules.rollup import RollupReport, evaluate_rollup


@dataclass(frozen=True, slots=True)
class Economics:
    """The roll-up, the guardrails and the readiness of one snapshot."""

    rollup: RollupReport
    guardrails: GuardrailReport
    readiness: ReadinessReport

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Findings of `data-quality` (hierarchy), `rollup-variance`, `unestimated`,
        `capacity-allocation`, `budget`, `epic-approval` and `readiness`."""
        return (*self.rollup.findings, *self.guardrails.findings, *self.readiness.findings)


def evaluate_economics(items: Iterable[WorkItem], config: ArtConfig, *, today: date) -> Economics:
    """Roll the estimates up, then judge the guardrails and the next PI's readiness on it."""
    rollup = evaluate_rollup(items, config)
    guardrails = evaluate_guardrails(rollup, config, today=today)
    readiness = evaluate_readiness(rollup.hierarchy, config, today=today)
    return Economics(rollup, guardrails, readiness)
