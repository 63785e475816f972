"""The folder backend: pages as files, written atomically and only when they change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from art.model import Page
from connectors import files
from connectors.files import FolderPublisher, PublishOutcome, safe_name, write_bytes_atomically

PAST = 1_600_000_000_000_000_000  # ns: an mtime no write of ours can produce


def page(storage: str = "<p>Hello</p>", **kwargs: object) -> Page:
    options: dict = {"key": "health:aurora-art", "title": "Aurora ART - ART Health"} | kwargs
    return Page(storage=storage, preview_html=f"<html>{storage}</html>", **options)


def age(*paths: Path) -> None:
    for path in paths:
        os.utime(path, ns=(PAST, PAST))


def everything_under(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")}


# --------------------------------------------------------------------------
# write_bytes_atomically


def test_writing_new_bytes_says_so_and_equal_bytes_touch_nothing(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "health.json"
    assert write_bytes_atomically(target, b"{}") is True
    assert target.read_bytes() == b"{}"
    age(target)
    assert write_bytes_atomically(target, b"{}") is False
    assert target.stat().st_mtime_ns == PAST
    assert write_bytes_atomically(target, b"{ }") is True
    assert target.read_bytes() == b"{ }"
    assert everything_under(tmp_path) == {"deep", "deep/health.json"}


def test_a_new_file_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    umask = os.umask(0o022)
    try:
        target = tmp_path / "a.ics"
        write_bytes_atomically(target, b"1")
        assert target.stat().st_mode & 0o777 == 0o644
        target.chmod(0o600)
        write_bytes_atomically(target, b"2")
        assert target.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(umask)


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_an_interrupted_write_leaves_the_old_file_whole_and_no_debris(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "art-calendar.ics"
    target.write_bytes(b"old calendar")

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, failing, crash)
    with pytest.raises(OSError, match="disk full"):
        write_bytes_atomically(target, b"new calendar" * 1000)
    assert target.read_bytes() == b"old calendar"
    assert everything_under(tmp_path) == {"art-calendar.ics"}


# --------------------------------------------------------------------------
# FolderPublisher


def test_a_new_page_is_created_as_storage_and_preview_files(tmp_path: Path) -> None:
    publisher = FolderPublisher(tmp_path / "pages")
    assert publisher.publish_page(page()) == "created"
    storage = tmp_path / "pages" / "health-aurora-art.storage.xml"
    preview = tmp_path / "pages" / "health-aurora-art.html"
    assert storage.read_text(encoding="utf-8") == "<p>Hello</p>"
    assert preview.read_text(encoding="utf-8") == "<html><p>Hello</p></html>"


def test_publishing_the_same_page_again_is_unchanged_and_touches_nothing(tmp_path: Path) -> None:
    publisher = FolderPublisher(tmp_path)
    publisher.publish_page(page(attachments={"wip.png": b"\x89PNG"}))
    written = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    age(*written)
    outcome = publisher.publish_page(page(attachments={"wip.png": b"\x89PNG"}))
    assert outcome is PublishOutcome.UNCHANGED
    assert outcome == "unchanged"
    assert all(path.stat().st_mtime_ns == PAST for path in written)


def test_a_changed_page_is_updated_and_only_changed_files_are_written(tmp_path: Path) -> None:
    publisher = FolderPublisher(tmp_path)
    first = page()
    publisher.publish_page(first)
    storage = tmp_path / "health-aurora-art.storage.xml"
    preview = tmp_path / "health-aurora-art.html"
    age(storage, preview)
    changed = Page(first.key, first.title, "<p>Bye</p>", first.preview_html)
    assert publisher.publish_page(changed) == "updated"
    assert storage.read_text(encoding="utf-8") == "<p>Bye</p>"
    assert storage.stat().st_mtime_ns != PAST
    assert preview.stat().st_mtime_ns == PAST


def test_attachments_are_written_beside_the_page_and_stale_ones_removed(tmp_path: Path) -> None:
    publisher = FolderPublisher(tmp_path)
    publisher.publish_page(page(attachments={"wip.png": b"1", "cfd.svg": b"<svg/>"}))
    folder = tmp_path / "health-aurora-art_attachments"
    assert sorted(p.name for p in folder.iterdir()) == ["cfd.svg", "wip.png"]
    assert publisher.publish_page(page(attachments={"wip.png": b"1"})) == "updated"
    assert [p.name for p in folder.iterdir()] == ["wip.png"]
    assert publisher.publish_page(page()) == "updated"
    assert not folder.exists()
    assert publisher.publish_page(page()) == "unchanged"


def test_a_dry_run_says_what_would_happen_and_writes_nothing(tmp_path: Path) -> None:
    publisher = FolderPublisher(tmp_path / "pages")
    assert publisher.publish_page(page(), dry_run=True) == "created"
    assert not (tmp_path / "pages").exists()
    publisher.publish_page(page())
    assert publisher.publish_page(page("<p>new</p>"), dry_run=True) == "updated"
    assert (tmp_path / "pages" / "health-aurora-art.storage.xml").read_text() == "<p>Hello</p>"


@pytest.mark.parametrize(
    "key",
    [
        "../../etc",
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        ".",
        "",
        "a/../../b",
        "C:\\Windows",
        "\x00",
    ],
)
def test_a_page_key_cannot_escape_the_folder(tmp_path: Path, key: str) -> None:
    out = tmp_path / "out"
    publisher = FolderPublisher(out)
    assert publisher.publish_page(page(key=key, attachments={"../../evil.sh": b"x"})) == "created"
    created = everything_under(tmp_path)
    assert all(name == "out" or name.startswith("out/") for name in created)
    assert not any(part.startswith(".") for name in created for part in Path(name).parts)


def test_slugs_are_readable_for_our_keys_and_distinct_for_odd_ones() -> None:
    assert safe_name("health:aurora-art") == "health-aurora-art"
    assert safe_name("objectives:team-nova") == "objectives-team-nova"
    assert safe_name("wip.png") == "wip.png"
    assert safe_name("../a") != safe_name("..-a")
    assert safe_name("chart (1).png").endswith(".png")


@given(st.text())
def test_any_key_gives_a_plain_file_name(key: str) -> None:
    name = safe_name(key)
    assert name and len(name) <= 140
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and name not in {".", ".."}
