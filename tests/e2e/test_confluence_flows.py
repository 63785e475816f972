"""Both page-publishing flows against the Confluence Cloud fake, and `rte objectives` itself.

The demo ART with its pages going to Confluence: the first run creates them,
a second run with nothing changed sends no write at all (the fake's request
log says so), and `--dry-run` prints the plan without writing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.demo_copy import copy_demo_config
from tests.e2e.confluence_cloud import confluence_section
from tests.fakes.confluence import TOKEN, USER, FakeConfluence
from tests.fakes.server import Fault

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]
TODAY = date(2026, 11, 20)


@pytest.fixture
def config(fake: FakeConfluence, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo's art.yaml, publishing to the fake instead of a folder."""
    return copy_demo_config(tmp_path, confluence=confluence_section(fake, monkeypatch))


def test_pi_objectives_publishes_to_confluence_and_a_second_run_writes_nothing(
    fake: FakeConfluence, config: Path, tmp_path: Path
) -> None:
    from flows.pi_objectives import pi_objectives

    first = pi_objectives(config_path=str(config), out_dir=str(tmp_path), today=TODAY)
    assert first.published.count("created") == 16 and not first.published.failed
    art_page = fake.page_by_title("ART", "PI 2026.3 - Aurora ART - Program PI Objectives")
    assert art_page is not None and "84.1%" in art_page.body
    assert fake.attachment(art_page.id, "predictability.png") is not None
    comet = fake.page_by_title("ART", "PI 2026.4 - Team Comet - PI Objectives")
    assert comet is not None and "&lt;ac:structured-macro ac:name=&#34;html&#34;&gt;" in comet.body

    fake.reset_log()
    second = pi_objectives(config_path=str(config), out_dir=str(tmp_path), today=TODAY)
    assert second.published.count("unchanged") == 16
    assert fake.write_count() == 0
    assert second.published.writes == 0 and second.published.requests == fake.count()


def test_the_nightly_health_page_goes_to_confluence_with_its_charts_once(
    fake: FakeConfluence, config: Path, tmp_path: Path
) -> None:
    from flows.nightly_health import nightly_health

    nightly_health(config_path=str(config), out_dir=str(tmp_path), today=TODAY)
    page = fake.page_by_title("ART", "Aurora ART - ART Health")
    assert page is not None and page.version == 1
    attached = fake.state.attachments.get(page.id, {})
    assert attached and all(name.endswith(".png") for name in attached)
    for name in attached:
        assert f'ri:filename="{name}"' in page.body

    fake.reset_log()
    nightly_health(config_path=str(config), out_dir=str(tmp_path), today=TODAY)
    assert fake.write_count() == 0 and page.version == 1


def test_rte_objectives_dry_run_prints_the_plan_and_writes_nothing(
    fake: FakeConfluence, config: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    args = ["objectives", "--config", str(config), "--out", str(tmp_path), "--today", "2026-11-20"]
    result = runner.invoke(app, [*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "create     PI 2026.3 - Team Atlas - PI Objectives" in result.output
    assert "0 write(s)" in result.output.replace("\n", " ")
    assert (
        fake.write_count() == 0
        and fake.page_by_title("ART", "PI 2026.3 - Team Atlas - PI Objectives") is None
    )

    assert runner.invoke(app, args).exit_code == 0
    fake.reset_log()
    again = runner.invoke(app, [*args, "--dry-run"])
    assert "16 unchanged" in again.output.replace("\n", " ")
    assert fake.write_count() == 0


def test_a_failed_run_leaves_its_summary_under_the_flows_key_and_keeps_the_findings(
    fake: FakeConfluence, config: Path, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows.pi_objectives import pi_objectives

    fake.inject(Fault("status", status=500, times=None))
    state = pi_objectives(
        config_path=str(config), out_dir=str(tmp_path), today=TODAY, return_state=True
    )
    assert state.is_failed()
    run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id]))
        )
    shown = [artifact for artifact in artifacts if artifact.type is not None]  # not results
    [summary] = shown  # no findings table: the last good run's stays the latest
    assert summary.key == "aurora-art-pi-objectives-summary"
    assert "FAILED" in str(summary.data) and "Confluence" in str(summary.data)
    assert USER not in str(summary.data) and TOKEN not in str(summary.data)
