"""Where the train stands in its PI: the iteration, the days, the features, the objectives.

- day X of Y: calendar days from the PI's first day (day 1) to its last;
  days left: the days after today up to and including the PI's last day;
- features done against planned, at the Program Kanban's level: planned are
  the features carrying the PI's label or fixVersion (`rules.readiness`);
  when `cadence.pis` gives the PI neither, the features in the PI as the
  guardrails count work (`rules.pi_work`: finished in the PI, or open in a
  sprint). `basis` says which;
- predictability so far: the ART's business value achieved over planned in
  this PI, once business owners have scored an objective (`rules.objectives`);
  until then, or without an objectives source, it says why there is none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from art.cadence import pi_at, planning_intervals
from art.config import ArtConfig
from art.model import Iteration, StatusCategory, WorkItem
from rules.objectives import ObjectivesReport
from rules.pi_work import finished_in, planned
from rules.readiness import planned_by, planned_features


@dataclass(frozen=True, slots=True)
class FeatureProgress:
    level: str
    done: int
    planned: int
    basis: str  # how "planned" was counted, in words


@dataclass(frozen=True, slots=True)
class PiPredictability:
    status: str  # "scored", "not scored yet" or "not configured"
    percent: float | None = None
    planned_value: int | None = None
    actual_value: int | None = None
    band: str | None = None
    note: str | None = None  # why there is no figure, when there is none


@dataclass(frozen=True, slots=True)
class PiProgress:
    pi: str
    start: date
    end: date
    day: int
    days: int
    days_left: int
    iteration: Iteration | None
    iterations: int
    features: FeatureProgress
    predictability: PiPredictability


def pi_progress(
    items: Sequence[WorkItem],
    config: ArtConfig,
    today: date,
    objectives: ObjectivesReport | None,
    *,
    objectives_note: str | None = None,
) -> PiProgress | None:
    """The progress of the PI running on `today`; None between PIs.

    `objectives` is None when no objectives source is set up (`objectives_note` says why).
    """
    pi = pi_at(planning_intervals(config.cadence), today)
    if pi is None:
        return None
    return PiProgress(
        pi=pi.name,
        start=pi.start,
        end=pi.end,
        day=(today - pi.start).days + 1,
        days=(pi.end - pi.start).days + 1,
        days_left=(pi.end - today).days,
        iteration=pi.iteration_at(today),
        iterations=len(pi.iterations),
        features=feature_progress(items, config, pi.name, today),
        predictability=pi_predictability(objectives, pi.name, objectives_note),
    )


def feature_progress(
    items: Sequence[WorkItem], config: ArtConfig, pi_name: str, today: date
) -> FeatureProgress:
    """Features done against planned in the PI, and what counted as planned."""
    level = config.kanban.level
    marks = next(entry for entry in config.cadence.pis if entry.name == pi_name)
    basis = planned_by(marks)
    if basis is not None:
        chosen = planned_features(items, marks=marks, level=level)
        done = sum(1 for item in chosen if item.status_category is StatusCategory.DONE)
        return FeatureProgress(level, done, len(chosen), basis)
    pi = next(entry for entry in planning_intervals(config.cadence) if entry.name == pi_name)
    zone = ZoneInfo(config.art.timezone)
    at_level = [item for item in items if item.level == level]
    finished = sum(1 for item in at_level if finished_in(item, pi, today, zone))
    in_sprint = sum(1 for item in at_level if planned(item))
    basis = "in the PI: finished in it, or open in a sprint (no label or fixVersion marks it)"
    return FeatureProgress(level, finished, finished + in_sprint, basis)


def pi_predictability(
    objectives: ObjectivesReport | None, pi_name: str, note: str | None
) -> PiPredictability:
    if objectives is None:
        return PiPredictability("not configured", note=note)
    summary = next((entry for entry in objectives.pis if entry.pi == pi_name), None)
    if summary is None:
        return PiPredictability("not scored yet", note=f"no objectives for {pi_name} on record")
    figure = summary.figure
    if not figure.scored:
        return PiPredictability(
            "not scored yet",
            planned_value=figure.planned,
            note="business owners score the objectives at Inspect & Adapt",
        )
    return PiPredictability(
        "scored",
        percent=figure.percent,
        planned_value=figure.planned,
        actual_value=figure.actual,
        band=summary.band.value,
    )
