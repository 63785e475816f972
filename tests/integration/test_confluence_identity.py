"""Confluence pages found the way Confluence identifies them, against its fake (Cloud and DC).

Titles are unique per space regardless of case, while the lookup by title is
exact; a person can rename a page or change its title's case, or edit it.
rte must end with one page per key and a clean run: its own page found by the
id it remembered, or by its title in any case, re-titled (or, for a rename
with `confluence.on_drift: report`, reported and left alone), never created
twice. Pages of keys the plan dropped are orphans; Cloud archives them on
request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from art.config import ConfluenceConfig
from art.model import Page, PublishOutcome
from connectors.confluence import ConfluenceCredentials, ConfluencePublisher, connect
from connectors.confluence_api import PROPERTY_KEY, ConfluenceError, PageOwnershipError
from connectors.http import RetryPolicy
from connectors.page_registry import PageRegistry
from flows.steps.publishing import PageTarget, PublishRun, publish_pages
from tests.fakes.confluence import TOKEN, USER, FakeConfluence, FakePage
from tests.reliability.scenarios import PARENT, SPACE, confluence_site

KEY = "objectives:aurora-art:pi-2026-4:team:atlas"
TITLE = "PI 2026.4 - Team Atlas - PI Objectives"
FAST = RetryPolicy(attempts=3, max_wait=0.01, backoff_initial=0.001, retry_unsafe_methods=False)


@pytest.fixture(params=["cloud", "datacenter"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeConfluence]:
    server = confluence_site(request.param)  # space ART with the page "Release Train"
    with server.running():
        yield server


def publisher(
    fake: FakeConfluence, state: Path | None, *, on_drift: str = "restore"
) -> ConfluencePublisher:
    """A fresh publisher (a new run); it remembers page ids in `state` when given."""
    config = ConfluenceConfig(
        backend=fake.deployment,
        url=fake.url,
        space=SPACE,
        parent=PARENT,
        on_drift=on_drift,
        auth={"user": "env:CONFLUENCE_USER", "token": "env:CONFLUENCE_TOKEN"},
    )
    user = SecretStr(USER) if fake.deployment == "cloud" else None
    registry = None if state is None else PageRegistry.in_dir(state, site=fake.url, space=SPACE)
    return connect(
        config, ConfluenceCredentials(SecretStr(TOKEN), user), policy=FAST, registry=registry
    )


def publish_all(
    fake: FakeConfluence, state: Path, pages: list[Page], *, dry_run: bool, prune: bool = False
) -> PublishRun:
    """A run of the objectives flow's publishing step: its pages, its scope, a new publisher."""
    target = PageTarget(publisher(fake, state), "Confluence")
    return publish_pages(
        pages, target, dry_run=dry_run, scope="objectives:aurora-art:", prune=prune
    )


def renamed_after_publish(fake: FakeConfluence, state: Path) -> FakePage:
    """rte publishes the page, then a person renames it."""
    publisher(fake, state).publish_page(page())
    [ours] = pages_of(fake, KEY)
    return fake.rename_page(ours.id, "Atlas objectives (our notes)")


def page(key: str = KEY, title: str = TITLE, body: str = "<p>Objectives</p>") -> Page:
    return Page(key=key, title=title, storage=body)


def pages_of(fake: FakeConfluence, key: str) -> list:
    """Every current page of the space whose rte marker carries `key`."""
    with fake.lock:
        found = [
            item
            for item in fake.state.pages.values()
            if item.status == "current"
            and (fake.state.properties.get(item.id, {}).get(PROPERTY_KEY) or None) is not None
            and fake.state.properties[item.id][PROPERTY_KEY].value.get("key") == key
        ]
    return found


def test_titles_are_unique_regardless_of_case_and_looked_up_exactly(
    fake: FakeConfluence,
) -> None:
    publisher(fake, None).publish_page(page())
    api = publisher(fake, None).api
    space = api.space(SPACE)
    with pytest.raises(ConfluenceError, match="A page with this title already exists"):
        api.create_page(space, TITLE.upper(), "<p>x</p>", None)
    other = fake.add_page(SPACE, "Another page")
    with pytest.raises(ValueError, match="already exists"):
        fake.rename_page(other.id, TITLE.lower())
    remote = api.page(other.id)
    assert remote is not None
    with pytest.raises(ConfluenceError, match="A page with this title already exists"):
        api.update_page(remote, TITLE.swapcase(), "<p>x</p>", None)
    assert api.find_page(space, TITLE.lower()) is None  # the lookup by title is exact
    assert api.find_page(space, TITLE) is not None


@pytest.mark.parametrize("remembered", [True, False], ids=["by-id", "by-title-any-case"])
def test_a_case_only_retitle_ends_with_one_page_retitled_and_a_clean_run(
    fake: FakeConfluence, tmp_path: Path, remembered: bool
) -> None:
    state = tmp_path / "state" if remembered else None
    publisher(fake, state).publish_page(page())
    [ours] = pages_of(fake, KEY)
    fake.rename_page(ours.id, TITLE.lower())  # a person changes only the case
    publish = publisher(fake, state, on_drift="report")  # case-only: re-titled even so
    assert publish.publish_page(page()) is PublishOutcome.UPDATED
    drift = publish.drift_of(KEY)
    assert drift is not None and drift.restored
    assert f"title: {TITLE!r} -> {TITLE.lower()!r}" in drift.changes
    [after] = pages_of(fake, KEY)
    assert after.id == ours.id and after.title == TITLE
    fake.reset_log()
    again = publisher(fake, state)
    assert again.publish_page(page()) is PublishOutcome.UNCHANGED
    assert again.drift_of(KEY) is None and fake.write_count() == 0


