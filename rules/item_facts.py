"""Findings about a Jira item carry the item: its title, link, assignee, team and status.

The rules name an item by its key only; a reader needs more to act. So,
once every rule has run, a finding whose subject is the key of an item of
the snapshot gets that item's facts, here, in one place: the rules stay
as they are. A red string ("AUR-1 blocks AUR-2") is about its blocker: its
team is the one that must replan it. The link is `<site>/browse/<key>`, the key quoted for a URL;
without a known http(s) site there is no link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from urllib.parse import quote, urlsplit

from art.model import Finding, ItemFacts, WorkItem


def item_url(site: str | None, key: str) -> str | None:
    """The item's page on the Jira site; None when the site is unknown or not http(s)."""
    if not site or urlsplit(site).scheme not in ("http", "https"):
        return None
    return f"{site.rstrip('/')}/browse/{quote(key, safe='-_.~')}"


def item_facts(item: WorkItem, site: str | None, team_names: Mapping[str, str]) -> ItemFacts:
    """What a reader sees of `item`; its team by the ART's name for it when it has one."""
    team = team_names.get(item.team, item.team) if item.team is not None else None
    return ItemFacts(
        key=item.key,
        title=item.summary,
        url=item_url(site, item.key),
        assignee=item.assignee,
        team=team,
        status=item.status,
    )


def about_items(
    findings: Iterable[Finding],
    items: Sequence[WorkItem],
    *,
    site: str | None,
    team_names: Mapping[str, str],
) -> list[Finding]:
    """`findings`, each one whose subject is an item's key with that item's facts."""
    by_key = {item.key: item for item in items}
    enriched = []
    for finding in findings:
        item = by_key.get(finding.subject) or by_key.get(finding.data.get("blocker", ""))
        if item is not None and finding.item is None:
            finding = replace(finding, item=item_facts(item, site, team_names))
        enriched.append(finding)
    return enriched
