"""The fixtures every integration test may ask for by name: the stateful Jira and Graph
fakes on 127.0.0.1 and a state store. They are defined beside their helpers
(`jira_fixtures.py`, `outlook_fixtures.py`); importing them here makes pytest offer
them to each test module without an import of its own."""

from __future__ import annotations

from tests.integration.jira_fixtures import (
    cloud,
    cloud_site,
    datacenter,
    datacenter_site,
    site,
    store,
)
from tests.integration.outlook_fixtures import graph

__all__ = ["cloud", "cloud_site", "datacenter", "datacenter_site", "graph", "site", "store"]
