"""Link artifacts in a real Prefect API: a page title is shown as text, never as markdown."""

from __future__ import annotations

import pytest

from flows.runs.artifacts import Link, RunRecord, leave_artifacts
from flows.steps.secrets import Secrets
from tests.config_builders import art_config

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]
HOSTILE = "PI 2026.4 - Team [Atlas](https://evil.example.com) *now* <b>x</b>"
URL = "https://wiki.example.com/display/ART/Team+Atlas+link-title-test"


def test_a_link_title_goes_into_the_link_artifact_escaped() -> None:
    from prefect import flow
    from prefect.client.orchestration import get_client

    record = RunRecord(
        flow="pi-objectives",
        art="Aurora ART",
        dry_run=False,
        headline="1 created",
        links=[Link(HOSTILE, URL)],
    )

    @flow(name="link-artifact-test")
    def publish() -> None:
        leave_artifacts(record, art_config(), Secrets())

    publish()
    with get_client(sync_client=True) as client:
        texts = [str(artifact.data) for artifact in client.read_artifacts()]
    [shown] = [text for text in texts if text.startswith("[") and text.endswith(f"]({URL})")]
    assert "\\[Atlas\\]\\(https://evil.example.com\\)" in shown and "\\*now\\*" in shown
    assert "<b>" not in shown and "&lt;b&gt;" in shown
