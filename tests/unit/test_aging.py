"""Aging WIP: items in progress compared with the cycle times of finished items of their type."""

from __future__ import annotations

from art.model import Severity, StatusCategory
from rules.aging import MIN_SAMPLE, aging_wip
from tests.builders import day, flow_board, shuffled, walked

BOARD = flow_board()
DONE = StatusCategory.DONE
NOW = day(100)


def finished(key: str, start: float, cycle: float, issue_type: str = "Feature"):
    """A feature that started on day `start` and finished `cycle` days later."""
    return walked(
        key,
        (start - 5, "Funnel"),
        (start, "Implementing"),
        (start + cycle, "Done"),
        category=DONE,
        issue_type=issue_type,
    )


def started(key: str, on: float, **fields: object):
    return walked(key, (on - 3, "Analyzing"), (on, "Implementing"), **fields)


def history(*cycles: float) -> list:
    return [finished(f"AUR-{100 + n}", 60, cycle) for n, cycle in enumerate(cycles)]


def run(items: list, **kwargs: object):
    options = {"level": "feature", "now": NOW, "percentile": 85, "window_days": 180} | kwargs
    return aging_wip(items, BOARD, **options)  # type: ignore[arg-type]


def test_an_item_older_than_the_85th_percentile_is_a_finding_with_its_numbers() -> None:
    # 20 finished features: 1..20 days; the 85th percentile (nearest rank) is 17 days.
    items = [*history(*range(1, 21)), started("AUR-1", 100 - 18), started("AUR-2", 100 - 16)]
    [finding] = run(items).findings()
    assert finding.rule == "aging-wip"
    assert finding.subject == "AUR-1"
    assert finding.severity is Severity.WARNING
    assert finding.data["age_days"] == 18
    assert finding.data["threshold_days"] == 17
    assert finding.data["sample_size"] == 20
    assert finding.data["reference"] == "Feature"
    assert finding.data["state"] == "Implementing"
    assert finding.data["started"] == day(82)


def test_twice_the_threshold_is_critical_and_findings_come_oldest_first() -> None:
    items = [
        *history(*([10] * 10)),
        started("AUR-1", 89),
        started("AUR-2", 81),
        started("AUR-3", 50),
    ]
    findings = run(items).findings()
    assert [f.subject for f in findings] == ["AUR-3", "AUR-2", "AUR-1"]
    assert [f.severity for f in findings] == [Severity.CRITICAL, Severity.WARNING, Severity.WARNING]


def test_the_percentile_is_configurable() -> None:
    items = [*history(*range(1, 21)), started("AUR-1", 100 - 12)]
    assert run(items, percentile=85).findings() == []
    [finding] = run(items, percentile=50).findings()
    assert finding.data["threshold_days"] == 10


def test_age_counts_from_the_first_entry_into_progress_even_after_moving_back_and_forth() -> None:
    bounced = walked(
        "AUR-1", (10, "Analyzing"), (20, "Implementing"), (30, "Analyzing"), (60, "Implementing")
    )
    [aged] = run([*history(*([5] * 10)), bounced]).wip
    assert aged.age_days == 80  # since day 20, not day 60


def test_an_item_that_skipped_into_a_later_state_started_when_it_jumped() -> None:
    jumped = walked("AUR-1", (10, "Funnel"), (40, "Validating"))
    [aged] = run([*history(*([5] * 10)), jumped]).wip
    assert aged.started == day(40)
    assert aged.state == "Validating"


def test_finished_items_outside_the_window_do_not_count() -> None:
    old = [finished(f"AUR-{n}", -300, 50) for n in range(100, 110)]
    recent = [finished(f"AUR-{n}", 80, 2) for n in range(200, 210)]
    result = run([*old, *recent, started("AUR-1", 95)], window_days=30)
    assert result.references["Feature"].cycle_days == (2.0,) * 10
    assert [f.subject for f in result.findings()] == ["AUR-1"]


def test_types_are_compared_with_their_own_kind_and_a_small_sample_with_the_whole_level() -> None:
    features = history(*([30] * 10))
    enablers = [finished(f"AUR-{n}", 50, 5, "Enabler") for n in range(300, 300 + MIN_SAMPLE)]
    lone_bug = [finished("AUR-400", 50, 1, "Bug")]
    items = [
        *features,
        *enablers,
        *lone_bug,
        started("AUR-1", 90, issue_type="Enabler"),
        started("AUR-2", 90, issue_type="Feature"),
        started("AUR-3", 60, issue_type="Bug"),
    ]
    findings = {f.subject: f for f in run(items).findings()}
    assert set(findings) == {"AUR-1", "AUR-3"}
    assert findings["AUR-1"].data["reference"] == "Enabler"
    assert findings["AUR-3"].data["reference"] == "all feature items"
    assert findings["AUR-3"].data["sample_size"] == 10 + MIN_SAMPLE + 1


def test_without_finished_items_nothing_can_be_judged_but_ages_are_still_reported() -> None:
    result = run([started("AUR-1", 10)])
    assert result.findings() == []
    [aged] = result.wip
    assert (aged.rounded_age_days, aged.threshold_days) == (90, None)


def test_a_threshold_of_zero_days_still_allows_a_day() -> None:
    same_day = [finished(f"AUR-{n}", 50, 0) for n in range(100, 110)]
    assert run([*same_day, started("AUR-1", 99.5)]).findings() == []


def test_other_levels_and_items_off_the_board_are_left_alone() -> None:
    items = [
        *history(*([1] * 10)),
        started("AUR-1", 10, level="story"),
        walked("AUR-2", (0, "Implementing"), (5, "On Hold")),
    ]
    assert run(items).wip == ()


def test_the_metrics_hold_every_item_in_progress_oldest_first_and_the_percentiles() -> None:
    result = run([*history(*range(1, 21)), started("AUR-1", 90), started("AUR-2", 80)])
    assert [aged.item.key for aged in result.wip] == ["AUR-2", "AUR-1"]
    feature = result.reference_percentiles()["Feature"]
    assert (feature.count, feature.at(50), feature.at(85), feature.at(95)) == (20, 10, 17, 19)


def test_a_history_out_of_order_or_an_item_created_in_progress_ages_the_same() -> None:
    tidy = walked("AUR-1", (10, "Funnel"), (20, "Implementing"), (30, "Validating"))
    created_late = walked("AUR-2", (20, "Implementing"))
    result = run([*history(*([5] * 10)), shuffled(tidy, 3), created_late])
    assert [(aged.item.key, aged.age_days) for aged in result.wip] == [("AUR-1", 80), ("AUR-2", 80)]
