"""The nightly check's memory: recall the earlier nights before rendering, remember tonight after.

`recall` reads the history the state directory keeps (`HealthHistory`),
replays the nights of the trends window it lacks from the Jira histories
(the backfill: on the first run, the last `trends.backfill_days` nights),
reads the PI objectives for the PI's progress, and hands the renderers the
report with its morning read. `remember` keeps the history after tonight,
once the page is published and the mail sent; a dry run reads, never writes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from art.config import ArtConfig
from art.config_errors import ConfigError
from art.history import HealthHistory, NightFigures
from flows.steps.jira_snapshot import JiraSnapshot, evaluate_as_of, snapshot_as_of
from flows.steps.objectives import ObjectivesReader
from flows.steps.pipeline import talks_to_services
from rules.as_of import earliest_moment
from rules.health import HealthReport
from rules.morning import Recalled, morning_read, with_state_problems
from rules.objectives import ObjectivesReport, evaluate_objectives
from rules.pi_progress import pi_progress
from rules.timeline import as_of_moment
from rules.trends import night_figures


class HistoryStore(Protocol):
    """Where the history of earlier nights is kept (`connectors.health_history.HistoryFiles`)."""

    def read(self) -> HealthHistory: ...

    def write(self, history: HealthHistory) -> None: ...


@talks_to_services
def recall(
    report: HealthReport,
    snapshot: JiraSnapshot,
    config: ArtConfig,
    history: HistoryStore,
    objectives: ObjectivesReader,
) -> Recalled:
    """Compare tonight with the nights before, backfill the trends, add the PI's progress."""
    zone = ZoneInfo(config.art.timezone)
    kept = history.read()
    tonight = snapshot_as_of(snapshot, config, generated_at=report.generated_at)
    report = with_state_problems(report, kept.problems, tonight.items, zone)
    scored, note = score_quietly(objectives, config, report.as_of)
    return morning_read(
        report,
        kept,
        tonight=night_figures(report, tonight.items, config, tonight.columns),
        backfilled=backfill(snapshot, config, kept, report),
        progress=pi_progress(tonight.items, config, report.as_of, scored, objectives_note=note),
        config=config,
    )


@talks_to_services
def remember(recalled: Recalled, history: HistoryStore, dry_run: bool) -> str:
    """Keep the history after tonight in the state directory (not in a dry run)."""
    nights = len(recalled.history.nights)
    if dry_run:
        return f"dry run: the history of {nights} night(s) was read, not written"
    history.write(recalled.history)
    return f"kept the history of {nights} night(s)"


def backfill(
    snapshot: JiraSnapshot, config: ArtConfig, history: HealthHistory, report: HealthReport
) -> list[NightFigures]:
    """The figures of the nights of the last `trends.backfill_days` before tonight that the
    history lacks, each replayed from the histories; none before the oldest history read."""
    zone = ZoneInfo(config.art.timezone)
    earliest = earliest_moment(snapshot.items)
    figures = []
    for night in missing_nights(history, report.as_of, config.trends.backfill_days):
        moment = as_of_moment(night, zone, report.generated_at)
        if earliest is None or moment < earliest:
            continue
        past = snapshot_as_of(
            replace(snapshot, as_of=night), config, generated_at=report.generated_at
        )
        replayed = evaluate_as_of(past, config, generated_at=report.generated_at)
        figures.append(night_figures(replayed, past.items, config, past.columns, replayed=True))
    return figures


def missing_nights(history: HealthHistory, tonight: date, days: int) -> list[date]:
    """The nights of the `days` before `tonight` the history holds no figures for, oldest first."""
    held = {entry.night for entry in history.nights}
    window = (tonight - timedelta(days=back) for back in range(days, 0, -1))
    return [night for night in window if night not in held]


def score_quietly(
    reader: ObjectivesReader, config: ArtConfig, today: date
) -> tuple[ObjectivesReport | None, str | None]:
    """The objectives scored as of `today`; None and the reason when no source is set up
    (the health check does not need one)."""
    try:
        source = reader.read()
    except ConfigError as exc:
        return None, "; ".join(str(problem) for problem in exc.problems)
    return evaluate_objectives(
        source.objectives, config, today=today, rejected=source.rejected
    ), None
