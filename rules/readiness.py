"""PI-planning readiness: are the next PI's features fit to be planned?

SAFe's RTE "ensures the input for PI Planning is well-crafted": the features
going into the event have been sized, carry acceptance criteria, have a team
that expects them, and are ranked by Weighted Shortest Job First, SAFe's
cost of delay (user-business value + time criticality + risk reduction and/or
opportunity enablement) over job size. A feature that lacks any of these
turns PI Planning into refinement (`readiness`). So does a WSJF score that
disagrees with its own parts: someone changed a part and the ranking did
not follow.

Jira has no notion of "planned for a PI", so trains mark it: with a label per
PI (`cadence.pis[].label`) or a fixVersion named after it
(`cadence.pis[].fix_version`); a feature with either mark is planned. Only
what `art.yaml` maps is checked:
without an acceptance-criteria field, say, no feature is blamed for lacking
criteria nobody can record.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from art.cadence import planning_intervals
from art.config import ArtConfig, JiraFields, PiDates
from art.model import PI, Finding, Severity, WorkItem
from art.numbers import as_number
from rules.hierarchy import Hierarchy, key_order

RULE = "readiness"
WSJF_PARTS = {
    "wsjf_business_value": "business value",
    "wsjf_time_criticality": "time criticality",
    "wsjf_risk_reduction": "risk reduction/opportunity enablement",
    "wsjf_job_size": "job size",
}


def next_pi(pis: Sequence[PI], today: date) -> PI | None:
    """The first PI that starts after `today`: the one PI Planning prepares for."""
    return next((pi for pi in sorted(pis, key=lambda pi: pi.start) if pi.start > today), None)


def readiness_checks(fields: JiraFields) -> frozenset[str]:
    """The checks `art.yaml` makes possible: a field nobody maps cannot be missing."""
    wsjf = fields.wsjf
    checks = {
        "estimate": fields.story_points is not None,
        "acceptance criteria": fields.acceptance_criteria is not None,
        "team": fields.team is not None,
        "WSJF": any(value is not None for value in wsjf.model_dump().values()),
    }
    return frozenset(name for name, possible in checks.items() if possible)


@dataclass(frozen=True, slots=True)
class FeatureReadiness:
    """One planned feature: what PI Planning needs of it, and what is missing."""

    key: str
    summary: str
    status: str
    team: str | None
    estimate: float | None
    wsjf: float | None  # computed from the parts when they are complete, else the score
    wsjf_score: float | None  # as written in Jira
    cost_of_delay: float | None
    job_size: float | None
    missing: tuple[str, ...]
    wsjf_mismatch: bool
    rank: int | None = None  # by WSJF among the scored features, from 1; None unscored

    @property
    def ready(self) -> bool:
        return not self.missing and not self.wsjf_mismatch


def assess_features(
    features: Iterable[WorkItem], hierarchy: Hierarchy, checks: frozenset[str]
) -> list[FeatureReadiness]:
    """Each feature's readiness, ranked by WSJF (highest first, unscored last)."""
    assessed = [_assess(feature, hierarchy, checks) for feature in features]
    ordered = sorted(
        assessed,
        key=lambda row: (row.wsjf is None, -(row.wsjf or 0.0), key_order(row.key)),
    )
    # the scored come first, so a scored feature's place is its rank
    return [
        replace(row, rank=rank if row.wsjf is not None else None)
        for rank, row in enumerate(ordered, start=1)
    ]


def carries_mark(item: WorkItem, marks: PiDates) -> bool:
    """The item carries the PI's label or its fixVersion."""
    return (marks.label is not None and marks.label in _names(item, "labels")) or (
        marks.fix_version is not None and marks.fix_version in _names(item, "fix_versions")
    )


def planned_features(items: Iterable[WorkItem], *, marks: PiDates, level: str) -> list[WorkItem]:
    """The items at `level` that carry the PI's label or its fixVersion."""
    return [item for item in items if item.level == level and carries_mark(item, marks)]


def planned_by(marks: PiDates | None) -> str | None:
    """How Jira marks the PI's features, in words (`label pi-2027.1`); None when unmarked."""
    if marks is None:
        return None
    words = [f"label {marks.label}"] if marks.label else []
    words += [f"fixVersion {marks.fix_version}"] if marks.fix_version else []
    return " or ".join(words) or None


def _names(item: WorkItem, field: str) -> tuple[str, ...]:
    names = item.fields.get(field, ())
    return tuple(names) if isinstance(names, tuple | list) else ()


