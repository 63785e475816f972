"""Load against capacity for the next PI: which teams PI Planning is about to overload.

SAFe's RTE "provides input on resourcing to address critical bottlenecks";
the bottleneck shows before PI Planning when the features planned for the
next PI (its label or fixVersion, as for readiness) ask more of a team than
it has.

- Load: each planned feature's estimate (its own story points, or else its
  stories' total) counts for the teams of its stories, split by their share
  of the stories' points (by count when the stories carry none); a feature
  without stories yet counts for its own team. A feature with neither is
  unassigned.
- Capacity: `teams[].capacity_per_iteration` for each iteration of the PI but
  the IP iteration, less a day's capacity (a tenth of an iteration of two
  weeks) for each public holiday the calendar knows (`calendar.holidays`) on
  a working day of those iterations, and for each day of
  `teams[].absences` given for the PI.

`capacity-overload` (critical) when a team's load is over 100 % of its
capacity; `capacity-tight` (warning) when it is over `capacity.tight_pct`.
A team without `capacity_per_iteration` is shown, but not judged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from art.cadence import planning_intervals
from art.config import ArtConfig, TeamConfig
from art.formatting import points
from art.model import PI, Finding, Severity, WorkItem
from rules.calendar import public_holidays
from rules.readiness import next_pi, planned_by, planned_features

OVERLOAD_RULE = "capacity-overload"
TIGHT_RULE = "capacity-tight"
WORKING_DAYS_A_WEEK = 5
NO_TEAM = "(no team)"


@dataclass(frozen=True, slots=True)
class FeatureLoad:
    """One planned feature's load on one team: its share of the feature's estimate."""

    key: str
    summary: str
    estimate: float | None  # the whole feature's
    share: float  # of the estimate, 0 to 1
    points: float  # estimate x share


@dataclass(frozen=True, slots=True)
class TeamCapacity:
    """One team in the next PI: what it can take and what the plan asks of it."""

    team: str
    per_iteration: float | None
    iterations: int  # the PI's iterations but the IP one
    holidays: tuple[tuple[date, str], ...]  # on working days of those iterations
    absences: float  # team-days, from teams[].absences
    capacity: float | None  # points; None without capacity_per_iteration
    load: float  # points
    features: tuple[FeatureLoad, ...]
    tight_pct: float

    @property
    def load_pct(self) -> float | None:
        if self.capacity is None or self.capacity <= 0:
            return None
        return round(self.load / self.capacity * 100, 1)

    @property
    def status(self) -> str:
        """'overloaded', 'tight', 'ok', or 'no capacity' (none configured)."""
        if self.capacity is None:
            return "no capacity"
        if self.load > self.capacity:
            return "overloaded"
        if self.load > self.capacity * self.tight_pct / 100:
            return "tight"
        return "ok"


@dataclass(frozen=True, slots=True)
class CapacityReport:
    """Every team's load against its capacity in the next PI, and what breaks the plan."""

    pi: PI | None
    planned_by: str | None  # how Jira marks the PI's features, in words
    tight_pct: float
    teams: tuple[TeamCapacity, ...]  # in config order
    unassigned: tuple[FeatureLoad, ...]  # planned features no team carries
    findings: tuple[Finding, ...]
    note: str | None = None  # why nothing was measured

    @property
    def bottlenecks(self) -> tuple[TeamCapacity, ...]:
        """The overloaded and tight teams, the most loaded first."""
        judged = [team for team in self.teams if team.status in ("overloaded", "tight")]
        return tuple(sorted(judged, key=lambda team: (-(team.load_pct or 0.0), team.team)))


def evaluate_capacity(
    items: Iterable[WorkItem], config: ArtConfig, *, today: date
) -> CapacityReport:
    """Load and capacity of every team for the PI after the one running `today`."""
    tight = config.capacity.tight_pct
    pi = next_pi(planning_intervals(config.cadence), today)
    marks = config.cadence.entry(pi.name) if pi else None
    words = planned_by(marks)
    if pi is None or marks is None or words is None:
        note = (
            f"no PI after {today} in cadence.pis"
            if pi is None
            else f"cadence.pis gives {pi.name} no label or fix_version: nothing is planned for it"
        )
        return CapacityReport(pi, words, tight, (), (), (), note)
    everything = list(items)
    level = config.kanban.level
    features = planned_features(everything, marks=marks, level=level)
    keys = {feature.key for feature in features}
    stories: dict[str, list[WorkItem]] = {}
    for item in everything:
        if item.level == config.kanban.team_level and item.parent in keys:
            stories.setdefault(item.parent, []).append(item)
    team_of = config.team_names()
    loads: dict[str, list[FeatureLoad]] = {}
    for feature in features:
        for team, load in _split(feature, stories.get(feature.key, []), team_of):
            loads.setdefault(team, []).append(load)
    holidays = _holidays(config, pi)
    teams = tuple(
        _team(team, pi, loads.get(team.name, []), holidays, config) for team in config.teams
    )
    findings = tuple(finding for team in teams for finding in _findings(team, pi))
    return CapacityReport(pi, words, tight, teams, tuple(loads.get(NO_TEAM, [])), findings)


