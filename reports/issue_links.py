"""Links to Jira issues on pages: the one rule for when a key becomes a link."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

_ISSUE_KEY = re.compile(r"^[A-Z][A-Z0-9_]*-[1-9][0-9]*$")


@dataclass(frozen=True, slots=True)
class IssueLink:
    key: str
    url: str | None  # None: shown as text (no Jira site known, or not an issue key)


def issue_link(key: str, jira_url: str | None) -> IssueLink:
    """A link to the issue in Jira, when `key` is an issue key and the site is known."""
    if jira_url is None or not _ISSUE_KEY.match(key):
        return IssueLink(key, None)
    return IssueLink(key, f"{jira_url.rstrip('/')}/browse/{quote(key)}")
