"""One retry layer: Prefect retries a task only for failures the HTTP policy never saw."""

from __future__ import annotations

import pytest
from prefect.states import Failed

from art.config_errors import ConfigError, Problem
from connectors.graph_client import GraphCallFailed
from connectors.http import RetriesExhaustedError
from connectors.jira import JiraUnavailableError
from connectors.jira_export import ExportFormatError, ExportNotFoundError
from flows.portfolio import PortfolioRunFailed
from flows.runs.task_retries import not_yet_retried
from flows.runs.tasks import task_of
from flows.steps.calendar import CalendarSyncFailed
from flows.steps.publishing import PublishFailed
from flows.steps.secrets import SecretError
from tests.pipelines import demo_steps


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
        ExportNotFoundError("Jira export folder not found: /x"),
        ExportFormatError("/x/fields.json: line 1, column 1: not valid JSON"),
        PortfolioRunFailed("1 of 3 ART run(s) did not complete"),
    ],
)
def test_errors_the_http_policy_already_retried_or_that_cannot_heal_are_final(
    error: Exception,
) -> None:
    assert not_yet_retried(None, None, Failed(data=error)) is False


def test_other_failures_keep_prefects_task_retries() -> None:
    assert not_yet_retried(None, None, Failed(data=ConnectionResetError("API gone"))) is True


def test_the_steps_that_talk_to_services_are_the_retried_tasks(tmp_path) -> None:  # type: ignore[no-untyped-def]
    steps = demo_steps(tmp_path)
    retried = {step.__name__ for step in steps if task_of(step).retries}
    assert retried == {
        "read_snapshot",
        "recall",  # the state directory's history and the objectives
        "publish",
        "remember",
        "read_objectives",
        "write_ics",
    }  # the demo's calendar is an .ics file: Outlook's list and apply are not run here
    for step in steps:
        made = task_of(step)
        assert made.name == step.__name__.replace("_", "-")
        if made.retries:
            assert made.retries == 2 and made.retry_condition_fn is not_yet_retried
        else:
            assert made.retry_condition_fn is None
