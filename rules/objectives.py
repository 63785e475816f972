"""PI objectives: planned and actual business value, and the ART's predictability.

SAFe measures a team's predictability as the business value it achieved over
the business value it planned: planned counts the *committed* objectives only,
actual counts every objective (an uncommitted objective achieved is a bonus,
which is why a team can exceed 100%). The ART's figure is the sum of the teams'
actuals over the sum of their planneds, never an average of their percentages:
a small team at 50% and a large one at 100% are not a train at 75%.

A figure exists once business owners have scored at least one objective
(a PI being planned or run has none yet). An objective lacking its planned
value after PI Planning, or its actual value after the PI ended, is a
data-quality finding; a value outside the scale is one too, and is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from art.cadence import planning_intervals
from art.config import ArtConfig
from art.formatting import percent as percent_text
from art.model import (
    ACTUAL_VALUE_RANGE,
    PI,
    PLANNED_VALUE_RANGE,
    Finding,
    Objective,
    RejectedRecord,
    Severity,
)
from rules.data_quality import RULE as DATA_QUALITY
from rules.data_quality import rejected_record_findings

RULE = "predictability"
_QUOTE_LENGTH = 60


class Band(StrEnum):
    """Where a predictability figure lies against the agreed band (80-100% by default)."""

    BELOW = "below"
    WITHIN = "within"
    ABOVE = "above"
    UNSCORED = "unscored"


@dataclass(frozen=True, slots=True)
class Predictability:
    """Business value planned (committed objectives) and achieved (all objectives)."""

    planned: int
    actual: int
    scored: bool

    @property
    def percent(self) -> float | None:
        """actual / planned in percent; None before scoring or when nothing was committed."""
        if not self.scored or self.planned == 0:
            return None
        return 100 * self.actual / self.planned

    def band(self, low: float, high: float) -> Band:
        percent = self.percent
        if percent is None:
            return Band.UNSCORED
        if percent < low:
            return Band.BELOW
        return Band.ABOVE if percent > high else Band.WITHIN


def planned_value(objective: Objective) -> int | None:
    """The planned value if it is on the scale, else None."""
    value = objective.planned_value
    return value if value in PLANNED_VALUE_RANGE else None


def actual_value(objective: Objective) -> int | None:
    """The actual value if it is on the scale, else None."""
    value = objective.actual_value
    return value if value in ACTUAL_VALUE_RANGE else None


def predictability(objectives: Iterable[Objective]) -> Predictability:
    """The figure of any set of objectives: one team's, or the whole train's."""
    planned = actual = 0
    scored = False
    for objective in objectives:
        plan, achieved = planned_value(objective), actual_value(objective)
        if objective.committed and plan is not None:
            planned += plan
        if achieved is not None:
            actual += achieved
            scored = True
    return Predictability(planned, actual, scored)


@dataclass(frozen=True, slots=True)
class TeamObjectives:
    """One team's objectives in one PI, with its figure."""

    team: str
    pi: str
    objectives: tuple[Objective, ...]
    figure: Predictability
    band: Band


@dataclass(frozen=True, slots=True)
class PiObjectives:
    """Every team's objectives in one PI, the train's figure and the findings about them."""

    pi: str
    start: date
    end: date
    teams: tuple[TeamObjectives, ...]
    figure: Predictability
    band: Band
    findings: tuple[Finding, ...]

    @property
    def objectives(self) -> tuple[Objective, ...]:
        return tuple(objective for team in self.teams for objective in team.objectives)


@dataclass(frozen=True, slots=True)
class ObjectivesReport:
    """The train's PI objectives: every PI on record, in cadence order."""

    art: str
    band_low: float
    band_high: float
    pis: tuple[PiObjectives, ...]
    findings: tuple[Finding, ...]

    def history(self, pi: str) -> tuple[PiObjectives, ...]:
        """The PIs on record up to and including `pi`: what that PI's chart shows.

        Stopping at `pi` keeps a past PI's page unchanged when a later PI is added.
        """
        names = [summary.pi for summary in self.pis]
        return self.pis[: names.index(pi) + 1]


def evaluate_objectives(
    objectives: Iterable[Objective],
    config: ArtConfig,
    *,
    today: date,
    rejected: Iterable[RejectedRecord] = (),
) -> ObjectivesReport:
    """Group the objectives by PI and team, score them, and say what is wrong with them.

    `rejected` are source records that could not become objectives: each is a
    data-quality finding, so an unreadable objective is reported, not lost.
    """
    low, high = config.objectives.band_low, config.objectives.band_high
    pis = {pi.name: pi for pi in planning_intervals(config.cadence)}
    team_names = _team_names(config)
    by_pi: dict[str, dict[str, list[Objective]]] = {}
    stray: list[Finding] = []
    for objective in objectives:
        team = team_names.get(objective.team)
        if objective.pi not in pis:
            stray.append(_stray(objective, f"PI '{objective.pi}' is not in cadence.pis"))
        elif team is None:
            stray.append(_stray(objective, f"team '{objective.team}' is not one of the teams"))
        else:
            by_pi.setdefault(objective.pi, {}).setdefault(team, []).append(objective)
    summaries = tuple(
        _pi_summary(pi, by_pi[pi.name], [team.name for team in config.teams], config, today)
        for pi in pis.values()
        if pi.name in by_pi
    )
    findings = (
        tuple(rejected_record_findings(rejected))
        + tuple(stray)
        + tuple(f for summary in summaries for f in summary.findings)
    )
    return ObjectivesReport(config.art.name, low, high, summaries, findings)


