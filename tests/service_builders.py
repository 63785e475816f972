"""An ART's pages and calendar on the fakes: the `confluence:` and `calendar:` sections of
art.yaml that point at a Confluence fake and at the Graph and Entra fakes, and the
environment their (and Jira's) credential references read."""

from __future__ import annotations

from typing import Any

from tests.cloud_builders import CLIENT, TENANT
from tests.fakes.confluence import TOKEN as WIKI_TOKEN
from tests.fakes.confluence import USER as WIKI_USER
from tests.fakes.confluence import FakeConfluence
from tests.fakes.jira import FakeJira
from tests.integration.outlook_fixtures import MAILBOX


def service_sections(
    wiki: FakeConfluence, cloud: dict[str, Any], *, client_secret: str
) -> dict[str, Any]:
    """Pages under 'ART Health' in space ART; events in MAILBOX, the app signing in to the
    private `cloud` (`tests.cloud_builders.private_cloud`) with `client_secret` (a reference)."""
    auth = {"user": "env:WIKI_USER", "token": "env:WIKI_TOKEN"} if wiki.cloud else {}
    return {
        "confluence": {
            "backend": wiki.deployment,
            "url": wiki.url,
            "space": "ART",
            "parent": "ART Health",
            "auth": auth or {"token": "env:WIKI_TOKEN"},
        },
        "calendar": {
            "backend": "outlook",
            "mailbox": MAILBOX,
            "tenant_id": "env:GRAPH_TENANT",
            "client_id": "env:GRAPH_CLIENT",
            "client_secret": client_secret,
            **cloud,
        },
    }


def service_environment(jira: FakeJira, **more: str) -> dict[str, str]:
    """The variables the references above, and Jira's, read."""
    return {
        "JIRA_USER": jira.user or "",
        "JIRA_TOKEN": jira.token,
        "WIKI_USER": WIKI_USER,
        "WIKI_TOKEN": WIKI_TOKEN,
        "GRAPH_TENANT": TENANT,
        "GRAPH_CLIENT": CLIENT,
        **more,
    }