def feature_estimate(feature: WorkItem, stories: Sequence[WorkItem]) -> float | None:
    """The feature's own estimate, or else its stories' total (None without either)."""
    if feature.estimate is not None:
        return feature.estimate
    estimated = [story.estimate for story in stories if story.estimate is not None]
    return float(sum(estimated)) if estimated else None


def _split(
    feature: WorkItem, stories: Sequence[WorkItem], team_of: Mapping[str, str]
) -> list[tuple[str, FeatureLoad]]:
    """The feature's load per team: by its stories' points (or count), else its own team."""
    estimate = feature_estimate(feature, stories)
    if not stories:
        weights = {team_of.get(feature.team or "", NO_TEAM): 1.0}
    else:
        by_points = any(story.estimate for story in stories)
        weights = {}
        for story in stories:
            team = team_of.get(story.team or "", NO_TEAM)
            weight = (story.estimate or 0.0) if by_points else 1.0
            weights[team] = weights.get(team, 0.0) + weight
    whole = sum(weights.values())
    loads = []
    for team, weight in weights.items():
        share = weight / whole if whole else 0.0
        amount = round((estimate or 0.0) * share, 1)
        loads.append(
            (team, FeatureLoad(feature.key, feature.summary, estimate, round(share, 4), amount))
        )
    return loads


def _holidays(config: ArtConfig, pi: PI) -> dict[date, str]:
    """The public holidays on working days of the PI's iterations but the IP one."""
    years = range(pi.start.year, pi.end.year + 1)
    known = public_holidays(config.calendar.holidays, years)
    return {
        day: name
        for day, name in sorted(known.items())
        if day.weekday() < WORKING_DAYS_A_WEEK
        and any(it.contains(day) and not it.is_ip for it in pi.iterations)
    }


def _team(
    team: TeamConfig,
    pi: PI,
    features: Sequence[FeatureLoad],
    holidays: Mapping[date, str],
    config: ArtConfig,
) -> TeamCapacity:
    iterations = sum(1 for iteration in pi.iterations if not iteration.is_ip)
    absences = team.absences.get(pi.name, 0.0)
    capacity = None
    per_iteration = team.capacity_per_iteration
    if per_iteration is not None:
        per_day = per_iteration / (WORKING_DAYS_A_WEEK * config.cadence.iteration_weeks)
        lost = (len(holidays) + absences) * per_day
        capacity = round(max(per_iteration * iterations - lost, 0.0), 1)
    return TeamCapacity(
        team=team.name,
        per_iteration=per_iteration,
        iterations=iterations,
        holidays=tuple(holidays.items()),
        absences=absences,
        capacity=capacity,
        load=round(sum(feature.points for feature in features), 1),
        features=tuple(features),
        tight_pct=config.capacity.tight_pct,
    )


def _findings(team: TeamCapacity, pi: PI) -> list[Finding]:
    status = team.status
    if status not in ("overloaded", "tight") or team.capacity is None:
        return []
    overloaded = status == "overloaded"
    share = f"{team.load_pct:g} %" if team.load_pct is not None else "all"
    lost = []
    if team.holidays:
        lost.append(f"{len(team.holidays)} public holiday{'s' * (len(team.holidays) != 1)}")
    if team.absences:
        lost.append(f"{team.absences:g} day{'s' * (team.absences != 1)} of absences")
    less = f", less {' and '.join(lost)}" if lost else ""
    bound = "its capacity" if overloaded else f"{team.tight_pct:g} % of its capacity"
    return [
        Finding(
            rule=OVERLOAD_RULE if overloaded else TIGHT_RULE,
            severity=Severity.CRITICAL if overloaded else Severity.WARNING,
            subject=team.team,
            message=(
                f"loaded {share} for {pi.name}, over {bound}: {points(team.load)} points of "
                f"{len(team.features)} planned feature{'s' * (len(team.features) != 1)} against "
                f"{points(team.capacity)} ({team.iterations} iterations of "
                f"{points(team.per_iteration)}{less})"
            ),
            data={
                "pi": pi.name,
                "starts": pi.start,
                "load": team.load,
                "capacity": team.capacity,
                "load_pct": team.load_pct,
                "tight_pct": team.tight_pct,
                "features": [feature.key for feature in team.features],
                "holidays": [day for day, _ in team.holidays],
                "absences": team.absences,
            },
        )
    ]
