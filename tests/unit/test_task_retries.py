"""One retry layer: Prefect retries a task only for failures the HTTP policy never saw."""

from __future__ import annotations

import pytest
from prefect.states import Failed

from art.config_errors import ConfigError, Problem
from connectors.graph_client import GraphCallFailed
from connectors.http import RetriesExhaustedError
from connectors.jira import JiraUnavailableError
from flows.art_calendar import CalendarSyncFailed
from flows.runs.task_retries import not_yet_retried
from flows.steps.publishing import PublishFailed
from flows.steps.secrets import SecretError


@pytest.mark.parametrize(
    "error",
    [
        RetriesExhaustedError("GET /rest/api/3/search/jql", 6, 12.5, 503, None),
        JiraUnavailableError("Jira at https://x: 503 after retries"),
        GraphCallFailed("Microsoft Graph: HTTP 403"),
        PublishFailed("2 of 16 page(s) not published"),
        CalendarSyncFailed("Microsoft Graph, mailbox m@x: 1 change(s) failed"),
        ConfigError([Problem("jira.url", "is required")]),
        SecretError("environment variable JIRA_TOKEN is not set"),
    ],
)
def test_errors_the_http_policy_already_retried_or_that_cannot_heal_are_final(
    error: Exception,
) -> None:
    assert not_yet_retried(None, None, Failed(data=error)) is False


def test_other_failures_keep_prefects_task_retries() -> None:
    assert not_yet_retried(None, None, Failed(data=ConnectionResetError("API gone"))) is True


def test_every_retrying_flow_task_uses_the_condition() -> None:
    import flows.art_calendar
    import flows.nightly_health
    import flows.pi_objectives

    retrying = [
        task
        for module in (flows.nightly_health, flows.pi_objectives, flows.art_calendar)
        for task in vars(module).values()
        if getattr(task, "retries", 0)
    ]
    assert len(retrying) == 6
    assert all(task.retry_condition_fn is not_yet_retried for task in retrying)
