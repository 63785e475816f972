"""Prefect events for the night's new critical findings, for Automations to route.

Each new critical finding (new since the last run, `rules.since_last_run`;
suppressed ones never are) becomes one `rte.finding.new` event. Its resource
is the ART (`rte.art.<slug>`); the item the finding is about, when it is one,
is a related resource (`rte.item.<key>`, role `item`); the payload holds the
finding's rule, severity, subject, message and link. A Prefect Automation
triggered by `rte.finding.new` can then notify Slack, Teams or PagerDuty
without rte knowing those services (docs/morning-read.md shows one).

Only a flow run emits them (never `flows.steps`, never the one-off CLI in
process), and never in a dry run. An event's id is derived from the ART,
the night, the rule and the subject, so a re-run of the same night sends
the same ids again, which Prefect's event store keeps once.
"""

from __future__ import annotations

import uuid
from typing import Any

from art.config import ArtConfig
from art.model import Finding, Severity
from flows.runs.names import key_slug
from rules.health import HealthReport

EVENT = "rte.finding.new"
_IDS = uuid.UUID("6f1d2a8e-5b0c-4c8e-9d43-0e6c1f7a2b91")  # the namespace of rte's event ids


def new_critical(report: HealthReport) -> list[Finding]:
    """The night's new critical findings, by rule and subject."""
    if report.morning is None:
        return []
    found = [f for f in report.morning.since_last_run.new if f.severity is Severity.CRITICAL]
    return sorted(found, key=lambda finding: (finding.rule, finding.subject))


def finding_event(config: ArtConfig, report: HealthReport, finding: Finding) -> dict[str, Any]:
    """The arguments of `prefect.events.emit_event` for one new finding."""
    art = config.art.name
    related = []
    if finding.item is not None:
        related.append(
            {
                "prefect.resource.id": f"rte.item.{finding.item.key}",
                "prefect.resource.role": "item",
                "prefect.resource.name": finding.item.title,
            }
        )
    identity = f"{art}\n{report.as_of.isoformat()}\n{finding.rule}\n{finding.subject}"
    return {
        "event": EVENT,
        "resource": {
            "prefect.resource.id": f"rte.art.{key_slug(art)}",
            "prefect.resource.name": art,
        },
        "related": related,
        "payload": {
            "art": art,
            "as_of": report.as_of.isoformat(),
            "rule": finding.rule,
            "severity": finding.severity.value,
            "subject": finding.subject,
            "message": finding.message,
            "url": finding.url,
        },
        "id": uuid.uuid5(_IDS, identity),
    }


def emit_new_findings(config: ArtConfig, report: HealthReport, *, dry_run: bool) -> int:
    """Emit one event per new critical finding (none in a dry run); how many were emitted."""
    if dry_run:
        return 0
    from prefect.events import emit_event

    findings = new_critical(report)
    for finding in findings:
        emit_event(**finding_event(config, report, finding))
    return len(findings)
