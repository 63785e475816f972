"""`rte rollup --write-back`: each parent's rolled-up total written into its Jira field.

The plan (`rules.rollup.plan_write_back`) holds only the parents whose field
differs from the total, so this writes exactly those, one `PUT` each, through
the same retry policy and request counter as the sync that read them; an
unchanged parent costs nothing, and a second run right after plans nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from connectors.jira_write import WriteResult, write_field_values
from flows.steps.jira_snapshot import JiraSnapshot, LiveJira
from rules.rollup import RollupWrite


def write_back_rollup(
    jira: LiveJira, snapshot: JiraSnapshot, plan: Sequence[RollupWrite]
) -> WriteResult:
    """Write the planned totals into the field `jira.fields.rollup_points` resolved to,
    through the site (its retry policy and request count) that read them."""
    field_id = snapshot.field_ids.rollup_points if snapshot.field_ids else None
    if field_id is None:  # the CLI refuses an export backend and an unset field first
        raise ValueError("jira.fields.rollup_points: no field of a live Jira to write to")
    return write_field_values(jira.client, field_id, {write.key: write.value for write in plan})


def write_back_metrics(
    plan: Sequence[RollupWrite],
    *,
    field: str,
    unchanged: int,
    result: WriteResult | None = None,
) -> dict[str, Any]:
    """`write_back` of `rte rollup --json`: the plan, and after a write what became of it."""
    writes: list[dict[str, Any]] = [
        {"key": write.key, "current": write.current, "value": write.value} for write in plan
    ]
    metrics: dict[str, Any] = {"field": field, "dry_run": result is None, "unchanged": unchanged}
    if result is not None:
        for write in writes:
            write["result"] = result.outcome(write["key"])
        metrics["watchers_notified"] = list(result.notified)
    return {**metrics, "writes": writes}
