"""Cross-team dependencies planned the wrong way round: the red strings of a program board.

At PI Planning each dependency is a string between two teams' cards; it
turns red when the blocking card sits in a later iteration than the card it
blocks, or in none. Here a dependency is a "blocks" link (the outward
wording is `rules.blocking_link`) between items of two different teams,
neither of them done. It is a finding when the blocker's sprint lies in a
later ART iteration than the blocked item's sprint, or the blocker is in no
sprint at all. When the blocked item's iteration has already begun, the
plan is failing now and the finding is critical; otherwise it is a warning.

Teams name their sprints their own way ("Atlas 2026.4-3", "PI 2026.4
Iteration 3"), so a sprint is placed on the ART's cadence by finding a PI's
name (with or without a leading "PI") in it, followed by the iteration
number. A sprint that cannot be placed cannot be compared: it is reported
as information, so the naming can be fixed, rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from typing import Any

from art.model import PI, Finding, Iteration, Severity, StatusCategory, WorkItem

RULE = "dependency"


def place_sprint(name: str, pis: Sequence[PI]) -> tuple[int, Iteration] | None:
    """The PI (by index) and iteration a sprint name points at, or None."""
    for pi_index, pi in enumerate(pis):
        for pattern in _patterns(pi.name):
            match = pattern.search(name)
            if match and 1 <= int(match.group("number")) <= len(pi.iterations):
                return pi_index, pi.iterations[int(match.group("number")) - 1]
    return None


@cache
def _patterns(pi_name: str) -> tuple[re.Pattern[str], ...]:
    bare = re.sub(r"^\s*PI\s+", "", pi_name, flags=re.IGNORECASE)
    names = sorted({pi_name, bare}, key=len, reverse=True)
    return tuple(
        re.compile(rf"(?<![\w.]){re.escape(text)}(?![\w])\D{{0,20}}?(?P<number>\d+)(?!\d)")
        for text in names
        if text
    )


def dependency_findings(
    items: Iterable[WorkItem], pis: Sequence[PI], *, today: date, blocking_link: str
) -> list[Finding]:
    """A finding per open cross-team dependency whose blocker is planned late or not at all."""
    everything = list(items)
    by_key = {item.key: item for item in everything}
    pairs: set[tuple[str, str]] = set()
    for item in everything:
        for link in item.links:
            if link.kind == blocking_link:
                pairs.add((item.key, link.key) if link.outward else (link.key, item.key))
    findings = []
    for blocker_key, blocked_key in sorted(pairs):
        blocker, blocked = by_key.get(blocker_key), by_key.get(blocked_key)
        if blocker is None or blocked is None or not _open_cross_team(blocker, blocked):
            continue
        finding = _judge(blocker, blocked, pis, today)
        if finding is not None:
            findings.append(finding)
    return findings


def _open_cross_team(blocker: WorkItem, blocked: WorkItem) -> bool:
    return (
        blocker.team is not None
        and blocked.team is not None
        and blocker.team != blocked.team
        and blocker.status_category is not StatusCategory.DONE
        and blocked.status_category is not StatusCategory.DONE
        and blocked.iteration is not None
    )


def _judge(blocker: WorkItem, blocked: WorkItem, pis: Sequence[PI], today: date) -> Finding | None:
    assert blocked.iteration is not None
    subject = f"{blocker.key} blocks {blocked.key}"
    data: dict[str, Any] = {
        "blocker": blocker.key,
        "blocker_team": blocker.team,
        "blocker_sprint": blocker.iteration,
        "blocked": blocked.key,
        "blocked_team": blocked.team,
        "blocked_sprint": blocked.iteration,
    }
    needed = place_sprint(blocked.iteration, pis)
    planned = place_sprint(blocker.iteration, pis) if blocker.iteration else None
    if needed is None or (blocker.iteration is not None and planned is None):
        unplaced = blocked.iteration if needed is None else blocker.iteration
        return Finding(
            rule=RULE,
            severity=Severity.INFO,
            subject=subject,
            message=f"sprint '{unplaced}' is on no iteration of the ART's cadence; "
            "the dependency cannot be checked",
            data=data | {"problem": "sprint-not-on-cadence", "sprint": unplaced},
        )
    data["blocked_iteration"] = needed[1].name
    severity = Severity.CRITICAL if needed[1].start <= today else Severity.WARNING
    if planned is None:
        return Finding(
            rule=RULE,
            severity=severity,
            subject=subject,
            message=(
                f"{blocked.team} needs {blocker.key} from {blocker.team} for "
                f"'{blocked.iteration}', but it is in no sprint"
            ),
            data=data | {"problem": "blocker-not-planned", "blocker_iteration": None},
        )
    data["blocker_iteration"] = planned[1].name
    if (planned[0], planned[1].number) <= (needed[0], needed[1].number):
        return None
    return Finding(
        rule=RULE,
        severity=severity,
        subject=subject,
        message=(
            f"{blocked.team} needs {blocker.key} from {blocker.team} in "
            f"'{blocked.iteration}', but it is planned for the later '{blocker.iteration}'"
        ),
        data=data | {"problem": "blocker-planned-later"},
    )
