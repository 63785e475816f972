"""Writing the roll-up back into Jira Cloud and Data Center through the real `jira` library.

Each test reads the demo ART from the stateful fake as the nightly run does,
plans the write-back, writes it with `write_field_values`, and then looks at
the fake's stored issues and request log: the reconcile writes exactly the
parents that differ, one PUT each, and nothing else.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from art.config import JiraConfig
from connectors.http import RequestCounter
from connectors.jira import connect
from connectors.jira_write import WriteResult, write_field_values
from connectors.state_store import StateStore
from rules.hierarchy import build_hierarchy
from rules.rollup import RollupWrite, plan_write_back, roll_up
from tests.fakes.jira import FakeJira
from tests.fakes.jira_data import DEMO
from tests.fakes.server import Fault
from tests.integration.jira_contract import check_exchanges
from tests.integration.jira_fixtures import (
    FAST,
    NOW,
    credentials,
    hierarchy_links,
    jira_config,
    run_sync,
)
from tests.jira_builders import STORY_POINTS, demo_fields, field_entry, field_list, issue

ROLLUP = "customfield_10058"  # "Rolled-up Points" in the demo's field list
PLANTED = json.loads((DEMO / "export.json").read_text("utf-8"))["planted"]
Plan = tuple[RollupWrite, ...]


def rollup_config(fake: FakeJira) -> JiraConfig:
    links = hierarchy_links(fake)
    return jira_config(fake, fields=demo_fields(rollup_points="Rolled-up Points", **links))


def read_plan(fake: FakeJira, store: StateStore) -> tuple[Plan, int]:
    """Sync as the nightly run does; the write-back plan and how many issues the sync read."""
    config = rollup_config(fake)
    outcome, _ = run_sync(fake, store, config)
    assert outcome.ids.rollup_points == ROLLUP
    hierarchy = build_hierarchy(outcome.parsed.items, [level.level for level in config.hierarchy])
    return plan_write_back(roll_up(hierarchy), hierarchy.items), outcome.fetched


def write(fake: FakeJira, plan: Plan, field: str = ROLLUP) -> tuple[WriteResult, RequestCounter]:
    counter = RequestCounter()
    editor = connect(rollup_config(fake), credentials(fake), policy=FAST, counter=counter)
    return write_field_values(editor, field, planned(plan)), counter


def put_route(fake: FakeJira) -> str:
    return f"PUT /rest/api/{3 if fake.cloud else 2}/issue/{{issueIdOrKey}}"


def in_jira(fake: FakeJira) -> dict[str, Any]:
    """Every issue's Rolled-up Points as the site stores it."""
    return {stored["key"]: stored["fields"].get(ROLLUP) for stored in fake.issues.values()}


def planned(plan: Plan) -> dict[str, float]:
    return {write.key: write.value for write in plan}


# --------------------------------------------------------------------------
# The reconcile


def test_the_first_write_back_writes_exactly_the_planned_parents(
    site: FakeJira, store: StateStore
) -> None:
    plan, _ = read_plan(site, store)
    assert {write.key for write in plan} == set(PLANTED["rollup_points_to_write"])
    before = in_jira(site)
    site.reset_log()
    site.exchanges.clear()

    result, counter = write(site, plan)

    assert result.ok and result.written == tuple(planned(plan)) and result.notified == ()
    assert in_jira(site) == {**before, **planned(plan)}  # the planned parents, nothing else
    paths = Counter(entry.path for entry in site.log)
    api = "/rest/api/3" if site.cloud else "/rest/api/2"
    assert paths == Counter(f"{api}/issue/{key}" for key in planned(plan))  # one PUT each
    assert site.count(put_route(site)) == len(plan) == counter.total
    for request, response in site.exchanges:
        assert request.json() == {"fields": {ROLLUP: planned(plan)[request.path.rsplit("/")[-1]]}}
        assert request.query == {"notifyUsers": ["false"]} and response.status == 204
    assert site.notified == []  # no watcher was mailed about a robot's number


