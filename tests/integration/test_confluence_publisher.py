"""The Confluence publisher against the stateful fake, Cloud (REST v2) and Data Center (REST v1).

Real atlassian-python-api clients over real HTTP on 127.0.0.1. Assertions are
about the fake's state (pages, versions, properties, attachments) and its
request log (what was written), never about what the client believes.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from art.config import ConfluenceConfig
from art.model import Page, PublishOutcome
from connectors.confluence import ConfluenceCredentials, ConfluencePublisher, connect
from connectors.confluence_api import (
    PROPERTY_KEY,
    ConfluenceAuthError,
    ConfluenceError,
    PageConflictError,
    PageOwnershipError,
)
from connectors.http import RequestCounter, RetryPolicy
from flows.steps.bootstrap import bootstrap
from flows.steps.publishing import PublishFailed, publish_pages
from tests.fakes.confluence import TOKEN, USER, FakeConfluence
from tests.fakes.server import Fault
from tests.objectives_builders import train

SPACE, PARENT = "ART", "Release Train"
TITLE = "PI 2026.4 - Team Atlas - PI Objectives"
HOSTILE = "&lt;ac:structured-macro ac:name=&#34;html&#34;&gt; ]]&gt; &amp;"
FAST = RetryPolicy(attempts=4, max_wait=0.01, backoff_initial=0.001, retry_unsafe_methods=False)


@pytest.fixture(params=["cloud", "datacenter"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeConfluence]:
    server = FakeConfluence(deployment=request.param)
    server.add_space(SPACE, "Aurora ART")
    server.add_page(SPACE, PARENT)
    with server.running():
        yield server


def publisher_config(
    fake: FakeConfluence, *, parent: str | None = PARENT, space: str = SPACE
) -> ConfluenceConfig:
    return ConfluenceConfig(
        backend=fake.deployment,
        url=fake.url,
        space=space,
        parent=parent,
        auth={"user": "env:CONFLUENCE_USER", "token": "env:CONFLUENCE_TOKEN"},
    )


def publisher(
    fake: FakeConfluence,
    *,
    parent: str | None = PARENT,
    token: str = TOKEN,
    space: str = SPACE,
    counter: RequestCounter | None = None,
) -> ConfluencePublisher:
    config = publisher_config(fake, parent=parent, space=space)
    user = SecretStr(USER) if fake.deployment == "cloud" else None
    return connect(
        config,
        ConfluenceCredentials(token=SecretStr(token), user=user),
        policy=FAST,
        counter=counter,
    )


def page(body: str = "<p>Objectives</p>", **attachments: bytes) -> Page:
    return Page(
        key="objectives:aurora-art:pi-2026-4:team:atlas",
        title=TITLE,
        storage=body,
        attachments={name.replace("_", "."): data for name, data in attachments.items()},
    )


def published(fake: FakeConfluence):
    found = fake.page_by_title(SPACE, TITLE)
    assert found is not None
    return found


def test_a_new_page_is_created_under_the_parent_with_its_marker_and_attachments(
    fake: FakeConfluence,
) -> None:
    outcome = publisher(fake).publish_page(page(chart_png=b"\x89PNG one"))
    assert outcome is PublishOutcome.CREATED
    created = published(fake)
    assert created.body == "<p>Objectives</p>" and created.version == 1
    assert created.parent_id == fake.page_by_title(SPACE, PARENT).id
    marker = fake.property_value(created.id, PROPERTY_KEY)
    assert marker["key"] == page().key and marker["version"] == 1
    attachment = fake.attachment(created.id, "chart.png")
    assert attachment.data == b"\x89PNG one" and attachment.media_type == "image/png"


def test_a_second_run_with_nothing_changed_writes_nothing(fake: FakeConfluence) -> None:
    publish = publisher(fake)
    publish.publish_page(page(chart_png=b"png"))
    fake.reset_log()
    assert publish.publish_page(page(chart_png=b"png")) is PublishOutcome.UNCHANGED
    assert fake.write_count() == 0
    assert published(fake).version == 1
    # A fresh publisher (a new run) needs nothing but reads either.
    fake.reset_log()
    assert publisher(fake).publish_page(page(chart_png=b"png")) is PublishOutcome.UNCHANGED
    assert fake.write_count() == 0


def test_a_changed_body_is_one_new_version_and_unchanged_attachments_are_not_uploaded(
    fake: FakeConfluence,
) -> None:
    publish = publisher(fake)
    publish.publish_page(page(chart_png=b"png"))
    fake.reset_log()
    assert publish.publish_page(page("<p>New</p>", chart_png=b"png")) is PublishOutcome.UPDATED
    updated = published(fake)
    assert (updated.version, updated.body) == (2, "<p>New</p>")
    assert fake.attachment(updated.id, "chart.png").uploads == 1
    writes = [(e.method, e.route) for e in fake.log if e.method != "GET"]
    assert len(writes) == 2  # the page and its marker, nothing else
    assert fake.property_value(updated.id, PROPERTY_KEY)["version"] == 2


def test_only_an_attachment_whose_bytes_changed_is_uploaded_and_the_page_keeps_its_version(
    fake: FakeConfluence,
) -> None:
    publish = publisher(fake)
    publish.publish_page(page(a_png=b"a", b_png=b"b"))
    fake.reset_log()
    assert publish.publish_page(page(a_png=b"a", b_png=b"B!")) is PublishOutcome.UPDATED
    target = published(fake)
    assert target.version == 1
    assert fake.attachment(target.id, "a.png").uploads == 1
    changed = fake.attachment(target.id, "b.png")
    assert (changed.data, changed.version) == (b"B!", 2)
    assert [e.route.split(" ", 1)[1].endswith("/data") for e in fake.log if e.method == "POST"] == [
        True
    ]


def test_an_attachment_deleted_by_hand_is_uploaded_again(fake: FakeConfluence) -> None:
    publish = publisher(fake)
    publish.publish_page(page(a_png=b"a"))
    target = published(fake)
    with fake.lock:
        del fake.state.attachments[target.id]["a.png"]
    assert publish.publish_page(page(a_png=b"a")) is PublishOutcome.UPDATED
    assert fake.attachment(target.id, "a.png").data == b"a"


def test_an_edit_by_hand_is_overwritten_on_the_next_run_and_stays_in_the_history(
    fake: FakeConfluence,
) -> None:
    publish = publisher(fake)
    publish.publish_page(page())
    fake.edit_page(published(fake).id, "<p>Someone's notes</p>")
    assert publish.publish_page(page()) is PublishOutcome.UPDATED
    restored = published(fake)
    assert (restored.version, restored.body) == (3, "<p>Objectives</p>")
    assert restored.versions[1].body == "<p>Someone's notes</p>"


def test_a_version_conflict_is_reread_and_retried_once(fake: FakeConfluence) -> None:
    publish = publisher(fake)
    publish.publish_page(page())
    target = published(fake)
    fake.race(target.id, times=1)  # someone saves between our read and our write
    assert publish.publish_page(page("<p>Mine</p>")) is PublishOutcome.UPDATED
    assert [v.body for v in target.versions] == [
        "<p>Objectives</p>",
        "<p>Saved meanwhile.</p>",
        "<p>Mine</p>",
    ]
    conflicts = [e for e in fake.log if e.status == 409]
    assert len(conflicts) == 1


def test_a_second_conflict_is_reported_and_nothing_is_overwritten(fake: FakeConfluence) -> None:
    publish = publisher(fake)
    publish.publish_page(page())
    target = published(fake)
    fake.race(target.id, times=2)
    with pytest.raises(PageConflictError, match="saved by someone else twice"):
        publish.publish_page(page("<p>Mine</p>"))
    assert (
        target.body == "<p>Saved meanwhile.</p>"
        and len([e for e in fake.log if e.status == 409]) == 2
    )
    assert fake.property_value(target.id, PROPERTY_KEY)["version"] == 1  # marker untouched


def test_a_dry_run_reads_and_plans_but_writes_nothing(fake: FakeConfluence) -> None:
    publish = publisher(fake)
    fake.reset_log()
    assert publish.publish_page(page(), dry_run=True) is PublishOutcome.CREATED
    assert fake.write_count() == 0 and fake.page_by_title(SPACE, TITLE) is None
    publish.publish_page(page())
    fake.reset_log()
    assert publish.publish_page(page("<p>New</p>"), dry_run=True) is PublishOutcome.UPDATED
    assert publish.publish_page(page(), dry_run=True) is PublishOutcome.UNCHANGED
    assert fake.write_count() == 0 and published(fake).version == 1


def test_hostile_text_is_stored_exactly_as_rendered_and_parses_as_text(
    fake: FakeConfluence,
) -> None:
    body = f"<table><tbody><tr><td>{HOSTILE}</td></tr></tbody></table>"
    publisher(fake).publish_page(page(body))
    stored = published(fake).body
    assert stored == body
    cell = ET.fromstring(f"<root>{stored}</root>").find(".//td")
    assert cell is not None
    assert cell.text == '<ac:structured-macro ac:name="html"> ]]> &'


def test_a_page_with_the_title_but_another_rte_key_is_refused(fake: FakeConfluence) -> None:
    publish = publisher(fake)
    publish.publish_page(page())
    other = Page(key="objectives:other", title=TITLE, storage="<p>x</p>")
    with pytest.raises(PageOwnershipError, match="belongs to rte page"):
        publish.publish_page(other)


def test_a_page_with_the_title_and_no_marker_is_taken_over(fake: FakeConfluence) -> None:
    existing = fake.add_page(SPACE, TITLE, "<p>Made by hand</p>")
    assert publisher(fake).publish_page(page()) is PublishOutcome.UPDATED
    assert (existing.version, existing.body) == (2, "<p>Objectives</p>")
    assert fake.property_value(existing.id, PROPERTY_KEY)["key"] == page().key


def test_the_parent_may_be_given_by_id_and_a_missing_parent_or_space_is_named(
    fake: FakeConfluence,
) -> None:
    parent = fake.page_by_title(SPACE, PARENT)
    publisher(fake, parent=parent.id).publish_page(page())
    assert published(fake).parent_id == parent.id
    with pytest.raises(ConfluenceError, match=r"confluence\.parent: no page 'Nowhere'"):
        publisher(fake, parent="Nowhere").publish_page(page())
    with pytest.raises(
        ConfluenceError, match=r"confluence\.space: there is no space with key 'NOPE'"
    ):
        publisher(fake, space="NOPE").publish_page(page())


def test_a_page_with_a_parent_key_goes_under_that_page_of_ours(fake: FakeConfluence) -> None:
    """A team's health page under its ART's: created there, unchanged on the next run, planned
    in a dry run before its parent exists, and refused when its parent was never published."""
    art = Page(key="health:aurora-art", title="Aurora ART - ART Health", storage="<p>ART</p>")
    team = Page(
        key="health:aurora-art:team:comet",
        title="Aurora ART - Team Comet - Health",
        storage="<p>Comet</p>",
        parent_key=art.key,
    )
    with pytest.raises(ConfluenceError, match="rte page 'health:aurora-art', which is not"):
        publisher(fake).publish_page(team)
    dry = publisher(fake)
    assert [dry.publish_page(p, dry_run=True) for p in (art, team)] == [PublishOutcome.CREATED] * 2
    assert fake.page_by_title(SPACE, team.title) is None
    first = publisher(fake)
    assert [first.publish_page(p) for p in (art, team)] == [PublishOutcome.CREATED] * 2
    art_id = fake.page_by_title(SPACE, art.title).id
    assert fake.page_by_title(SPACE, team.title).parent_id == art_id
    assert fake.page_by_title(SPACE, art.title).parent_id == fake.page_by_title(SPACE, PARENT).id
    fake.reset_log()
    again = publisher(fake)  # a new run: no registry, the parent found by its title
    assert [again.publish_page(p) for p in (art, team)] == [PublishOutcome.UNCHANGED] * 2
    assert [again.publish_page(p, dry_run=True) for p in (art, team)] == [
        PublishOutcome.UNCHANGED
    ] * 2
    assert fake.write_count() == 0


def test_refused_credentials_are_named_without_repeating_the_token(fake: FakeConfluence) -> None:
    secret = "wrong-token-0123456789"
    with pytest.raises(ConfluenceAuthError) as caught:
        publisher(fake, token=secret).publish_page(page())
    message = str(caught.value)
    assert "HTTP 401" in message and "confluence.auth.token" in message
    assert secret not in message and secret not in repr(caught.value)


def test_throttling_is_waited_out(fake: FakeConfluence) -> None:
    counter = RequestCounter()
    fake.inject(
        Fault(
            "status", path="/(pages|content)$", method="GET", status=429, retry_after="0", times=2
        )
    )
    assert publisher(fake, counter=counter).publish_page(page()) is PublishOutcome.CREATED
    assert sum(counter.retries.values()) == 2
    assert fake.count() == sum(counter.requests.values())  # every attempt counted


def test_a_create_whose_answer_was_lost_makes_one_page_once_the_next_run_reconciles(
    fake: FakeConfluence,
) -> None:
    # Confluence makes the page but the answer is a 503: the policy sends the create
    # again, Confluence refuses the duplicate title, the run reports it; the next run
    # finds the page (not yet marked) and finishes the job.
    fake.inject(Fault("status", path="/(pages|content)/?$", method="POST", status=503))
    with pytest.raises(ConfluenceError, match="already exists"):
        publisher(fake).publish_page(page())
    assert publisher(fake).publish_page(page()) is PublishOutcome.UPDATED
    titled = [p for p in fake.state.pages.values() if p.title == TITLE]
    assert len(titled) == 1
    assert fake.property_value(titled[0].id, PROPERTY_KEY)["key"] == page().key


def test_listings_are_followed_across_pages(fake: FakeConfluence) -> None:
    fake.page_size = 2
    attachments = {f"chart{n}_png": bytes([n]) for n in range(5)}
    publish = publisher(fake)
    publish.publish_page(page(**attachments))
    fake.reset_log()
    assert publish.publish_page(page(**attachments)) is PublishOutcome.UNCHANGED
    assert fake.write_count() == 0


def test_no_credential_reaches_a_log_line(
    fake: FakeConfluence, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    publish = publisher(fake)
    publish.publish_page(page(a_png=b"a"))
    publish.publish_page(page("<p>New</p>", a_png=b"b"))
    with pytest.raises(ConfluenceAuthError):
        publisher(fake, token="not-the-token-42").publish_page(page())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # the libraries did log (requests, retries, curl lines)
    for secret in (TOKEN, "not-the-token-42"):
        assert secret not in logged


def test_publishing_a_set_keeps_going_past_a_refused_page_and_says_why_once(
    fake: FakeConfluence, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CONFLUENCE_USER", USER)
    monkeypatch.setenv("CONFLUENCE_TOKEN", TOKEN)
    # The page registry lives in the state directory: in tmp, never shared between runs.
    art = train().model_copy(
        update={"confluence": publisher_config(fake), "state_dir": str(tmp_path / "state")}
    )
    target = bootstrap(art, tmp_path).pages
    publish_pages([page()], target, dry_run=False)
    fake.race(published(fake).id, times=2)
    other = Page(key="objectives:other", title="Another page", storage="<p>x</p>")
    fake.reset_log()
    run = publish_pages([page("<p>Mine</p>"), other], target, dry_run=False)
    assert [plan.outcome for plan in run.pages] == [None, PublishOutcome.CREATED]
    assert "saved by someone else twice" in (run.pages[0].error or "")
    # Two refused updates of the first page; the second page and its marker.
    assert (run.writes, run.requests) == (4, fake.count()) and fake.write_count() == 4
    with pytest.raises(PublishFailed, match=f"1 of 2 page\\(s\\) not published: '{TITLE}'"):
        run.raise_for_failures()
    missing = art.model_copy(
        update={"confluence": publisher_config(fake).model_copy(update={"space": "NOPE"})}
    )
    failed = publish_pages([page(), other], bootstrap(missing, tmp_path).pages, dry_run=True)
    with pytest.raises(PublishFailed) as caught:
        failed.raise_for_failures()
    assert str(caught.value).count("no space with key 'NOPE'") == 1