def _team_names(config: ArtConfig) -> dict[str, str]:
    """Team name by every way a source may name the team: its name or its Jira value."""
    names = config.team_names()
    names.update({team.name: team.name for team in config.teams})
    return names


def _pi_summary(
    pi: PI,
    by_team: dict[str, list[Objective]],
    team_order: Sequence[str],
    config: ArtConfig,
    today: date,
) -> PiObjectives:
    low, high = config.objectives.band_low, config.objectives.band_high
    teams = []
    findings: list[Finding] = []
    for name in team_order:
        objectives = tuple(by_team.get(name, ()))
        figure = predictability(objectives)
        teams.append(TeamObjectives(name, pi.name, objectives, figure, figure.band(low, high)))
        findings.extend(_value_findings(objectives, pi, today))
        if not objectives and today >= pi.start:
            findings.append(_team_without_objectives(name, pi))
        findings.extend(_band_findings(name, pi.name, figure, low, high))
    figure = predictability(objective for team in teams for objective in team.objectives)
    findings.extend(_band_findings(config.art.name, pi.name, figure, low, high))
    return PiObjectives(
        pi.name, pi.start, pi.end, tuple(teams), figure, figure.band(low, high), tuple(findings)
    )


# --------------------------------------------------------------------------
# Findings


def _band_findings(
    subject: str, pi: str, figure: Predictability, low: float, high: float
) -> list[Finding]:
    band = figure.band(low, high)
    if band in (Band.WITHIN, Band.UNSCORED):
        return []
    percent = figure.percent
    assert percent is not None
    where = "below" if band is Band.BELOW else "above"
    return [
        Finding(
            rule=RULE,
            severity=Severity.WARNING if band is Band.BELOW else Severity.INFO,
            subject=subject,
            message=(
                f"achieved {percent_text(percent)} of the planned business value in {pi} "
                f"({figure.actual} of {figure.planned}), {where} the {low:g}-{high:g}% band"
            ),
            data={
                "pi": pi,
                "planned": figure.planned,
                "actual": figure.actual,
                "percent": round(percent, 1),
                "band": band.value,
            },
        )
    ]


def _value_findings(objectives: Sequence[Objective], pi: PI, today: date) -> list[Finding]:
    findings = []
    for objective in objectives:
        if objective.planned_value is None:
            if today >= pi.start:
                findings.append(
                    _about(
                        objective,
                        "has no planned business value after PI Planning",
                        "no-planned-value",
                    )
                )
        elif planned_value(objective) is None:
            findings.append(
                _about(
                    objective,
                    f"planned business value {objective.planned_value} is not "
                    "on the scale 1-10 and is ignored",
                    "planned-value-off-scale",
                )
            )
        if objective.actual_value is None:
            if today > pi.end:
                findings.append(
                    _about(
                        objective,
                        "has no actual business value after the PI ended, so it counts as 0",
                        "no-actual-value",
                        Severity.INFO,
                    )
                )
        elif actual_value(objective) is None:
            findings.append(
                _about(
                    objective,
                    f"actual business value {objective.actual_value} is not "
                    "on the scale 0-10 and is ignored",
                    "actual-value-off-scale",
                )
            )
    return findings


def _about(
    objective: Objective, what: str, problem: str, severity: Severity = Severity.WARNING
) -> Finding:
    return Finding(
        rule=DATA_QUALITY,
        severity=severity,
        subject=objective.key or objective.team,
        message=f"{objective.pi} objective '{_quoted(objective.text)}' {what}",
        data={"problem": problem, "pi": objective.pi, "team": objective.team},
    )


def _stray(objective: Objective, why: str) -> Finding:
    return _about(objective, f"is left out: {why}", "unknown-team-or-pi")


def _team_without_objectives(team: str, pi: PI) -> Finding:
    return Finding(
        rule=DATA_QUALITY,
        severity=Severity.WARNING,
        subject=team,
        message=f"has no PI objectives for {pi.name}",
        data={"problem": "no-objectives", "pi": pi.name, "team": team},
    )


def _quoted(text: str) -> str:
    one_line = " ".join(text.split())
    if len(one_line) <= _QUOTE_LENGTH:
        return one_line
    return one_line[: _QUOTE_LENGTH - 3] + "..."
