"""Prefect's environment for `rte`, read and set before Prefect is first imported.

Importing Prefect costs 1.7 s on 2 cores, and a flow run without a server
starts Prefect's temporary API (16-24 s, more than Prefect's default 20 s
start-up timeout on a cold first run). So the one-off commands ask first,
without importing Prefect, whether an API is configured (`configured_api_url`,
reading the places Prefect reads: the environment, `.env`, `prefect.toml`,
`pyproject.toml` and the active profile), and run in process when none is.
When Prefect does run, unless told otherwise it would try to reach outside
hosts for telemetry, and print every run's log and a failed run's traceback
on the console, before rte's own one-line message: `prepare_prefect` sets
that environment. A value the user has set wins.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

OFFLINE_DEFAULTS: Mapping[str, str] = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # rte's own loggers reach the run's logs in the Prefect UI; outside a flow run (the
    # steps run in process too) they log only where logging is configured
    "PREFECT_LOGGING_EXTRA_LOGGERS": "flows,connectors",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}

# Only for runs on the temporary API: its web UI is never looked at, and not
# preparing it saves about a second of every start.
EPHEMERAL_DEFAULTS: Mapping[str, str] = {"PREFECT_UI_ENABLED": "false"}

# Quiet: the runs still log to the Prefect API, but nothing reaches the console,
# where rte prints its own summary, or its one-line error.
QUIET_DEFAULTS: Mapping[str, str] = {"PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "CRITICAL"}

RTE_LOGGERS = ("flows", "connectors")


def prepare_prefect(*, ephemeral: bool = False, quiet: bool = False) -> None:
    """Set Prefect's environment defaults for this process and its children."""
    defaults = dict(OFFLINE_DEFAULTS)
    if ephemeral and not configured_api_url():
        defaults.update(EPHEMERAL_DEFAULTS)
    if quiet:
        defaults.update(QUIET_DEFAULTS)
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    for name in RTE_LOGGERS:  # Prefect attaches its API handler; the level is ours to set
        logging.getLogger(name).setLevel(logging.INFO)


def configured_api_url(
    environ: Mapping[str, str] | None = None, cwd: Path | None = None
) -> str | None:
    """The Prefect API URL Prefect would use, found as Prefect finds it, or None."""
    environ = os.environ if environ is None else environ
    cwd = cwd or Path.cwd()
    return (
        environ.get("PREFECT_API_URL")
        or _dotenv(cwd / ".env").get("PREFECT_API_URL")
        or _toml_path(cwd / "prefect.toml", "api", "url")
        or _toml_path(cwd / "pyproject.toml", "tool", "prefect", "api", "url")
        or _profile(environ).get("PREFECT_API_URL")
        or None
    )


def prefect_home(environ: Mapping[str, str] | None = None) -> Path:
    """Where Prefect keeps its profiles and its local database (`PREFECT_HOME`)."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def _profile(environ: Mapping[str, str]) -> dict[str, Any]:
    path = Path(environ.get("PREFECT_PROFILES_PATH") or prefect_home(environ) / "profiles.toml")
    profiles = _toml(path)
    active = environ.get("PREFECT_PROFILE") or profiles.get("active")
    chosen = profiles.get("profiles", {}).get(active, {}) if active else {}
    return chosen if isinstance(chosen, dict) else {}


def _toml_path(path: Path, *keys: str) -> str | None:
    value: Any = _toml(path)
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _dotenv(path: Path) -> dict[str, str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    values = {}
    for line in lines:
        name, sep, value = line.strip().removeprefix("export ").partition("=")
        if sep and not name.startswith("#"):
            values[name.strip()] = value.strip().strip("'\"")
    return values
