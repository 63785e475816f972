"""The SQLite state store: whole transactions, and a refill when its layout changes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.state_store import IssueRecord, StateStore, SyncMark

AT = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
MARK = SyncMark("f1", AT, "m1", {"story_points": "customfield_10016", "team": None})


def record(number: int, status: str = "To Do") -> IssueRecord:
    return IssueRecord(
        id=str(10000 + number),
        key=f"AUR-{number}",
        issue={"id": str(10000 + number), "fields": {"status": {"name": status}}},
        histories=[{"id": str(number), "created": "2026-11-01T10:00:00.000+0000", "items": []}],
    )


def test_a_full_sync_replaces_and_an_incremental_one_merges(tmp_path: Path) -> None:
    with StateStore.in_dir(tmp_path) as store:
        store.replace("s", MARK, [record(n) for n in (1, 2, 3, 10)])
        later = SyncMark("f1", AT + timedelta(days=1), "m1", {"team": None})
        store.merge("s", later, [record(2, "Done"), record(4)], removed=["10003"])
        assert [r.key for r in store.records("s")] == ["AUR-1", "AUR-2", "AUR-4", "AUR-10"]
        assert store.records("s")[1] == record(2, "Done")
        assert store.mark("s") == later
        assert store.ids("other") == set() and store.mark("other") is None


def test_a_write_that_fails_half_way_changes_nothing(tmp_path: Path) -> None:
    def failing() -> Iterator[IssueRecord]:
        yield record(5)
        raise RuntimeError("network gone while merging")

    with StateStore.in_dir(tmp_path) as store:
        store.replace("s", MARK, [record(1)])
        with pytest.raises(RuntimeError):
            store.merge("s", SyncMark("f2", datetime.now(UTC)), failing(), removed=["10001"])
        assert store.records("s") == [record(1)]
        assert store.mark("s") == MARK


def test_a_store_of_another_layout_is_emptied_so_the_next_sync_is_full(tmp_path: Path) -> None:
    with StateStore.in_dir(tmp_path) as store:
        store.replace("s", MARK, [record(1)])
    with sqlite3.connect(tmp_path / "jira.sqlite") as db:
        db.execute("PRAGMA user_version=99")
    with StateStore.in_dir(tmp_path) as store:
        assert store.mark("s") is None and store.records("s") == []


def test_a_time_without_a_zone_is_refused(tmp_path: Path) -> None:
    with StateStore.in_dir(tmp_path / "new" / "dir") as store, pytest.raises(ValueError):
        store.replace("s", SyncMark("f1", datetime(2026, 11, 20, 18, 0)), [])
