"""The vendor contracts the fakes and the contract tests are held to, read from here.

They live inside the repository (see README.md beside this file) so that a
fresh clone, with nothing beside it, can run every test: nothing may read a
contract from outside the checkout.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

CONTRACTS = Path(__file__).resolve().parent


@cache
def contract(name: str) -> dict[str, Any]:
    """The parsed contract file `name` (e.g. "jira-agile-subset.json"), read once a session.

    Callers that change a contract (servers, extra paths) must copy it first."""
    return json.loads((CONTRACTS / name).read_text(encoding="utf-8"))
