"""Will the PI land? When each open feature of the current PI is done, forecast from throughput.

The method is throughput forecasting by Monte Carlo simulation, as
ActionableAgile and Troy Magennis describe it (`docs/forecasting.md` has
the whole of it and its assumptions):

- each team's past is its daily story throughput over `forecast.window_days`
  (`rules.throughput`);
- a feature's remaining work is its open stories, per team; a feature with
  no stories yet is assumed to hold its team's median number of stories per
  feature, and says so;
- each team works its part of the PI's open features in rank order (Jira's
  Rank, else the order the snapshot lists them in), one after the other;
- `forecast.trials` futures are drawn (`rules.monte_carlo`), seeded with
  `forecast.seed`, each team from its own stream, so the same data and seed
  always give the same forecast;
- a feature is done when its last team is; its 50/85/95 % dates are the
  days by which that share of the futures had it done.

The PI's outlook is how many of its planned features (those done already
included) are done by its end in 50, 85 and 95 % of the futures.
`forecast-late` is a warning when a feature's 85 % date falls after the
PI's end, or after its own due date when `jira.fields.due_date` is mapped
and set; it is critical when even the 50 % date does.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, timedelta
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from art.cadence import pi_at, planning_intervals
from art.config import ArtConfig, PiDates
from art.model import PI, BoardColumn, Finding, Severity, StatusCategory, WorkItem
from rules.board import Board
from rules.board_index import BoardIndex
from rules.flow_health import flow_boards
from rules.monte_carlo import TeamTrials, at_least, first_day, simulate_team
from rules.readiness import carries_mark, planned_by
from rules.throughput import daily_throughput, median_stories
from rules.timeline_index import Ints, TimelineIndex

RULE = "forecast-late"
CONFIDENCES = (50, 85, 95)
HORIZON_DAYS = 730  # two years: a date later than that is no forecast, only "not in sight"
_TEAM = attrgetter("team")
Chances = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TeamPace:
    """A team's throughput over the window, and the stories it puts in a feature."""

    team: str
    finished: int  # stories finished in the window
    per_day: float
    median_stories: int | None  # per feature; None when no feature has stories of the team


@dataclass(frozen=True, slots=True)
class FeatureForecast:
    """One open feature of the PI: its work left and when it is done, by confidence."""

    rank: int  # its place in the order the teams work the PI's features, from 1
    key: str
    summary: str
    status: str
    teams: tuple[str, ...]  # the teams with work left in it
    open_stories: int  # the stories the forecast counts (assumed ones included)
    assumed: bool  # no stories yet: its team's median number of stories per feature stands in
    dates: Mapping[int, date | None]  # by confidence; None when not within the horizon
    done_by_pi_end: float | None  # the share of the futures it is done by the PI's end
    due: date | None
    note: str | None = None  # what the forecast could not count, or why there is none

    @property
    def forecast(self) -> bool:
        return self.done_by_pi_end is not None


@dataclass(frozen=True, slots=True)
class PiForecast:
    """The current PI's forecast: each open feature, the teams' pace, and the PI's outlook."""

    pi: PI | None
    as_of: date
    window_days: int
    trials: int
    seed: int
    planned: int  # features planned for the PI
    done: int  # of them, done already
    features: tuple[FeatureForecast, ...]  # the open ones, in rank order
    teams: tuple[TeamPace, ...]
    done_by_end: Mapping[int, int]  # by confidence: planned features done by the PI's end
    findings: tuple[Finding, ...]
    note: str | None = None  # why there is no forecast

    @property
    def horizon(self) -> date:
        return self.as_of + timedelta(days=HORIZON_DAYS)


