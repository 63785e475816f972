"""The PI forecast: hand-computed trains with a steady throughput, and its laws."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from art.model import Severity, WorkItem
from rules.forecast import CONFIDENCES, PiForecast, forecast_pi
from tests.config_builders import art_config
from tests.forecast_builders import (
    NEXT_PI,
    TODAY,
    feature,
    finished,
    old_features,
    open_story,
    opened,
    steady,
)

PI_END = date(2026, 12, 13)


def forecast(items: list[WorkItem], **sections: object) -> PiForecast:
    config = art_config(**({"forecast": {"trials": 1000, "seed": 7}} | sections))
    return forecast_pi(items, config, config.kanban.columns(), today=TODAY)


def history(team: str = "Atlas", per_day: int = 1) -> list[WorkItem]:
    stories = steady(team, per_day)
    return [*old_features(stories), *stories]


def dates(result: PiForecast, key: str) -> list[date | None]:
    row = next(row for row in result.features if row.key == key)
    return [row.dates[p] for p in CONFIDENCES]


def in_days(n: int) -> date:
    return TODAY + timedelta(days=n)


def test_a_steady_throughput_gives_exact_dates_in_rank_order() -> None:
    """One story a day: the first feature's 3 stories are done on day 3, the next 2 on day 5."""
    items = [
        *history(),
        feature("F-2", rank="0|b:"),
        *opened("Atlas", "F-2", 2),
        feature("F-1", rank="0|a:"),
        *opened("Atlas", "F-1", 3),
    ]
    result = forecast(items)
    assert [row.key for row in result.features] == ["F-1", "F-2"]
    assert dates(result, "F-1") == [in_days(3)] * 3
    assert dates(result, "F-2") == [in_days(5)] * 3
    assert [row.open_stories for row in result.features] == [3, 2]
    assert result.features[0].done_by_pi_end == 1.0
    assert result.done_by_end == {50: 2, 85: 2, 95: 2}
    assert result.findings == ()
    [pace] = [pace for pace in result.teams if pace.team == "Atlas"]
    assert (pace.finished, pace.per_day, pace.median_stories) == (90, 1.0, 3)


def test_the_throughput_window_is_the_days_up_to_today() -> None:
    """Ninety days at one a day, and older stories that must not count: still one a day."""
    old = [finished(f"OLD-{n}", "Atlas", TODAY - timedelta(days=90 + n)) for n in range(50)]
    items = [*history(), *old, feature("F-1"), *opened("Atlas", "F-1", 4)]
    assert dates(forecast(items), "F-1") == [in_days(4)] * 3
    shorter = forecast(items, forecast={"trials": 1000, "seed": 7, "window_days": 30})
    assert dates(shorter, "F-1") == [in_days(4)] * 3
    assert shorter.teams[0].finished == 30


def test_a_feature_late_at_every_confidence_is_critical_with_its_numbers() -> None:
    items = [*history(), feature("F-1"), *opened("Atlas", "F-1", 30)]  # day 30: 2026-12-20
    result = forecast(items)
    [finding] = result.findings
    assert finding.rule == "forecast-late"
    assert finding.severity is Severity.CRITICAL
    assert finding.subject == "F-1"
    assert finding.data["deadline"] == PI_END
    assert finding.data["deadline_is"] == "PI end"
    assert finding.data["p85"] == in_days(30)
    assert finding.data["chance_by_deadline"] == 0.0
    assert "after the end of PI 2026.4 (2026-12-13)" in finding.message
    assert result.done_by_end == {50: 0, 85: 0, 95: 0}


def test_late_only_at_85_percent_is_a_warning() -> None:
    """Two stories every other day: a 20-story feature is done around day 20, give or take."""
    stories = [
        finished(f"BOR-{n}", "Borealis", TODAY - timedelta(days=back), parent=f"OLD-{n // 3}")
        for n, back in enumerate(day for day in range(90) for _ in range(2 * (day % 2)))
    ]
    items = [*old_features(stories), *stories, feature("F-1"), *opened("Borealis", "F-1", 20)]
    loose = forecast(items).features[0]
    middle, likely = loose.dates[50], loose.dates[85]
    assert middle is not None and likely is not None and middle < likely
    tight = forecast([*items[:-21], feature("F-1", due=middle), *opened("Borealis", "F-1", 20)])
    [finding] = tight.findings
    assert finding.severity is Severity.WARNING
    assert finding.data["deadline_is"] == "due date"
    assert 0.5 <= finding.data["chance_by_deadline"] < 0.85


def test_a_due_date_before_the_pi_end_is_the_deadline() -> None:
    items = [*history(), feature("F-1", due=in_days(2)), *opened("Atlas", "F-1", 3)]
    [finding] = forecast(items).findings
    assert finding.data["deadline"] == in_days(2)
    assert "after its due date (2026-11-22)" in finding.message
    later = [*history(), feature("F-1", due=date(2027, 3, 1)), *opened("Atlas", "F-1", 30)]
    [finding] = forecast(later).findings
    assert finding.data["deadline_is"] == "PI end"  # the earlier of the two


