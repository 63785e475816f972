"""Estimates rolled up stories -> features -> epics, the hierarchy's data quality, write-back."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from art.model import Severity, StatusCategory, WorkItem
from rules.hierarchy import build_hierarchy, hierarchy_findings
from rules.rollup import (
    ROLLUP_FIELD,
    evaluate_rollup,
    plan_write_back,
    roll_up,
    rollup_findings,
)
from tests.builders import item
from tests.config_builders import art_config

LEVELS = ("story", "feature", "epic")
DONE, DOING, TODO = StatusCategory.DONE, StatusCategory.IN_PROGRESS, StatusCategory.TO_DO


def story(key: str, parent: str | None, points: float | None, category=DOING) -> WorkItem:
    status = {DONE: "Done", DOING: "In Progress", TODO: "To Do"}[category]
    return item(key, status, level="story", category=category, parent=parent, estimate=points)


def feature(
    key: str,
    parent: str | None = None,
    estimate: float | None = None,
    category=DOING,
    **extra: object,
) -> WorkItem:
    return item(
        key,
        "Implementing",
        level="feature",
        category=category,
        parent=parent,
        estimate=estimate,
        **extra,
    )


def epic(key: str, estimate: float | None = None, category=DOING) -> WorkItem:
    return item(key, "Implementing", level="epic", category=category, estimate=estimate)


def rows_by_key(items: list[WorkItem]) -> dict:
    return {row.key: row for row in roll_up(build_hierarchy(items, LEVELS))}


TRAIN = [
    epic("E-1", estimate=40),
    feature("F-1", "E-1", estimate=10),
    story("S-1", "F-1", 5, DONE),
    story("S-2", "F-1", 3, DOING),
    story("S-3", "F-1", None, TODO),
    feature("F-2", "E-1", estimate=20),
    story("S-4", "F-2", 8, DONE),
    feature("F-3", "E-1", estimate=None),  # nothing known about it yet
]


def test_story_points_roll_up_to_the_feature_and_on_to_the_epic() -> None:
    rows = rows_by_key(TRAIN)
    f1, f2, e1 = rows["F-1"], rows["F-2"], rows["E-1"]
    assert (f1.total, f1.done, f1.remaining) == (8, 5, 3)
    assert (f1.children, f1.estimated_stories, f1.unestimated) == (3, 2, ("S-3",))
    assert f1.percent_complete == 62.5
    assert f1.variance_pct == -20.0  # 8 against its own 10
    assert (e1.total, e1.done, e1.remaining, e1.children) == (16, 13, 3, 3)
    assert e1.unestimated == ("F-3",)
    assert e1.variance_pct == -60.0
    assert f2.percent_complete == 100.0


def test_rows_come_in_tree_order_with_their_parent() -> None:
    rows = roll_up(build_hierarchy(TRAIN, LEVELS))
    assert [row.key for row in rows] == ["E-1", "F-1", "F-2", "F-3"]
    assert [row.parent for row in rows] == [None, "E-1", "E-1", "E-1"]


def test_the_forecast_takes_the_larger_estimate_at_every_level() -> None:
    rows = rows_by_key(TRAIN)
    # F-1: own 10 > stories 8; F-2: own 20 > 8; F-3: nothing; E-1: own 40 > 10 + 20.
    assert [rows[key].forecast for key in ("F-1", "F-2", "F-3", "E-1")] == [10, 20, 0, 40]
    grown = rows_by_key([epic("E-1", estimate=5), feature("F-1", "E-1", 2), story("S", "F-1", 8)])
    assert (grown["F-1"].forecast, grown["E-1"].forecast) == (8, 8)


def test_no_variance_without_an_own_estimate_or_without_estimated_stories() -> None:
    rows = rows_by_key([feature("F-1", estimate=30), story("S-1", "F-1", None), feature("F-2")])
    assert rows["F-1"].variance_pct is None  # nothing bottom-up to compare yet
    assert rows["F-2"].variance_pct is None
    assert rows["F-2"].percent_complete is None


def test_variance_beyond_the_threshold_is_a_finding_warning_when_scope_grew() -> None:
    items = [
        feature("F-1", estimate=10),
        story("S-1", "F-1", 13),  # +30 %
        feature("F-2", estimate=10),
        story("S-2", "F-2", 7),  # -30 %
        feature("F-3", estimate=10),
        story("S-3", "F-3", 12),  # +20 %: not beyond
    ]
    hierarchy = build_hierarchy(items, LEVELS)
    findings = rollup_findings(roll_up(hierarchy), hierarchy, variance_pct=20)
    variance = {f.subject: f for f in findings if f.rule == "rollup-variance"}
    assert set(variance) == {"F-1", "F-2"}
    assert variance["F-1"].severity is Severity.WARNING
    assert variance["F-2"].severity is Severity.INFO
    assert variance["F-1"].data["variance_pct"] == 30.0
    assert "13 points, 30% above its own estimate of 10" in variance["F-1"].message


def test_finished_parents_raise_no_findings_but_keep_their_row() -> None:
    items = [
        feature("F-1", estimate=10, category=DONE),
        story("S-1", "F-1", 30, DONE),
        story("S-2", "F-1", None, DONE),
    ]
    hierarchy = build_hierarchy(items, LEVELS)
    rows = roll_up(hierarchy)
    assert rows[0].variance_pct == 200.0
    assert rollup_findings(rows, hierarchy, variance_pct=20) == []


def test_unestimated_children_are_listed_and_warn_only_for_open_work_in_a_started_parent() -> None:
    items = [
        feature("F-1", estimate=10),
        story("S-1", "F-1", None, DOING),
        story("S-2", "F-1", 5),
        feature("F-2", estimate=10),
        story("S-3", "F-2", None, DONE),
        story("S-4", "F-2", 10),
        feature("F-3", estimate=10, category=TODO),
        story("S-5", "F-3", None, TODO),
        story("S-6", "F-3", 10, TODO),
    ]
    hierarchy = build_hierarchy(items, LEVELS)
    findings = {
        f.subject: f
        for f in rollup_findings(roll_up(hierarchy), hierarchy, variance_pct=100)
        if f.rule == "unestimated"
    }
    assert findings["F-1"].severity is Severity.WARNING
    assert findings["F-1"].data["items"] == ["S-1"]
    assert "1 of its 2 children have no estimate" in findings["F-1"].message
    assert findings["F-2"].severity is Severity.INFO  # only finished work lacks points
    assert findings["F-3"].severity is Severity.INFO  # not started: refinement is ahead


# --------------------------------------------------------------------------
# The hierarchy's data quality


def problems(items: list[WorkItem]) -> dict[str, tuple[str, list[str]]]:
    findings = hierarchy_findings(build_hierarchy(items, LEVELS))
    assert all(f.rule == "data-quality" for f in findings)
    return {f.subject: (f.data["problem"], f.data["items"]) for f in findings}


def test_orphans_below_the_top_level_are_data_quality_findings() -> None:
    found = problems([epic("E-1"), feature("F-1"), story("S-1", None, 3)])
    assert found == {"F-1": ("orphan", ["F-1"]), "S-1": ("orphan", ["S-1"])}


def test_a_parent_that_was_not_read_or_is_not_above_is_reported_and_cut() -> None:
    items = [
        story("S-1", "GONE-1", 3),
        story("S-2", "S-3", 2),
        story("S-3", None, 1),
        feature("F-1", "S-1"),
    ]
    found = problems(items)
    assert found["S-1"][0] == "missing-parent"
    assert found["S-2"][0] == "parent-level"
    assert found["F-1"][0] == "parent-level"
    hierarchy = build_hierarchy(items, LEVELS)
    assert "S-2" not in hierarchy.parent_of and "F-1" not in hierarchy.parent_of


def test_a_cycle_is_one_finding_and_every_link_in_it_is_cut() -> None:
    items = [
        feature("F-1", "F-2"),
        feature("F-2", "F-1"),
        story("S-1", "F-1", 5),
        feature("F-9", "F-9"),
        epic("E-1"),
    ]
    found = problems(items)
    assert found["F-1"] == ("cycle", ["F-1", "F-2"])
    assert found["F-9"] == ("cycle", ["F-9"])
    assert "F-2" not in found
    rows = rows_by_key(items)
    assert rows["F-1"].total == 5 and rows["F-1"].parent is None
    assert rows["F-2"].parent is None


def test_types_outside_the_hierarchy_are_ignored() -> None:
    sub_task = replace(story("T-1", "S-1", 1), level=None, issue_type="Sub-task")
    rows = rows_by_key([feature("F-1"), story("S-1", "F-1", 2), sub_task])
    assert rows["F-1"].total == 2


# --------------------------------------------------------------------------
# Laws


@st.composite
def trees(draw: st.DrawFn) -> list[WorkItem]:
    """Any parent links at all: valid, dangling, sideways, downwards, circular."""
    size = draw(st.integers(1, 25))
    keys = [f"T-{n}" for n in range(1, size + 1)]
    items = []
    for key in keys:
        level = draw(st.sampled_from(LEVELS))
        parent = draw(st.one_of(st.none(), st.sampled_from([*keys, "GONE-1"])))
        points = draw(st.one_of(st.none(), st.sampled_from([0.5, 1, 2, 3, 5, 8, 13])))
        category = draw(st.sampled_from([DONE, DOING, TODO]))
        items.append(item(key, "x", level=level, category=category, parent=parent, estimate=points))
    return items


def on_a_cycle(key: str, parents: dict[str, str | None]) -> bool:
    current = parents.get(key)
    for _ in range(len(parents)):
        if current is None or current not in parents:
            return False
        if current == key:
            return True
        current = parents[current]
    return False


def top_of(story: WorkItem, by_key: dict[str, WorkItem]) -> WorkItem | None:
    """The oracle: walk up while the next link rises a level and is on no cycle."""
    parents = {key: it.parent for key, it in by_key.items()}
    current = story
    while True:
        parent = by_key.get(current.parent or "")
        if (
            parent is None
            or on_a_cycle(current.key, parents)
            or LEVELS.index(parent.level or "") <= LEVELS.index(current.level or "")
        ):
            return current
        current = parent


@settings(max_examples=200, deadline=None)
@given(trees())
def test_the_roll_up_conserves_points(items: list[WorkItem]) -> None:
    by_key = {it.key: it for it in items}
    stories = [it for it in items if it.level == "story" and it.estimate is not None]
    rows = roll_up(build_hierarchy(items, LEVELS))
    epics_total = sum(row.total for row in rows if row.level == "epic")
    under_epics = sum(s.estimate or 0 for s in stories if (top_of(s, by_key) or s).level == "epic")
    assert epics_total == under_epics
    # and nothing is lost or counted twice overall: roots plus root stories are everything
    roots = sum(row.total for row in rows if row.parent is None)
    lonely = sum(s.estimate or 0 for s in stories if top_of(s, by_key) is s)
    assert roots + lonely == sum(s.estimate or 0 for s in stories)


@settings(max_examples=200, deadline=None)
@given(trees())
def test_walking_up_ends_within_the_number_of_levels_whatever_the_links(items) -> None:
    hierarchy = build_hierarchy(items, LEVELS)
    for it in items:
        if it.level is not None:
            assert len(list(hierarchy.ancestors(it.key))) < len(LEVELS)
    cycle_members = {
        key
        for finding in hierarchy_findings(hierarchy)
        if finding.data["problem"] == "cycle"
        for key in finding.data["items"]
    }
    parents = {it.key: it.parent for it in items}
    assert cycle_members == {it.key for it in items if on_a_cycle(it.key, parents)}


# --------------------------------------------------------------------------
# Write-back plan


def with_rollup(work_item: WorkItem, value: object) -> WorkItem:
    return replace(work_item, fields=MappingProxyType({**work_item.fields, ROLLUP_FIELD: value}))


def test_only_parents_whose_field_differs_are_planned() -> None:
    items = [
        with_rollup(TRAIN[0], 16.0),
        with_rollup(TRAIN[1], 7),
        *TRAIN[2:5],
        with_rollup(TRAIN[5], 8),
        TRAIN[6],
        TRAIN[7],
    ]
    hierarchy = build_hierarchy(items, LEVELS)
    plan = plan_write_back(roll_up(hierarchy), hierarchy.items)
    assert [(w.key, w.current, w.value) for w in plan] == [("F-1", 7, 8), ("F-3", None, 0)]


def apply(items: list[WorkItem], plan) -> list[WorkItem]:
    values = {write.key: write.value for write in plan}
    return [with_rollup(it, values[it.key]) if it.key in values else it for it in items]


@settings(max_examples=200, deadline=None)
@given(trees(), st.lists(st.one_of(st.none(), st.integers(0, 40), st.text(max_size=2))))
def test_planning_again_after_the_write_back_plans_nothing(items, stale) -> None:
    items = [with_rollup(it, value) for it, value in zip(items, stale, strict=False)] + items[
        len(stale) :
    ]
    hierarchy = build_hierarchy(items, LEVELS)
    plan = plan_write_back(roll_up(hierarchy), hierarchy.items)
    written = apply(items, plan)
    again = build_hierarchy(written, LEVELS)
    assert plan_write_back(roll_up(again), again.items) == ()


def test_evaluate_rollup_reads_the_levels_and_threshold_from_art_yaml() -> None:
    config = art_config(rules={"rollup_variance_pct": 50})
    items = [epic("E-1"), feature("F-1", "E-1", estimate=10), story("S-1", "F-1", 14)]
    report = evaluate_rollup(items, config)
    assert report.findings == ()  # +40 % is inside 50 %
    assert report.hierarchy.levels == ("story", "feature", "epic")
    assert report.rows[1].total == 14
    assert (report.top_total, report.top_done) == (14, 0)