def forecast_pi(
    items: Sequence[WorkItem],
    config: ArtConfig,
    columns: Sequence[BoardColumn],
    *,
    today: date,
    timeline: TimelineIndex | None = None,
) -> PiForecast:
    """Forecast the open features planned for the PI running `today` (see the module)."""
    settings = config.forecast
    pi = pi_at(planning_intervals(config.cadence), today)
    marks = config.cadence.entry(pi.name) if pi else None
    empty = PiForecast(
        pi, today, settings.window_days, settings.trials, settings.seed, 0, 0, (), (), {}, ()
    )
    if pi is None:
        return replace(empty, note=f"{today} is in no PI of cadence.pis")
    if marks is None or planned_by(marks) is None:
        return replace(
            empty,
            note=f"cadence.pis gives {pi.name} no label or fix_version, so no feature is known "
            "to be planned for it",
        )
    return _Forecaster(items, config, columns, today, pi, marks, timeline).run()


@dataclass(frozen=True, slots=True)
class _Part:
    """A team's share of a feature's work: its open stories (or the assumed ones)."""

    feature: int  # the feature's place among the open features
    team: str
    stories: int


@dataclass(frozen=True, eq=False)
class _TeamRun:
    """A team's trials, and the open feature each piece of its queue belongs to."""

    features: Ints  # ascending: the queue is in rank order
    trials: TeamTrials

    def cutoff(self, day: int, beyond: int) -> Ints:
        """Per trial, the first feature in rank order whose part was not done by `day`
        (`beyond` when the whole queue was)."""
        done = self.trials.at[day]
        padded = np.append(self.features, beyond)
        return padded[np.minimum(done, len(self.features))]


@dataclass(frozen=True, slots=True)
class _Work:
    """What is left of one feature, and whether a forecast can be made of it."""

    parts: tuple[_Part, ...]
    forecastable: bool  # parts to simulate, or nothing left to do
    assumed: bool
    note: str | None


