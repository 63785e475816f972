"""The nightly headline figures, their trends, and where the train stands in its PI."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from art.history import NightFigures
from art.model import FlaggedInterval, Objective, StatusCategory
from rules.health import evaluate_health
from rules.objectives import evaluate_objectives
from rules.pi_progress import pi_progress
from rules.trends import night_figures, trends
from tests.builders import column, day, item, walked
from tests.config_builders import art_config

NIGHT = date(2026, 11, 20)
COLUMNS = [
    column("Funnel", category=StatusCategory.TO_DO),
    column("Implementing", "Implementing", "Blocked", limit=2),
    column("Done", category=StatusCategory.DONE),
]


def test_a_nights_figures_count_wip_throughput_blocked_aging_and_findings() -> None:
    config = art_config(
        kanban={
            "level": "feature",
            "team_level": "story",
            "states": [{"name": "Implementing", "statuses": ["Implementing"]}],
        }
    )
    finished_tonight = datetime(2026, 11, 20, 15, tzinfo=UTC)
    items = [
        item("F-1", "Implementing", flagged=(FlaggedInterval(day(1), None),)),
        item("F-2", "Blocked"),
        item("F-3", "Done", category=StatusCategory.DONE, resolved=finished_tonight),
        item(
            "F-4",
            "Done",
            category=StatusCategory.DONE,
            resolved=finished_tonight - timedelta(days=1),
        ),
        item("S-1", "Done", level="story", category=StatusCategory.DONE, resolved=finished_tonight),
        item("S-2", "Funnel", level="story", category=StatusCategory.TO_DO),
        item("E-1", "Done", level="epic", category=StatusCategory.DONE, resolved=finished_tonight),
    ]
    report = evaluate_health(
        items, [], config, COLUMNS, today=NIGHT, generated_at=datetime(2026, 11, 20, 20, tzinfo=UTC)
    )
    figures = night_figures(report, items, config, COLUMNS).figures
    assert figures["wip.Funnel"] == 0 and figures["wip.Implementing"] == 2
    assert "wip.Done" not in figures  # a done state's count only grows: no WIP
    assert (figures["throughput.feature"], figures["throughput.story"]) == (1, 1)
    assert figures["blocked"] == 2  # flagged, and in a blocked status
    assert figures["findings.critical"] + figures["findings.warning"] + figures[
        "findings.info"
    ] == len(report.findings)
    assert figures["aging"] == len({f.subject for f in report.findings if f.rule == "aging-wip"})


def test_trends_show_the_window_night_by_night_with_gaps_as_null() -> None:
    nights = [
        NightFigures(NIGHT - timedelta(days=40), {"blocked": 9}),
        NightFigures(NIGHT - timedelta(days=2), {"blocked": 3}, replayed=True),
        NightFigures(NIGHT - timedelta(days=1), {"blocked": 2, "wip.New": 1}),
        NightFigures(NIGHT, {"blocked": 1, "wip.New": 4}),
        NightFigures(NIGHT + timedelta(days=1), {"blocked": 0}),  # after the night shown
    ]
    shown = trends(reversed(nights), NIGHT, 30)
    assert shown.nights == (NIGHT - timedelta(days=2), NIGHT - timedelta(days=1), NIGHT)
    assert shown.series == {"blocked": (3, 2, 1), "wip.New": (None, 1, 4)}
    assert shown.replayed == (NIGHT - timedelta(days=2),)


def test_pi_progress_counts_days_iterations_and_the_features_marked_for_the_pi() -> None:
    config = art_config()  # PI 2026.4 from 2026-10-05, label pi-2026.4; five 2-week iterations
    marked = {"labels": ("pi-2026.4",)}
    items = [
        item("F-1", "Done", category=StatusCategory.DONE, fields=marked),
        item("F-2", "Implementing", fields=marked),
        item("F-3", "Implementing"),
    ]
    progress = pi_progress(items, config, NIGHT, None, objectives_note="objectives is not set up")
    assert progress is not None
    assert (progress.pi, progress.day, progress.days, progress.days_left) == (
        "PI 2026.4",
        47,
        70,
        23,
    )
    assert progress.iteration is not None and progress.iteration.number == 4
    assert (progress.features.done, progress.features.planned) == (1, 2)
    assert progress.features.basis == "label pi-2026.4"
    assert progress.predictability.status == "not configured"
    assert progress.predictability.note == "objectives is not set up"
    assert pi_progress(items, config, date(2030, 1, 1), None) is None  # between PIs


def test_without_a_label_the_features_in_the_pi_are_those_finished_in_it_or_in_a_sprint() -> None:
    config = art_config(cadence={"pis": [{"name": "PI 2026.4", "start": "2026-10-05"}]})
    items = [
        walked(
            "F-1",
            (0, "Implementing"),
            (20, "Done"),
            category=StatusCategory.DONE,
            resolved=day(20),
        ),
        item("F-2", "Implementing", iteration="Atlas 2026.4-4"),
        item("F-3", "Implementing"),
    ]
    progress = pi_progress(items, config, NIGHT, None)
    assert progress is not None
    assert (progress.features.done, progress.features.planned) == (1, 2)
    assert progress.features.basis.startswith("in the PI: finished in it, or open in a sprint")


def test_predictability_so_far_once_business_owners_have_scored() -> None:
    config = art_config()
    scored = [
        Objective("Atlas", "PI 2026.4", "a", committed=True, planned_value=8, actual_value=6),
        Objective("Borealis", "PI 2026.4", "b", committed=True, planned_value=2),
    ]
    report = evaluate_objectives(scored, config, today=NIGHT)
    progress = pi_progress([], config, NIGHT, report)
    assert progress is not None
    figure = progress.predictability
    assert (figure.status, figure.percent, figure.planned_value, figure.actual_value) == (
        "scored",
        60.0,
        10,
        6,
    )
    assert figure.band == "below"
    unscored = evaluate_objectives(
        [Objective("Atlas", "PI 2026.4", "a", committed=True, planned_value=8)], config, today=NIGHT
    )
    later = pi_progress([], config, NIGHT, unscored)
    assert later is not None and later.predictability.status == "not scored yet"
