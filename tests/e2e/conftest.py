"""The end-to-end tests' Confluence Cloud fake: the Aurora ART's space and parent page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.confluence import FakeConfluence


@pytest.fixture
def fake() -> Iterator[FakeConfluence]:
    server = FakeConfluence(deployment="cloud")
    server.add_space("ART", "Aurora ART")
    server.add_page("ART", "Aurora ART")
    with server.running():
        yield server
