"""What was fetched from Jira, kept between runs so a nightly run asks only for what changed.

One SQLite file in the configured state directory. Each *scope* (a site and
the JQL that selects the train's issues) keeps its issues as Jira sent them,
their changelog histories, and the time the last successful sync started.
A sync writes in one transaction, after everything was fetched: a run that
fails half-way leaves the store as the last good run left it, and the next
run simply starts from there.

The store is a cache of Jira, never the truth: when its layout changes, or
the fields a scope asks for change, it is refilled by a full sync.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

STORE_FILE = "jira.sqlite"
_LAYOUT = 2  # PRAGMA user_version; a store of another layout is refilled

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scope (
    scope       TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    synced_at   TEXT NOT NULL,
    mapping     TEXT NOT NULL,
    field_ids   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS issue (
    scope     TEXT NOT NULL,
    id        TEXT NOT NULL,
    key       TEXT NOT NULL,
    issue     TEXT NOT NULL,
    histories TEXT NOT NULL,
    PRIMARY KEY (scope, id)
);
"""


@dataclass(frozen=True, slots=True)
class IssueRecord:
    """One issue as Jira sent it (without its changelog) and its full changelog histories."""

    id: str
    key: str
    issue: dict[str, Any]
    histories: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class SyncMark:
    """Where the last successful sync of a scope left off.

    `fingerprint` names what the stored issues hold (their fields); when the
    config asks for other fields, the stored ones cannot be merged with new ones.
    `field_ids` are the ids the config's field names resolved to, and `mapping`
    names that config mapping, so a nightly run need not read the field list.
    """

    fingerprint: str
    synced_at: datetime
    mapping: str = ""
    field_ids: dict[str, str | None] = field(default_factory=dict)


class StateStore:
    """The SQLite file of one state directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)  # transactions are explicit
        self._db.execute("PRAGMA journal_mode=WAL")
        if self._db.execute("PRAGMA user_version").fetchone()[0] != _LAYOUT:
            self._db.executescript(
                "DROP TABLE IF EXISTS scope; DROP TABLE IF EXISTS issue;"
                f"PRAGMA user_version={_LAYOUT};"
            )
        self._db.executescript(_SCHEMA)

    @classmethod
    def in_dir(cls, state_dir: str | Path) -> StateStore:
        return cls(Path(state_dir) / STORE_FILE)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------
    def mark(self, scope: str) -> SyncMark | None:
        row = self._db.execute(
            "SELECT fingerprint, synced_at, mapping, field_ids FROM scope WHERE scope = ?", (scope,)
        ).fetchone()
        if row is None:
            return None
        return SyncMark(row[0], datetime.fromisoformat(row[1]), row[2], json.loads(row[3]))

    def scopes(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT scope FROM scope ORDER BY scope")]

    def ids(self, scope: str) -> set[str]:
        return {
            row[0] for row in self._db.execute("SELECT id FROM issue WHERE scope = ?", (scope,))
        }

    def records(self, scope: str) -> list[IssueRecord]:
        rows = self._db.execute(
            "SELECT id, key, issue, histories FROM issue WHERE scope = ? "
            "ORDER BY CAST(id AS INTEGER), id",
            (scope,),
        )
        return [IssueRecord(row[0], row[1], json.loads(row[2]), json.loads(row[3])) for row in rows]

    # -- writing: one transaction each ------------------------------------------
    def replace(self, scope: str, mark: SyncMark, records: Iterable[IssueRecord]) -> None:
        """A full sync: the scope holds exactly `records` from now on."""
        with self._transaction() as db:
            db.execute("DELETE FROM issue WHERE scope = ?", (scope,))
            self._upsert(db, scope, records)
            self._set_mark(db, scope, mark)

    def merge(
        self,
        scope: str,
        mark: SyncMark,
        changed: Iterable[IssueRecord],
        removed: Iterable[str],
    ) -> None:
        """An incremental sync: refetched issues replace theirs, issues that left are dropped."""
        with self._transaction() as db:
            db.executemany(
                "DELETE FROM issue WHERE scope = ? AND id = ?", ((scope, id_) for id_ in removed)
            )
            self._upsert(db, scope, changed)
            self._set_mark(db, scope, mark)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @staticmethod
    def _upsert(db: sqlite3.Connection, scope: str, records: Iterable[IssueRecord]) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO issue (scope, id, key, issue, histories) "
            "VALUES (?, ?, ?, ?, ?)",
            ((scope, r.id, r.key, json.dumps(r.issue), json.dumps(r.histories)) for r in records),
        )

    @staticmethod
    def _set_mark(db: sqlite3.Connection, scope: str, mark: SyncMark) -> None:
        if mark.synced_at.tzinfo is None:
            raise ValueError("synced_at must be timezone-aware")
        db.execute(
            "INSERT OR REPLACE INTO scope (scope, fingerprint, synced_at, mapping, field_ids) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                scope,
                mark.fingerprint,
                mark.synced_at.isoformat(),
                mark.mapping,
                json.dumps(mark.field_ids),
            ),
        )