def test_a_second_run_right_after_plans_nothing_and_puts_nothing(
    site: FakeJira, store: StateStore
) -> None:
    plan, _ = read_plan(site, store)
    write(site, plan)
    site.advance(minutes=5)
    site.reset_log()

    again, fetched = read_plan(site, store)  # incremental: only what the write changed
    assert again == ()
    assert fetched == len(plan)  # each edit moved `updated`, so the sync saw it
    result, counter = write(site, again)
    assert result.ok and result.written == () and counter.total == 0
    assert site.count(method="PUT") == 0


def test_the_edit_leaves_a_history_that_a_sync_ignores(site: FakeJira, store: StateStore) -> None:
    plan, _ = read_plan(site, store)
    key = plan[0].key
    histories = len(next(i for i in site.issues.values() if i["key"] == key)["histories"])
    write(site, plan)
    edited = next(i for i in site.issues.values() if i["key"] == key)
    assert len(edited["histories"]) == histories + 1
    (item,) = edited["histories"][-1]["items"]
    assert item["field"] == "Rolled-up Points" and item["toString"] == f"{plan[0].value:g}"
    assert ("fieldId" in item) is site.cloud  # Data Center's items carry no fieldId


# --------------------------------------------------------------------------
# Faults


def on_puts(kind: str, **details: Any) -> Fault:
    return Fault(kind, path="/issue/", method="PUT", **details)


@pytest.mark.parametrize(
    ("kind", "details"),
    [
        ("status", {"status": 429, "retry_after": "0", "times": 3}),
        ("status", {"status": 503, "times": 2}),
        ("drop", {"times": 2}),
    ],
    ids=["429-retry-after", "503", "dropped-connection"],
)
def test_a_short_storm_on_the_puts_ends_in_success(
    site: FakeJira, store: StateStore, kind: str, details: dict[str, Any]
) -> None:
    plan, _ = read_plan(site, store)
    repeats = details["times"]
    site.inject(on_puts(kind, **details))
    result, counter = write(site, plan)
    assert result.ok and set(result.written) == set(planned(plan))
    assert {key: in_jira(site)[key] for key in planned(plan)} == planned(plan)
    endpoint = f"PUT /rest/api/{3 if site.cloud else 2}/issue/{{id}}"
    assert counter.retries[endpoint] == repeats
    assert counter.requests[endpoint] == len(plan) + repeats


def test_a_storm_past_the_policy_stops_clearly_and_the_next_run_completes(
    site: FakeJira, store: StateStore
) -> None:
    plan, _ = read_plan(site, store)
    site.inject(on_puts("status", status=429, retry_after="0", times=None))
    result, counter = write(site, plan)
    assert not result.ok and result.written == ()
    assert result.not_attempted == tuple(planned(plan))
    assert result.stopped is not None
    assert "gave up after 4 attempt(s)" in result.stopped and "HTTP 429" in result.stopped
    assert counter.total == FAST.attempts  # the first issue's attempts; no hammering on
    assert site.token not in result.stopped

    site.clear_faults()
    site.advance(minutes=5)
    rest, _ = read_plan(site, store)  # re-running is the resume
    assert write(site, rest)[0].ok
    site.advance(minutes=5)
    assert read_plan(site, store)[0] == ()


def test_an_issue_whose_screen_lacks_the_field_is_reported_and_the_rest_written(
    site: FakeJira, store: StateStore
) -> None:
    plan, _ = read_plan(site, store)
    victim, gone = plan[1].key, plan[2].key
    site.hide_from_edit_screen(victim, ROLLUP)
    site.delete(gone)
    before = in_jira(site)

    result, _ = write(site, plan)

    assert set(result.failed) == {victim, gone} and not result.ok and result.stopped is None
    assert set(result.written) == set(planned(plan)) - {victim, gone}
    refusal = result.failed[victim]
    assert refusal.startswith(f"{victim}: Jira answered HTTP 400 to PUT /rest/api/")
    assert f"Field '{ROLLUP}' cannot be set" in refusal and "edit screen" in refusal
    assert result.failed[gone].startswith(f"{gone}: Jira answered HTTP 404")
    assert "deleted or moved" in result.failed[gone]
    assert in_jira(site)[victim] == before[victim]
    assert all(in_jira(site)[key] == planned(plan)[key] for key in result.written)
    assert site.token not in " ".join(result.failed.values())