class _Forecaster:
    """One forecast: the planned features, their work per team, the simulation, the findings."""

    def __init__(
        self,
        items: Sequence[WorkItem],
        config: ArtConfig,
        columns: Sequence[BoardColumn],
        today: date,
        pi: PI,
        marks: PiDates,
        timeline: TimelineIndex | None,
    ) -> None:
        self.config, self.today, self.pi = config, today, pi
        self.settings = config.forecast
        level, team_level = config.kanban.level, config.kanban.team_level
        boards = flow_boards(items, config, columns)
        self.kanban, self.team_board = boards[level], boards[team_level]
        self.team_of = config.team_names()
        planned = [
            (position, item)
            for position, item in enumerate(items)
            if item.level == level and carries_mark(item, marks)
        ]
        self.planned = len(planned)
        self.open = [
            item for _, item in sorted(planned, key=_rank_key) if not _done(self.kanban, item)
        ]
        features = {item.key for item in items if item.level == level}
        self.children: dict[str, list[WorkItem]] = {}
        for item in items:
            if item.level == team_level and item.parent in features:
                self.children.setdefault(item.parent, []).append(item)
        self.samples = self._samples(timeline if timeline is not None else TimelineIndex.of(items))
        self.medians = median_stories(self.children, self.team_of)

    def _samples(self, timeline: TimelineIndex) -> dict[str, Ints]:
        """Each team's stories finished per day of the window."""
        masks = {
            self.team_of[value]: mask for value, mask in timeline.team_masks(self.team_of).items()
        }
        return daily_throughput(
            BoardIndex(
                timeline, self.team_board, timeline.level_mask(self.config.kanban.team_level)
            ),
            masks,
            today=self.today,
            window_days=self.settings.window_days,
            zone=ZoneInfo(self.config.art.timezone),
        )

    def run(self) -> PiForecast:
        work = [self._work(number, feature) for number, feature in enumerate(self.open)]
        end_day = min((self.pi.end - self.today).days, HORIZON_DAYS)
        runs = self._simulate(work, end_day)
        chances = self._chances(work, runs)
        forecasts = [
            self._forecast(number, item, chances[number], end_day)
            for number, item in enumerate(work)
        ]
        done = self.planned - len(self.open)
        reached = self._done_by(work, runs, end_day) + done
        window = self.settings.window_days
        paces = tuple(
            TeamPace(team, finished, round(finished / window, 2), self.medians.get(team))
            for team, finished in ((team, int(s.sum())) for team, s in self.samples.items())
        )
        return PiForecast(
            self.pi,
            self.today,
            window,
            self.settings.trials,
            self.settings.seed,
            self.planned,
            done,
            tuple(forecasts),
            paces,
            {p: at_least(reached, p) for p in CONFIDENCES},
            tuple(self._findings(forecasts, chances)),
        )

    # ----------------------------------------------------------------------
    # The work

    def _work(self, number: int, feature: WorkItem) -> _Work:
        """The feature's open stories per team (in the config's team order)."""
        stories = self.children.get(feature.key, [])
        own = self.team_of.get(feature.team or "")
        if not stories:
            median = self.medians.get(own) if own else None
            if own is None:
                return _Work((), False, False, "no stories yet and no team of the ART: no forecast")
            if median is None:
                why = f"no stories yet, and {own} has no feature with stories: no forecast"
                return _Work((), False, False, why)
            assumed = f"no stories yet: assumed {median}, {own}'s median stories per feature"
            return _Work((_Part(number, own, median),), True, True, assumed)
        per_team: dict[str, int] = {}
        without = 0
        for story in stories:
            if _done(self.team_board, story):
                continue
            team = self.team_of.get(story.team or "") or own
            if team is None:
                without += 1
            else:
                per_team[team] = per_team.get(team, 0) + 1
        parts = tuple(
            _Part(number, team.name, per_team[team.name])
            for team in self.config.teams
            if team.name in per_team
        )
        note: str | None = None
        if without:
            note = f"{_stories(without)} without a team of the ART not counted"
        stalled = [part.team for part in parts if not self.samples[part.team].any()]
        if stalled:
            note = _join(
                note,
                f"{', '.join(stalled)} finished no story in the last "
                f"{self.settings.window_days} days",
            )
        forecastable = bool(parts) or not without
        return _Work(
            parts, forecastable, False, note if forecastable else _join(note, "no forecast")
        )

    # ----------------------------------------------------------------------
    # The simulation

    def _simulate(self, work: Sequence[_Work], end_day: int) -> dict[str, _TeamRun]:
        """Each team's trials over its parts of the features, in rank order.

        The teams are independent, and numpy draws and adds up outside the
        interpreter's lock, so they run on as many cores as the machine has; each
        team's stream is its own, so the result is the same whatever runs first.
        """
        parts = [part for feature in work for part in feature.parts]
        queues = {
            team.name: [part for part in parts if part.team == team.name]
            for team in self.config.teams
        }
        queues = {team: queue for team, queue in queues.items() if queue}

        def simulate(team: str) -> _TeamRun:
            queue = queues[team]
            trials = simulate_team(
                self.samples[team].tolist(),
                [part.stories for part in queue],
                trials=self.settings.trials,
                rng=_stream(self.settings.seed, team),
                horizon=HORIZON_DAYS,
                checkpoints=(end_day,),
            )
            return _TeamRun(np.array([part.feature for part in queue]), trials)

        workers = min(len(queues), os.cpu_count() or 1)
        if workers <= 1:
            return {team: simulate(team) for team in queues}
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return dict(zip(queues, pool.map(simulate, queues), strict=True))

    def _chances(self, work: Sequence[_Work], runs: Mapping[str, _TeamRun]) -> Chances:
        """Per open feature and day, the chance it is done by then: its teams' futures are
        independent, so the product of each team's chance of having done its part."""
        chances = np.ones((len(work), HORIZON_DAYS + 1))
        chances[[number for number, item in enumerate(work) if not item.forecastable]] = 0.0
        for run in runs.values():
            chances[run.features] *= run.trials.done.T / run.trials.trials
        return chances

    def _done_by(self, work: Sequence[_Work], runs: Mapping[str, _TeamRun], day: int) -> Ints:
        """Per trial, how many open features are done by `day`: a feature is done when each
        of its teams has done every part ranked up to it (trial by trial, team by team)."""
        count = np.zeros(self.settings.trials, np.int64)
        cutoffs = {team: run.cutoff(day, len(work)) for team, run in runs.items()}
        groups: dict[tuple[str, ...], list[int]] = {}
        for number, item in enumerate(work):
            if item.parts:
                groups.setdefault(tuple(part.team for part in item.parts), []).append(number)
            elif item.forecastable:  # nothing left to do
                count += 1
        for teams, numbers in groups.items():
            cutoff = np.minimum.reduce([cutoffs[team] for team in teams])
            count += np.searchsorted(np.array(numbers), cutoff, side="left")
        return count

    # ----------------------------------------------------------------------
    # What it says

    def _forecast(self, number: int, work: _Work, chance: Chances, end_day: int) -> FeatureForecast:
        feature = self.open[number]
        trials = self.settings.trials
        return FeatureForecast(
            rank=number + 1,
            key=feature.key,
            summary=feature.summary,
            status=feature.status,
            teams=tuple(part.team for part in work.parts),
            open_stories=sum(part.stories for part in work.parts),
            assumed=work.assumed,
            dates={p: self._date(first_day(chance, p, trials)) for p in CONFIDENCES},
            done_by_pi_end=round(float(chance[end_day]), 4) if work.forecastable else None,
            due=_due(feature),
            note=work.note,
        )

    def _date(self, day: int | None) -> date | None:
        return self.today + timedelta(days=day) if day is not None else None

    def _findings(self, forecasts: Sequence[FeatureForecast], chances: Chances) -> list[Finding]:
        findings = []
        for number, feature in enumerate(forecasts):
            if not feature.forecast:
                continue
            deadline, what = self.pi.end, f"the end of {self.pi.name}"
            if feature.due is not None and feature.due < deadline:
                deadline, what = feature.due, "its due date"
            likely, middle = feature.dates[85], feature.dates[50]
            if likely is not None and likely <= deadline:
                continue
            by = (deadline - self.today).days
            chance = float(chances[number, min(by, HORIZON_DAYS)]) if by >= 0 else 0.0
            findings.append(_finding(feature, self.pi, deadline, what, chance, middle))
        return findings


