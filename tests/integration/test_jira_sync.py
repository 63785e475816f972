"""Incremental sync: what changed is refetched, what left disappears, what did not costs nothing."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from art.config import JiraConfig
from connectors.jira import JiraUnavailableError
from connectors.jira_sync import scope_jql
from connectors.state_store import StateStore
from tests.fakes.jira import FakeJira, jira_time
from tests.fakes.jira_data import synthetic_field_list, synthetic_issues
from tests.fakes.server import Fault
from tests.integration.jira_fixtures import NOW, by_key, jira_config, run_sync
from tests.jira_builders import FLAGGED


def truth(fake: FakeJira, tmp: Path) -> dict[str, object]:
    """What a full sync into an empty store sees now: the answer an incremental one must match."""
    with StateStore.in_dir(tmp / "truth") as fresh:
        return by_key(run_sync(fake, fresh, full=True)[0])  # type: ignore[return-value]


def cost(counter: object) -> dict[str, int]:
    return {endpoint: count for endpoint, count, _ in counter.rows()}  # type: ignore[attr-defined]


def test_a_night_without_changes_costs_two_requests(cloud: FakeJira, store: StateStore) -> None:
    first, _ = run_sync(cloud, store)
    cloud.advance(days=1)
    second, counter = run_sync(cloud, store)
    assert second.mode == "incremental" and second.fetched == second.removed == 0
    assert by_key(second) == by_key(first)
    assert cost(counter) == {"GET /rest/api/3/search/jql": 2}  # the field ids are remembered
    changed_query = next(
        request.arg("jql") for request, _ in cloud.exchanges[-2:] if "updated" in request.arg("jql")
    )
    assert f"updated >= -{24 * 60 + 10}m" in changed_query  # a day, plus the overlap


def test_changed_issues_are_refetched_and_removed_ones_disappear(
    cloud: FakeJira, store: StateStore, tmp_path: Path
) -> None:
    run_sync(cloud, store)
    cloud.advance(hours=20)
    cloud.transition("AUR-30", "Done")
    cloud.flag("AUR-31", FLAGGED, True)
    cloud.edit("AUR-33", summary="Renamed <b>bold</b>")
    cloud.delete("AUR-32")
    created = copy.deepcopy(cloud.issues[next(iter(cloud.issues))])
    created.update(id="99999", key="AUR-9999")
    created["fields"] = {**created["fields"], "updated": jira_time(cloud.now)}
    cloud.add_issues([created])
    cloud.advance(hours=4)
    outcome, counter = run_sync(cloud, store)
    items = by_key(outcome)
    assert outcome.mode == "incremental" and (outcome.fetched, outcome.removed) == (4, 1)
    assert items == truth(cloud, tmp_path)
    assert items["AUR-30"].status == "Done" and items["AUR-30"].transitions[-1].to_status == "Done"
    assert items["AUR-31"].is_flagged() and items["AUR-33"].summary == "Renamed <b>bold</b>"
    assert "AUR-32" not in items and "AUR-9999" in items
    assert cost(counter) == {
        "GET /rest/api/3/search/jql": 2,  # the changed issues, and the id scan
        "POST /rest/api/3/changelog/bulkfetch": 1,
    }


def test_an_issue_that_entered_the_scope_without_an_update_is_found_by_the_id_scan(
    cloud: FakeJira, store: StateStore, tmp_path: Path
) -> None:
    run_sync(cloud, store)
    old = copy.deepcopy(cloud.issues[next(iter(cloud.issues))])
    old.update(id="88888", key="AUR-8888")  # updated long ago, e.g. a permission change
    cloud.add_issues([old])
    cloud.advance(days=1)
    outcome, _ = run_sync(cloud, store)
    assert "AUR-8888" in by_key(outcome)
    assert by_key(outcome) == truth(cloud, tmp_path)


def test_a_change_stamped_inside_the_overlap_is_not_lost(
    cloud: FakeJira, store: StateStore
) -> None:
    first, _ = run_sync(cloud, store)
    cloud.advance(hours=6)
    # the server's clock runs behind ours, or indexing lagged: stamped before our last sync began
    cloud.transition("AUR-40", "Done", at=first.synced_at - timedelta(minutes=8))
    outcome, _ = run_sync(cloud, store)
    assert by_key(outcome)["AUR-40"].status == "Done"


def test_a_failure_mid_sync_leaves_the_store_as_the_last_good_run_left_it(
    cloud: FakeJira, store: StateStore, tmp_path: Path
) -> None:
    run_sync(cloud, store)
    before = _state(store)
    cloud.advance(hours=5)
    cloud.transition("AUR-30", "Done")
    cloud.delete("AUR-34")
    cloud.inject(Fault("status", path="/search/jql", status=503, times=None))
    with pytest.raises(JiraUnavailableError):
        run_sync(cloud, store)
    assert _state(store) == before
    cloud.clear_faults()
    resumed, _ = run_sync(cloud, store)
    assert by_key(resumed) == truth(cloud, tmp_path)


def test_mapping_other_fields_forces_a_full_sync(cloud: FakeJira, store: StateStore) -> None:
    run_sync(cloud, store)
    cloud.advance(hours=1)
    fewer = jira_config(cloud)
    fewer = fewer.model_copy(update={"fields": fewer.fields.model_copy(update={"team": None})})
    outcome, counter = run_sync(cloud, store, fewer)
    assert outcome.mode == "full" and cost(counter)["GET /rest/api/3/field"] == 1
    assert all(item.team is None for item in outcome.parsed.items)


def test_a_respelled_mapping_is_resolved_again_but_needs_no_full_sync(
    cloud: FakeJira, store: StateStore
) -> None:
    run_sync(cloud, store)
    cloud.advance(hours=1)
    config = jira_config(cloud)
    respelled = config.fields.model_copy(update={"story_points": "customfield_10016"})
    outcome, counter = run_sync(cloud, store, config.model_copy(update={"fields": respelled}))
    assert outcome.mode == "incremental" and cost(counter)["GET /rest/api/3/field"] == 1


def test_full_reads_everything_again(cloud: FakeJira, store: StateStore) -> None:
    run_sync(cloud, store)
    outcome, _ = run_sync(cloud, store, full=True)
    assert outcome.mode == "full" and outcome.fetched == len(cloud.issues)


def test_data_center_syncs_incrementally_too(
    datacenter: FakeJira, store: StateStore, tmp_path: Path
) -> None:
    run_sync(datacenter, store)
    datacenter.advance(hours=12)
    datacenter.transition("AUR-30", "Done")
    datacenter.delete("AUR-32")
    outcome, counter = run_sync(datacenter, store)
    assert (outcome.mode, outcome.fetched, outcome.removed) == ("incremental", 1, 1)
    assert by_key(outcome) == truth(datacenter, tmp_path)
    assert cost(counter) == {"GET /rest/api/2/search": 2}


def test_the_scope_is_the_projects_narrowed_by_the_jql() -> None:
    config = JiraConfig(
        backend="cloud",
        url="https://x.atlassian.net",
        projects=("AUR", "BOR"),
        jql="issuetype in (Story, Feature) OR labels = art ORDER BY created DESC",
    )
    assert scope_jql(config) == (
        'project in ("AUR", "BOR") AND (issuetype in (Story, Feature) OR labels = art)'
    )


# --------------------------------------------------------------------------
# The law: after any changes, an incremental sync sees what a full one sees


@pytest.fixture(scope="module")
def small_site() -> Iterator[FakeJira]:
    fake = FakeJira("cloud", fields=synthetic_field_list(), now=NOW)
    with fake.running():
        yield fake


_KEYS = st.integers(min_value=1, max_value=40).map(lambda n: f"AUR-{n}")
_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("transition"), _KEYS, st.sampled_from(["To Do", "In Progress", "Done"])),
        st.tuples(st.just("flag"), _KEYS, st.booleans()),
        st.tuples(st.just("edit"), _KEYS, st.text(max_size=12)),
        st.tuples(st.just("delete"), _KEYS, st.none()),
        st.tuples(st.just("create"), st.integers(100, 120).map(lambda n: f"AUR-{n}"), st.none()),
        st.tuples(st.just("sync"), st.none(), st.none()),
    ),
    max_size=12,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=_OPERATIONS)
def test_incremental_sync_always_agrees_with_a_full_one(
    small_site: FakeJira, tmp_path_factory: pytest.TempPathFactory, operations: list[tuple]
) -> None:
    small_site.reset(synthetic_issues(40, now=NOW, project="AUR"), synthetic_field_list(), NOW)
    template = copy.deepcopy(small_site.issues["10001"])
    folder = tmp_path_factory.mktemp("sync")
    with StateStore.in_dir(folder / "state") as kept:
        run_sync(small_site, kept)
        for kind, key, value in operations:
            small_site.advance(minutes=7)
            present = small_site._find(key) is not None if key else False
            if kind == "sync":
                run_sync(small_site, kept)
            elif kind == "create" and not present:
                number = int(key.split("-")[1])
                created = {**copy.deepcopy(template), "id": str(50000 + number), "key": key}
                created["fields"]["updated"] = jira_time(small_site.now)
                small_site.add_issues([created])
            elif present and kind == "transition":
                small_site.transition(key, value)
            elif present and kind == "flag":
                small_site.flag(key, FLAGGED, value)
            elif present and kind == "edit":
                small_site.edit(key, summary=value)
            elif present and kind == "delete":
                small_site.delete(key)
        small_site.advance(minutes=7)
        incremental, _ = run_sync(small_site, kept)
    assert by_key(incremental) == truth(small_site, folder)


def _state(store: StateStore) -> tuple[object, ...]:
    """Everything the store holds: each scope's mark and records."""
    return tuple((scope, store.mark(scope), store.records(scope)) for scope in store.scopes())
