"""The act-today list: what the RTE should act on this morning, one entry per item.

Nineteen critical findings may be sixteen items: an item blocked for a
week is also aging and stale. The list gathers the findings at warning or
above by subject, so each item appears once, with its worst severity, the
rules it breaks and their messages in one line. Most severe first; within
a severity the oldest item first (age: days since the item was created),
then subjects that are no item (a state, a team), then by subject. Info
findings and suppressed ones are not on it: they are not for acting today.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, tzinfo

from art.model import Finding, ItemFacts, Severity, WorkItem
from rules.timeline import local_date

ACT_FROM = Severity.WARNING
SHOWN = 10  # a page shows this many; the rest is "and N more"


@dataclass(frozen=True, slots=True)
class ActEntry:
    """One subject to act on: its worst severity, its rules and one combined message."""

    subject: str
    severity: Severity
    rules: tuple[str, ...]  # worst first, then by name
    message: str
    item: ItemFacts | None = None
    age_days: int | None = None  # days since the item was created; None for other subjects

    @property
    def url(self) -> str | None:
        return self.item.url if self.item is not None else None


def act_today(
    findings: Iterable[Finding], items: Iterable[WorkItem], *, today: date, zone: tzinfo
) -> tuple[ActEntry, ...]:
    """One entry per subject with a finding at warning or above, in acting order."""
    by_subject: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.severity.rank >= ACT_FROM.rank and finding.suppressed is None:
            by_subject.setdefault(finding.subject, []).append(finding)
    created = {  # only the subjects' own: a train holds far more items than findings
        item.key: local_date(item.created, zone) for item in items if item.key in by_subject
    }
    entries = [_entry(subject, found, created, today) for subject, found in by_subject.items()]
    return tuple(sorted(entries, key=_acting_order))


def _entry(
    subject: str, found: list[Finding], created: Mapping[str, date], today: date
) -> ActEntry:
    ordered = sorted(found, key=lambda f: (-f.severity.rank, f.rule, f.message))
    rules = tuple(dict.fromkeys(finding.rule for finding in ordered))
    item = next((finding.item for finding in ordered if finding.item is not None), None)
    born = created.get(subject)
    return ActEntry(
        subject=subject,
        severity=ordered[0].severity,
        rules=rules,
        message="; ".join(dict.fromkeys(finding.message for finding in ordered)),
        item=item,
        age_days=max((today - born).days, 0) if born is not None else None,
    )


def _acting_order(entry: ActEntry) -> tuple[int, int, int, str]:
    age = entry.age_days
    return (-entry.severity.rank, age is None, -(age or 0), entry.subject)