def test_a_field_jira_does_not_know_fails_every_issue_without_stopping(
    cloud: FakeJira, store: StateStore
) -> None:
    plan, _ = read_plan(cloud, store)
    result, _ = write(cloud, plan[:3], field="customfield_99999")
    assert set(result.failed) == {write.key for write in plan[:3]} and result.written == ()
    assert cloud.count(put_route(cloud)) == 3


def test_without_admin_rights_the_watchers_are_notified_at_the_cost_of_one_request(
    site: FakeJira, store: StateStore
) -> None:
    plan, _ = read_plan(site, store)
    site.can_silence_notifications = False
    site.reset_log()
    result, _ = write(site, plan)
    assert result.ok and result.notified == tuple(planned(plan))
    assert site.notified == list(planned(plan))
    statuses = [entry.status for entry in site.log]
    assert statuses == [403] + [204] * len(plan)


def test_refused_credentials_stop_the_batch_without_showing_them(
    cloud: FakeJira, store: StateStore
) -> None:
    plan, _ = read_plan(cloud, store)
    old = credentials(cloud)
    cloud.token = "rotated-token-7781"  # the account's token was revoked after the sync
    counter = RequestCounter()
    editor = connect(rollup_config(cloud), old, policy=FAST, counter=counter)
    result = write_field_values(editor, ROLLUP, planned(plan))
    assert result.stopped is not None and "credentials were refused" in result.stopped
    assert result.written == () and result.not_attempted == tuple(planned(plan))
    assert counter.total == 1 and old.token.get_secret_value() not in result.stopped


@pytest.mark.filterwarnings("ignore:Unsupported scheme type")  # OAuth2, which we do not use
def test_the_edits_follow_the_published_contract(cloud: FakeJira, store: StateStore) -> None:
    plan, _ = read_plan(cloud, store)
    cloud.hide_from_edit_screen(plan[0].key, ROLLUP)
    cloud.exchanges.clear()
    write(cloud, plan[:4])
    cloud.can_silence_notifications = False
    write(cloud, plan[4:6])
    statuses = Counter(response.status for _, response in cloud.exchanges)
    assert statuses == {204: 5, 400: 1, 403: 1}
    assert check_exchanges(cloud, requests_too=True) == 7


# --------------------------------------------------------------------------
# The law: after a write-back, the plan is empty


@st.composite
def trains(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A small train: epics, features (under an epic or none), stories, stale roll-ups."""
    stale = st.one_of(st.none(), st.integers(0, 30), st.sampled_from([2.5, 13.0]))
    points = st.one_of(st.none(), st.sampled_from([1, 2, 3, 5, 8]))
    epics = [f"AUR-{n}" for n in range(1, draw(st.integers(1, 2)) + 1)]
    features = [f"AUR-{n}" for n in range(10, 10 + draw(st.integers(1, 4)))]
    stories = [f"AUR-{n}" for n in range(20, 20 + draw(st.integers(0, 8)))]
    parents = {key: draw(st.sampled_from([None, *epics])) for key in features}
    parents |= {key: draw(st.sampled_from([None, *features])) for key in stories}
    kinds = {**dict.fromkeys(epics, "Epic"), **dict.fromkeys(features, "Feature")}
    issues = []
    for number, key in enumerate(epics + features + stories):
        parent = parents.get(key)
        issues.append(
            issue(
                key,
                "In Progress",
                issue_type=kinds.get(key, "Story"),
                issue_id=str(30000 + number),
                parent={"key": parent} if parent else None,
                **{STORY_POINTS: draw(points), ROLLUP: draw(stale)},
            )
        )
    return issues


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(train=trains())
def test_after_a_write_back_the_plan_is_empty(
    cloud_site: FakeJira, tmp_path_factory: pytest.TempPathFactory, train: list[dict[str, Any]]
) -> None:
    cloud_site.reset(train, field_list(field_entry(ROLLUP, "Rolled-up Points", "number")), NOW)
    with StateStore.in_dir(tmp_path_factory.mktemp("state")) as fresh:
        plan, _ = read_plan(cloud_site, fresh)
        result, counter = write(cloud_site, plan)
        assert result.ok and counter.total == len(plan)
        cloud_site.advance(minutes=1)
        assert read_plan(cloud_site, fresh)[0] == ()
