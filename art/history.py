"""The health check's memory of earlier nights: what the next morning's read compares with.

A nightly run keeps, in the state directory, its headline figures (one
`NightFigures` per night, for the trends), the findings it saw
(`RunFindings`, for "new since last night" and "resolved"), and which
findings were mailed when (so a finding is mailed once, not every night).
These are plain values: `connectors.health_history` stores them, the
`rules` read and extend them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from art.model import Severity

# A finding is the same finding from night to night when its rule and subject are.
Identity = tuple[str, str]


@dataclass(frozen=True, slots=True)
class NightFigures:
    """One night's headline figures by series name ("blocked", "wip.Implementing", ...).

    `replayed` is True for a night reconstructed from the Jira histories (a
    backfill) rather than measured by that night's own run.
    """

    night: date
    figures: Mapping[str, int]
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class SeenFinding:
    """A finding as a run saw it: enough to say later that it was resolved."""

    rule: str
    subject: str
    severity: Severity
    message: str

    @property
    def identity(self) -> Identity:
        return (self.rule, self.subject)


@dataclass(frozen=True, slots=True)
class RunFindings:
    """The findings a run saw (suppressed ones left out), the night it ran for, and when."""

    night: date
    run_at: datetime
    findings: tuple[SeenFinding, ...]


@dataclass(frozen=True, slots=True)
class HealthHistory:
    """Everything the state directory remembers of earlier health checks.

    `nights` and `runs` are sorted by night, one entry a night; `mailed` holds
    the night each open finding was last mailed; `problems` says what could
    not be read (a broken file starts again empty, and says so).
    """

    nights: tuple[NightFigures, ...] = ()
    runs: tuple[RunFindings, ...] = ()
    mailed: Mapping[Identity, date] = field(default_factory=lambda: MappingProxyType({}))
    problems: tuple[str, ...] = ()

    def run_before(self, night: date) -> RunFindings | None:
        """The latest run for a night before `night`: what "since last night" compares with."""
        earlier = [run for run in self.runs if run.night < night]
        return earlier[-1] if earlier else None
