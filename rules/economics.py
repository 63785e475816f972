"""The estimate roll-up, the Lean budget guardrails and PI-planning readiness, together.

One call for the nightly health check: the three share the hierarchy the
roll-up builds and the roll-up's forecasts, so they are evaluated in order
once, and their findings and metrics handed back side by side.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from art.config import ArtConfig
from art.model import Finding, WorkItem
from rules.budget import evaluate_guardrails
from rules.readiness import evaluate_readiness
from rules.rollup import evaluate_rollup


def evaluate_economics(
    items: Iterable[WorkItem], config: ArtConfig, *, today: date
) -> tuple[list[Finding], dict[str, Any]]:
    """Findings of `data-quality` (hierarchy), `rollup-variance`, `unestimated`,
    `capacity-allocation`, `budget`, `epic-approval` and `readiness`; metrics
    `rollup`, `guardrails` and `readiness`."""
    rollup = evaluate_rollup(items, config)
    guardrails = evaluate_guardrails(rollup, config, today=today)
    readiness = evaluate_readiness(rollup.hierarchy, config, today=today)
    findings = [*rollup.findings, *guardrails.findings, *readiness.findings]
    metrics = {
        "rollup": rollup.metrics(),
        "guardrails": guardrails.metrics(config.budgets),
        "readiness": readiness.metrics(),
    }
    return findings, metrics