def test_a_feature_split_between_teams_is_done_when_the_last_team_is() -> None:
    """Atlas at one a day, Borealis at two: F-1's parts take 6 and 3 days."""
    items = [
        *history("Atlas", 1),
        *history("Borealis", 2),
        feature("F-1"),
        *opened("Atlas", "F-1", 6),
        *opened("Borealis", "F-1", 6, start=7),
    ]
    row = forecast(items).features[0]
    assert row.teams == ("Atlas", "Borealis")
    assert row.open_stories == 12
    assert [row.dates[p] for p in CONFIDENCES] == [in_days(6)] * 3


def test_a_feature_without_stories_takes_its_teams_median_and_says_so() -> None:
    items = [*history(), feature("F-1", team="Atlas", rank="0|a:"), feature("F-2", rank="0|b:")]
    result = forecast(items)
    first, second = result.features
    assert first.assumed and first.open_stories == 3
    assert first.dates[50] == in_days(3)
    assert "assumed 3, Atlas's median stories per feature" in (first.note or "")
    assert not second.forecast and second.dates[50] is None
    assert "no stories yet and no team" in (second.note or "")
    assert result.done_by_end == {50: 1, 85: 1, 95: 1}  # F-2 counts as not done


def test_open_stories_count_for_their_team_else_the_features_and_else_are_named() -> None:
    items = [
        *history(),
        feature("F-1", team="Atlas"),
        open_story("S-1", None, "F-1"),  # the feature's team takes it
        feature("F-2"),
        open_story("S-2", None, "F-2"),
        open_story("S-3", "Atlas", "F-2"),
    ]
    first, second = forecast(items).features
    assert first.open_stories == 1 and first.teams == ("Atlas",)
    assert second.open_stories == 1
    assert second.note == "1 open story without a team of the ART not counted"


def test_a_team_that_finished_nothing_gets_no_date() -> None:
    items = [*history(), feature("F-1"), *opened("Borealis", "F-1", 2)]
    row = forecast(items).features[0]
    assert row.dates == {50: None, 85: None, 95: None}
    assert "Borealis finished no story in the last 90 days" in (row.note or "")
    [finding] = forecast(items).findings  # never done: late at every confidence
    assert finding.severity is Severity.CRITICAL


def test_done_features_count_for_the_pi_and_features_of_other_pis_not_at_all() -> None:
    items = [
        *history(),
        feature("F-1", status="Done"),
        feature("F-2"),
        *opened("Atlas", "F-2", 1),
        feature("F-3", label=NEXT_PI),
        *opened("Atlas", "F-3", 100),
    ]
    result = forecast(items)
    assert (result.planned, result.done) == (2, 1)
    assert [row.key for row in result.features] == ["F-2"]
    assert result.done_by_end == {50: 2, 85: 2, 95: 2}


def test_ranked_features_come_first_then_the_snapshots_order() -> None:
    items = [
        *history(),
        feature("F-9"),
        feature("F-3", rank="0|z:"),
        feature("F-1"),
        feature("F-7", rank="0|c:"),
    ]
    assert [row.key for row in forecast(items).features] == ["F-7", "F-3", "F-9", "F-1"]


def test_without_a_running_pi_or_its_label_there_is_nothing_to_forecast() -> None:
    outside = forecast_pi([], art_config(), (), today=date(2030, 1, 1))
    assert outside.note == "2030-01-01 is in no PI of cadence.pis"
    unlabelled = art_config(
        cadence={"pis": [{"name": "PI 2026.4", "start": "2026-10-05"}]},
    )
    result = forecast_pi([], unlabelled, (), today=TODAY)
    assert result.note is not None and "no label or fix_version" in result.note


def test_the_same_seed_gives_the_same_forecast() -> None:
    stories = [
        finished(f"S-{n}", "Atlas", TODAY - timedelta(days=(n * 7) % 90), parent=f"OLD-{n % 9}")
        for n in range(60)
    ]
    items = [*old_features(stories), *stories, feature("F-1"), *opened("Atlas", "F-1", 15)]
    first, again = forecast(items), forecast(items)
    assert first == again
    other = forecast(items, forecast={"trials": 1000, "seed": 8})
    assert other.seed == 8 and other.features != first.features


@settings(max_examples=40, deadline=None)
@given(
    throughput=st.lists(st.integers(0, 3), min_size=90, max_size=90),
    sizes=st.lists(st.integers(0, 15), min_size=1, max_size=4),
)
def test_the_percentiles_are_always_in_order(throughput: list[int], sizes: list[int]) -> None:
    stories = [
        finished(f"S-{day}-{n}", "Atlas", TODAY - timedelta(days=day), parent="OLD")
        for day, count in enumerate(throughput)
        for n in range(count)
    ]
    items: list[WorkItem] = [*stories]
    for number, size in enumerate(sizes):
        items += [feature(f"F-{number}"), *opened("Atlas", f"F-{number}", size)]
    result = forecast(items)
    for row in result.features:
        known = [row.dates[p] for p in CONFIDENCES if row.dates[p] is not None]
        assert known == sorted(known)
    assert result.done_by_end[50] >= result.done_by_end[85] >= result.done_by_end[95]