def _assess(feature: WorkItem, hierarchy: Hierarchy, checks: frozenset[str]) -> FeatureReadiness:
    fields = feature.fields
    parts = {name: as_number(fields.get(name)) for name in WSJF_PARTS}
    size = parts["wsjf_job_size"]
    complete = all(value is not None for value in parts.values()) and size is not None and size > 0
    cost_of_delay = (
        sum(parts[name] or 0.0 for name in WSJF_PARTS if name != "wsjf_job_size")
        if complete
        else None
    )
    computed = cost_of_delay / size if cost_of_delay is not None and size else None
    score = as_number(fields.get("wsjf_score"))
    estimated = feature.estimate is not None or any(
        leaf.estimate is not None for leaf in hierarchy.leaves_under(feature.key)
    )
    missing = []
    if "estimate" in checks and not estimated:
        missing.append("an estimate")
    if "acceptance criteria" in checks and not fields.get("has_acceptance_criteria"):
        missing.append("acceptance criteria")
    if "team" in checks and feature.team is None:
        missing.append("a team")
    if "WSJF" in checks and score is None and computed is None:
        absent = [label for name, label in WSJF_PARTS.items() if not _positive(parts[name])]
        missing.append(f"a WSJF score (or its parts: {', '.join(absent)})")
    return FeatureReadiness(
        key=feature.key,
        summary=feature.summary,
        status=feature.status,
        team=feature.team,
        estimate=feature.estimate,
        wsjf=round(computed, 2) if computed is not None else score,
        wsjf_score=score,
        cost_of_delay=cost_of_delay,
        job_size=size,
        missing=tuple(missing),
        wsjf_mismatch=(
            score is not None
            and computed is not None
            and not math.isclose(score, computed, rel_tol=0.01, abs_tol=0.05)
        ),
    )


def _positive(value: float | None) -> bool:
    return value is not None and value > 0


# --------------------------------------------------------------------------
# Findings


def readiness_findings(
    assessed: Iterable[FeatureReadiness], pi: PI, *, today: date
) -> list[Finding]:
    """A `readiness` finding for each planned feature that PI Planning would have to fix."""
    days = (pi.start - today).days
    findings = []
    for row in assessed:
        if row.ready:
            continue
        problems = [f"lacks {_sentence(row.missing)}"] if row.missing else []
        if row.wsjf_mismatch:
            problems.append(
                f"its WSJF score {row.wsjf_score:g} disagrees with its parts "
                f"({row.cost_of_delay:g} / {row.job_size:g} = {row.wsjf:g})"
            )
        findings.append(
            Finding(
                rule=RULE,
                # A missing input blocks planning; a stale score only misranks.
                severity=Severity.WARNING if row.missing else Severity.INFO,
                subject=row.key,
                message=(
                    f"planned for {pi.name} (starts {pi.start.isoformat()}, in {days} days) "
                    f"but {'; and '.join(problems)}"
                ),
                data={
                    "pi": pi.name,
                    "missing": list(row.missing),
                    "wsjf_mismatch": row.wsjf_mismatch,
                    "wsjf_score": row.wsjf_score,
                    "wsjf_from_parts": row.wsjf if row.cost_of_delay is not None else None,
                },
            )
        )
    return findings


def _sentence(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    """The next PI's features, ranked, and what PI Planning would have to fix."""

    pi: PI | None
    marks: PiDates | None  # the next PI's entry in `cadence.pis`, if it marks features
    features: tuple[FeatureReadiness, ...]  # ranked by WSJF
    findings: tuple[Finding, ...]

    @property
    def ready(self) -> int:
        """How many of the features PI Planning can take as they are."""
        return sum(1 for row in self.features if row.ready)

    @property
    def planned_by(self) -> str | None:
        return planned_by(self.marks)


def evaluate_readiness(hierarchy: Hierarchy, config: ArtConfig, *, today: date) -> ReadinessReport:
    """Check the features planned (labelled or given the fixVersion) for the PI after `today`'s."""
    pi = next_pi(planning_intervals(config.cadence), today)
    marks = config.cadence.entry(pi.name) if pi is not None else None
    marks = marks if marks is not None and planned_by(marks) is not None else None
    if pi is None or marks is None:
        return ReadinessReport(pi, marks, (), ())
    items = hierarchy.items.values()
    features = planned_features(items, marks=marks, level=config.kanban.level)
    assessed = assess_features(features, hierarchy, readiness_checks(config.jira.fields))
    findings = readiness_findings(assessed, pi, today=today)
    if not any(carries_mark(item, marks) for item in items):
        findings.insert(0, unmatched_mark_finding(pi, marks))
    return ReadinessReport(pi, marks, tuple(assessed), tuple(findings))


def unmatched_mark_finding(pi: PI, marks: PiDates) -> Finding:
    """The next PI's mark is on no issue at all: a slip in art.yaml (labels are compared as
    Jira stores them, case and all), or nothing planned yet; either way nothing is checked."""
    return Finding(
        rule=RULE,
        severity=Severity.WARNING,
        subject=pi.name,
        message=(
            f"no issue carries the {planned_by(marks)} that cadence.pis marks {pi.name}'s "
            "features with, so PI-planning readiness checks nothing; check the spelling in "
            "art.yaml against Jira, or label the features planned for it"
        ),
        data={
            "problem": "unmatched-mark",
            "pi": pi.name,
            "label": marks.label,
            "fix_version": marks.fix_version,
        },
    )