def _finding(
    feature: FeatureForecast,
    pi: PI,
    deadline: date,
    what: str,
    chance: float,
    middle: date | None,
) -> Finding:
    late_anyway = middle is None or middle > deadline
    dates = ", ".join(f"{p} %: {_day(feature.dates[p])}" for p in CONFIDENCES)
    data: dict[str, Any] = {
        "pi": pi.name,
        "rank": feature.rank,
        "deadline": deadline,
        "deadline_is": "due date" if what == "its due date" else "PI end",
        "due_date": feature.due,
        "p50": feature.dates[50],
        "p85": feature.dates[85],
        "p95": feature.dates[95],
        "chance_by_deadline": round(chance, 4),
        "open_stories": feature.open_stories,
        "assumed": feature.assumed,
        "teams": list(feature.teams),
    }
    return Finding(
        rule=RULE,
        severity=Severity.CRITICAL if late_anyway else Severity.WARNING,
        subject=feature.key,
        message=(
            f"forecast done by {_day(feature.dates[85])} at 85 % confidence, after {what} "
            f"({deadline.isoformat()}); {round(chance * 100)} % likely by then ({dates})"
        ),
        data=data,
    )


def _stream(seed: int, team: str) -> np.random.Generator:
    """The team's own random stream: the seed and its name pick it (SFC64, numpy's fastest)."""
    return np.random.Generator(np.random.SFC64([seed, zlib.crc32(team.encode("utf-8"))]))


def _stories(count: int) -> str:
    return f"{count} open stor{'y' if count == 1 else 'ies'}"


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else f"not within {HORIZON_DAYS} days"


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


def _rank_key(planned: tuple[int, WorkItem]) -> tuple[int, str, int]:
    """Ranked features first, by their LexoRank text; the rest in the snapshot's order."""
    position, item = planned
    rank = item.fields.get("rank")
    return (0, rank, position) if isinstance(rank, str) and rank else (1, "", position)


def _done(board: Board, item: WorkItem) -> bool:
    """Done on its board; a status on no column counts by its Jira category."""
    category = board.category_of(item.status) or item.status_category
    return category is StatusCategory.DONE


def _due(item: WorkItem) -> date | None:
    due = item.fields.get("due_date")
    return due if isinstance(due, date) else None