def test_a_renamed_page_is_found_by_its_id_and_restored_never_created_again(
    fake: FakeConfluence, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    ours = renamed_after_publish(fake, state)
    publish = publisher(fake, state)
    assert publish.publish_page(page()) is PublishOutcome.UPDATED
    drift = publish.drift_of(KEY)
    assert drift is not None and drift.restored
    assert drift.changes == (
        "edited: version 2 is not rte's (rte wrote version 1)",
        f"title: {TITLE!r} -> 'Atlas objectives (our notes)'",
    )
    [after] = pages_of(fake, KEY)
    assert (after.id, after.title, after.version) == (ours.id, TITLE, 3)
    assert fake.page_by_title(SPACE, TITLE) is after
    fake.reset_log()
    assert publisher(fake, state).publish_page(page()) is PublishOutcome.UNCHANGED
    assert fake.write_count() == 0


def test_with_report_a_renamed_or_edited_page_is_reported_and_left_alone(
    fake: FakeConfluence, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    ours = renamed_after_publish(fake, state)
    fake.edit_page(ours.id, "<p>Kim's notes</p>")
    for _ in range(2):  # reported on every run, until the plan changes or a person restores it
        fake.reset_log()
        publish = publisher(fake, state, on_drift="report")
        assert publish.publish_page(page()) is PublishOutcome.UNCHANGED
        drift = publish.drift_of(KEY)
        assert drift is not None and not drift.restored and fake.write_count() == 0
    [after] = pages_of(fake, KEY)
    assert (after.id, after.title, after.body) == (
        ours.id,
        "Atlas objectives (our notes)",
        "<p>Kim's notes</p>",
    )
    assert fake.page_by_title(SPACE, TITLE) is None  # and no second page with the old title
    changed = publisher(fake, state, on_drift="report")
    assert changed.publish_page(page(body="<p>New plan</p>")) is PublishOutcome.UPDATED
    drift = changed.drift_of(KEY)
    assert drift is not None and drift.restored  # the plan's change is written over the edit
    [final] = pages_of(fake, KEY)
    assert (final.title, final.body) == (TITLE, "<p>New plan</p>")


def test_an_own_write_whose_marker_was_lost_is_no_drift(
    fake: FakeConfluence, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    publish = publisher(fake, state)
    publish.publish_page(page())
    [ours] = pages_of(fake, KEY)
    # rte's update landed, its marker did not (a crash between the two writes)
    remote = publish.api.page(ours.id)
    assert remote is not None
    publish.api.update_page(remote, TITLE, "<p>Newer</p>", None)
    again = publisher(fake, state, on_drift="report")
    assert again.publish_page(page(body="<p>Newer</p>")) is PublishOutcome.UPDATED
    assert again.drift_of(KEY) is None


def test_a_case_variant_that_is_not_ours_is_refused_by_name(
    fake: FakeConfluence, tmp_path: Path
) -> None:
    fake.add_page(SPACE, TITLE.upper(), "<p>A person's page</p>")
    with pytest.raises(PageOwnershipError, match="unique regardless of case"):
        publisher(fake, tmp_path / "state").publish_page(page())
    assert len(fake.state.pages) == 3  # home, parent, the person's page: nothing created


def test_orphans_are_reported_and_archived_on_request(fake: FakeConfluence, tmp_path: Path) -> None:
    state = tmp_path / "state"
    team_b = page("objectives:aurora-art:pi-2026-4:team:borealis", "PI 2026.4 - Team Borealis")
    first = publish_all(fake, state, [page(), team_b], dry_run=False)
    assert first.orphans == ()
    renamed = page("objectives:aurora-art:pi-2026-4:team:bears", "PI 2026.4 - Team Bears")
    dry = publish_all(fake, state, [page(), renamed], dry_run=True, prune=True)
    [orphan] = dry.orphans
    assert (orphan.key, orphan.title, orphan.archived) == (team_b.key, team_b.title, False)
    assert any(line.startswith("orphan") for line in dry.plan_lines())
    pruned = publish_all(fake, state, [page(), renamed], dry_run=False, prune=True)
    [orphan] = pruned.orphans
    left = fake.state.pages[orphan.page_id]
    if fake.deployment == "cloud":
        assert orphan.archived and left.status == "archived"
        assert "1 orphan(s) (1 archived)" in pruned.summary()
        later = publish_all(fake, state, [page(), renamed], dry_run=False)
        assert later.orphans == ()  # archived and forgotten
    else:
        assert not orphan.archived and left.status == "current"
        assert "cannot archive a page" in orphan.note
    assert not pruned.failed and len(pages_of(fake, renamed.key)) == 1
