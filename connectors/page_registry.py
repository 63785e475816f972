"""Which Confluence page holds which rte page, as the last publish left it.

Confluence identifies a page by its id; rte finds its pages by title, which a
person can change. So every publish remembers, per site and space, the page
id (and title) behind each rte page key, and the next run looks the page up
by that id first: a page a person renamed is still rte's page, never created
a second time. The keys remembered under a prefix (one flow's pages) that
the plan no longer has are that flow's orphans.

One SQLite file in the state directory, beside the Jira store. It is a memory
of Confluence, never the truth: a remembered id is used only when the page
there still carries rte's marker with the same key, and a lost file costs
nothing but the lookups by title (and by title in any case) it spares.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

REGISTRY_FILE = "confluence.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS page (
    site  TEXT NOT NULL,
    space TEXT NOT NULL,
    key   TEXT NOT NULL,
    id    TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (site, space, key)
);
"""


class PageRegistry:
    """The remembered pages of one space of one Confluence site."""

    def __init__(self, path: Path, *, site: str, space: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.site = site.rstrip("/")
        self.space = space
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    @classmethod
    def in_dir(cls, state_dir: str | Path, *, site: str, space: str) -> PageRegistry:
        return cls(Path(state_dir) / REGISTRY_FILE, site=site, space=space)

    def close(self) -> None:
        self._db.close()

    def page_id(self, key: str) -> str | None:
        row = self._db.execute(
            "SELECT id FROM page WHERE site = ? AND space = ? AND key = ?",
            (self.site, self.space, key),
        ).fetchone()
        return None if row is None else str(row[0])

    def remember(self, key: str, page_id: str, title: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO page (site, space, key, id, title) VALUES (?, ?, ?, ?, ?)",
            (self.site, self.space, key, page_id, title),
        )

    def forget(self, key: str) -> None:
        self._db.execute(
            "DELETE FROM page WHERE site = ? AND space = ? AND key = ?",
            (self.site, self.space, key),
        )

    def under(self, prefix: str) -> dict[str, tuple[str, str]]:
        """(page id, title) by key, for the keys that start with `prefix`."""
        rows = self._db.execute(
            "SELECT key, id, title FROM page WHERE site = ? AND space = ? ORDER BY key",
            (self.site, self.space),
        )
        return {key: (page_id, title) for key, page_id, title in rows if key.startswith(prefix)}
