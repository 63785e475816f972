"""Suppressions: findings the train knows about and has accepted, for a while.

An entry of `suppressions:` in art.yaml (`{rule, subject, until, reason}`)
hides the finding of that rule about that subject up to and including
`until`: it is kept, marked with the reason, but counts in no total, is not
on the act-today list and is never escalated. The day after `until` it is
back. A suppression that hides nothing (a typo, a finding long resolved)
would silently hide the next one: the nightly run says so as a data-quality
finding; `rte check-config` names the ones that have expired.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from art.config import Suppression
from art.model import Finding, Severity, Suppressed
from rules.data_quality import RULE as DATA_QUALITY


@dataclass(frozen=True, slots=True)
class Sorted:
    """The findings that count, the ones suppressed, and what the suppressions say of themselves."""

    active: tuple[Finding, ...]
    suppressed: tuple[Finding, ...]
    unmatched: tuple[Finding, ...]  # data-quality findings: suppressions that hide nothing


def in_force(suppression: Suppression, today: date) -> bool:
    return today <= suppression.until


def expired(suppressions: Iterable[Suppression], today: date) -> list[tuple[int, Suppression]]:
    """The suppressions (with their index in art.yaml) whose `until` lies before `today`."""
    return [
        (index, entry) for index, entry in enumerate(suppressions) if not in_force(entry, today)
    ]


def apply_suppressions(
    findings: Iterable[Finding], suppressions: Sequence[Suppression], today: date
) -> Sorted:
    """Mark the findings a suppression in force hides, and report the ones that hide nothing."""
    live = {(entry.rule, entry.subject): entry for entry in suppressions if in_force(entry, today)}
    active: list[Finding] = []
    hidden: list[Finding] = []
    used: set[tuple[str, str]] = set()
    for finding in findings:
        entry = live.get((finding.rule, finding.subject))
        if entry is None:
            active.append(finding)
            continue
        used.add((entry.rule, entry.subject))
        hidden.append(replace(finding, suppressed=Suppressed(entry.reason, entry.until)))
    unmatched = tuple(
        _hides_nothing(index, entry)
        for index, entry in enumerate(suppressions)
        if in_force(entry, today) and (entry.rule, entry.subject) not in used
    )
    return Sorted(tuple(active), tuple(hidden), unmatched)


def _hides_nothing(index: int, entry: Suppression) -> Finding:
    return Finding(
        rule=DATA_QUALITY,
        severity=Severity.INFO,
        subject=f"suppressions[{index}]",
        message=(
            f"the suppression of '{entry.rule}' on '{entry.subject}' (until "
            f"{entry.until.isoformat()}) matches no finding: remove it, or correct its rule "
            "or subject"
        ),
        data={
            "problem": "unmatched-suppression",
            "rule": entry.rule,
            "subject": entry.subject,
            "until": entry.until,
        },
    )
