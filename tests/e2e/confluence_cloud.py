"""The art.yaml section that publishes the demo ART's pages to the Confluence Cloud fake."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.confluence import TOKEN, USER, FakeConfluence


def confluence_section(
    fake: FakeConfluence, monkeypatch: pytest.MonkeyPatch, **more: Any
) -> dict[str, Any]:
    """The art.yaml `confluence` section for `fake`, its credentials in the environment."""
    monkeypatch.setenv("RTE_TEST_CONFLUENCE_USER", USER)
    monkeypatch.setenv("RTE_TEST_CONFLUENCE_TOKEN", TOKEN)
    return {
        "backend": "cloud",
        "url": fake.url,
        "space": "ART",
        "parent": "Aurora ART",
        **more,
        "auth": {"user": "env:RTE_TEST_CONFLUENCE_USER", "token": "env:RTE_TEST_CONFLUENCE_TOKEN"},
    }
