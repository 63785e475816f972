"""Prefect's environment for `rte`, set before Prefect is first imported.

Measured on 2 cores: without a server a flow run starts Prefect's temporary
API, whose first start (SQLite migrations on a fresh PREFECT_HOME) can exceed
Prefect's default 20 s start-up timeout; and unless told otherwise Prefect
tries to reach outside hosts for telemetry. A value the user has set wins.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

OFFLINE_DEFAULTS: Mapping[str, str] = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}

# Only for runs on the temporary API: its web UI is never looked at, and not
# preparing it saves about a second of every start.
EPHEMERAL_DEFAULTS: Mapping[str, str] = {"PREFECT_UI_ENABLED": "false"}


def prepare_prefect(*, ephemeral: bool = False, quiet: bool = False) -> None:
    """Set Prefect's environment defaults for this process and its children."""
    defaults = dict(OFFLINE_DEFAULTS)
    if ephemeral and not os.environ.get("PREFECT_API_URL"):
        defaults.update(EPHEMERAL_DEFAULTS)
    if quiet:
        defaults["PREFECT_LOGGING_LEVEL"] = "WARNING"
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
