"""The roll-up, guardrail and readiness reports as JSON: in health.json and `rte rollup /
budget / readiness --json`, the same members, written field by field here.

Dates become ISO text and tuples lists; the callers sort the keys.
"""

from __future__ import annotations

from typing import Any

from rules.budget import GuardrailReport
from rules.capacity_allocation import AllocationRow
from rules.epic_approval import EpicCost
from rules.readiness import FeatureReadiness, ReadinessReport
from rules.rollup import RollupReport, RollupRow
from rules.spend import Spend


def rollup_json(report: RollupReport) -> dict[str, Any]:
    return {
        "levels": list(report.hierarchy.levels),
        "rows": [_rollup_row_json(row) for row in report.rows],
        "top_total": report.top_total,
        "top_done": report.top_done,
    }


def guardrails_json(report: GuardrailReport) -> dict[str, Any]:
    return {
        "pi": report.pi.name if report.pi else None,
        "currency": report.currency,
        "allocation": {
            "tolerance_pp": report.tolerance_pct,
            "rows": [_allocation_row_json(row) for row in report.allocation],
        },
        "spend": None if report.spend is None else _spend_json(report.spend),
        "epics": {
            "threshold": report.epic_threshold,
            "approved_statuses": list(report.approved_statuses),
            "cost_per_point": report.price,
            "rows": [_epic_json(epic) for epic in report.epics],
        },
    }


def readiness_json(report: ReadinessReport) -> dict[str, Any]:
    pi, marks = report.pi, report.marks
    return {
        "pi": pi.name if pi else None,
        "starts": pi.start.isoformat() if pi else None,
        "label": marks.label if marks else None,
        "fix_version": marks.fix_version if marks else None,
        "planned_by": report.planned_by,
        "features": len(report.features),
        "ready": report.ready,
        "ranking": [_feature_json(row) for row in report.features],
    }


def _rollup_row_json(row: RollupRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "level": row.level,
        "summary": row.summary,
        "status": row.status,
        "parent": row.parent,
        "finished": row.finished,
        "estimate": row.estimate,
        "total": row.total,
        "done": row.done,
        "remaining": row.remaining,
        "children": row.children,
        "estimated_stories": row.estimated_stories,
        "unestimated": list(row.unestimated),
        "percent_complete": row.percent_complete,
        "variance_pct": row.variance_pct,
        "forecast": row.forecast,
    }


def _allocation_row_json(row: AllocationRow) -> dict[str, Any]:
    return {
        "work_type": row.work_type,
        "target_pct": row.target_pct,
        "completed_points": row.completed_points,
        "planned_points": row.planned_points,
        "points": row.points,
        "points_pct": row.points_pct,
        "items": row.items,
        "items_pct": row.items_pct,
        "deviation_pp": row.deviation_pp,
    }


def _spend_json(spend: Spend) -> dict[str, Any]:
    return {
        "days_gone": spend.days_gone,
        "pi_days": spend.pi_days,
        "teams_without_cost": list(spend.teams_without_cost),
        "rows": [
            {
                "value_stream": row.value_stream,
                "budget": row.budget,
                "points": row.points,
                "spent": row.spent,
                "forecast": row.forecast,
                "forecast_pct": row.forecast_pct,
            }
            for row in spend.rows
        ],
    }


def _epic_json(epic: EpicCost) -> dict[str, Any]:
    return {
        "key": epic.key,
        "summary": epic.summary,
        "status": epic.status,
        "value_stream": epic.value_stream,
        "forecast_points": epic.forecast_points,
        "cost": epic.cost,
        "approved": epic.approved,
        "started": epic.started,
    }


def _feature_json(row: FeatureReadiness) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "key": row.key,
        "summary": row.summary,
        "status": row.status,
        "team": row.team,
        "estimate": row.estimate,
        "wsjf": row.wsjf,
        "wsjf_score": row.wsjf_score,
        "cost_of_delay": row.cost_of_delay,
        "job_size": row.job_size,
        "missing": list(row.missing),
        "wsjf_mismatch": row.wsjf_mismatch,
        "ready": row.ready,
    }
