"""What changed since last night, and which findings are due for the escalation mail.

A finding is the same finding from night to night when its rule and its
subject are (`art.history.Identity`). Tonight's findings are compared with
those of the latest run for an earlier night: a re-run of the same night
compares with the same night as the first run did, so it says the same.

- new: counts tonight, did not the night before;
- resolved: counted the night before, is gone tonight (a finding a
  suppression now hides is not resolved, only hidden: it is neither);
- still open: counts tonight and did the night before.

With no earlier run on record every finding is new.

The escalation mails a finding at or above `notifications.min_severity`
once, when it has not been mailed yet (new, or newly that severe), and
again only when it is still open `notifications.remind_days` nights after
its last mail: never the same list every night. A re-run of a night whose
mail went out sends nothing again. A finding that goes away and comes back
is new again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from art.history import Identity, RunFindings, SeenFinding
from art.model import Finding, Severity


@dataclass(frozen=True, slots=True)
class SinceLastRun:
    """Tonight against the latest run for an earlier night (None: there was none)."""

    previous: datetime | None  # when that run ran
    previous_night: date | None  # the night it ran for
    new: tuple[Finding, ...]
    resolved: tuple[SeenFinding, ...]
    still_open: int


@dataclass(frozen=True, slots=True)
class EscalationPlan:
    """The findings to mail tonight, and how many were due but mailed by an earlier run of
    this same night already."""

    due: tuple[Finding, ...]
    mailed_tonight: int = 0


def identity(finding: Finding) -> Identity:
    return (finding.rule, finding.subject)


def seen(findings: Iterable[Finding]) -> tuple[SeenFinding, ...]:
    """The findings as the state directory keeps them."""
    return tuple(SeenFinding(f.rule, f.subject, f.severity, f.message) for f in findings)


def since_last_run(
    findings: Sequence[Finding], suppressed: Sequence[Finding], previous: RunFindings | None
) -> SinceLastRun:
    """Tonight's findings that count (`findings`) against `previous`."""
    if previous is None:
        return SinceLastRun(None, None, tuple(findings), (), 0)
    before = {entry.identity for entry in previous.findings}
    now = {identity(finding) for finding in findings}
    hidden = {identity(finding) for finding in suppressed}
    return SinceLastRun(
        previous=previous.run_at,
        previous_night=previous.night,
        new=tuple(finding for finding in findings if identity(finding) not in before),
        resolved=tuple(
            entry
            for entry in previous.findings
            if entry.identity not in now and entry.identity not in hidden
        ),
        still_open=sum(1 for key in now if key in before),
    )


def escalation_plan(
    findings: Sequence[Finding],
    mailed: Mapping[Identity, date],
    *,
    night: date,
    min_severity: Severity,
    remind_days: int | None,
) -> EscalationPlan:
    """Which of tonight's findings that count are due for the mail (see the module docstring)."""
    due: list[Finding] = []
    mailed_tonight = 0
    for finding in findings:
        if finding.severity.rank < min_severity.rank:
            continue
        last = mailed.get(identity(finding))
        if last is None:
            due.append(finding)
        elif last == night:
            mailed_tonight += 1
        elif last < night and remind_days is not None and (night - last).days >= remind_days:
            due.append(finding)
    return EscalationPlan(tuple(due), mailed_tonight)


def mailed_after(
    findings: Sequence[Finding],
    mailed: Mapping[Identity, date],
    plan: EscalationPlan,
    *,
    night: date,
    min_severity: Severity,
) -> dict[Identity, date]:
    """The mail record after tonight: the night each open finding at or above the threshold
    was last mailed. Findings no longer open (or no longer that severe) are forgotten, so
    they are new when they come back."""
    sent = {identity(finding) for finding in plan.due}
    record: dict[Identity, date] = {}
    for finding in findings:
        key = identity(finding)
        if finding.severity.rank < min_severity.rank:
            continue
        if key in sent:
            record[key] = night
        elif key in mailed:
            record[key] = mailed[key]
    return dict(sorted(record.items()))
