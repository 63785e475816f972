"""When a flow task should be retried by Prefect, on top of the HTTP retry policy.

Every outbound call already goes through the one policy in connectors/http.py
(Retry-After, backoff, a per-call and a per-run time budget). A connector
error reaching a task has therefore been retried already, or is permanent
(bad credentials, a refused field, a broken config): retrying the task would
multiply attempts past the budget the policy promises. Prefect's task retries
stay for what the policy never saw, such as a worker losing its connection to
the Prefect API mid-task.
"""

from __future__ import annotations

from typing import Any

from art.config_errors import ConfigError
from connectors.confluence_api import ConfluenceError
from connectors.graph_client import GraphCallFailed
from connectors.http import RetriesExhaustedError
from connectors.jira import JiraError
from flows.steps.secrets import SecretError

_SETTLED: tuple[type[BaseException], ...] = (
    RetriesExhaustedError,
    JiraError,
    ConfluenceError,
    GraphCallFailed,
    ConfigError,
    SecretError,
)


def not_yet_retried(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect `retry_condition_fn`: retry only failures the HTTP policy did not handle."""
    from flows.art_calendar import CalendarSyncFailed
    from flows.steps.publishing import PublishFailed

    error = state.data
    return not isinstance(error, (*_SETTLED, PublishFailed, CalendarSyncFailed))
