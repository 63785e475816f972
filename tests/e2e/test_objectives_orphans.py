"""`rte objectives` when the plan drops pages and a person changes one, on the Confluence fake.

The demo ART's objective pages go to Confluence Cloud. Then the objectives
rename a PI: the old PI's pages are orphans, listed by the run and archived
with `--prune`; a person renames another page, which the run finds by the id
it remembered and reports in its output and in the run's findings artifact.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app
from flows.cli.common import DEMO_CONFIG
from tests.demo_copy import copy_demo_config
from tests.e2e.confluence_cloud import confluence_section
from tests.fakes.confluence import FakeConfluence

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]
RENAMED_PI = "PI 2026.4 (replanned)"


def art_yaml(
    fake: FakeConfluence,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    rename_pi: bool,
    on_drift: str,
) -> Path:
    """The demo's art.yaml on the fake; its objectives with PI 2026.4 renamed if asked."""
    shipped = yaml.safe_load((DEMO_CONFIG.parent / "objectives.yaml").read_text())
    if rename_pi:
        shipped["objectives"][RENAMED_PI] = shipped["objectives"].pop("PI 2026.4")
    objectives = folder / "objectives.yaml"
    objectives.write_text(yaml.safe_dump(shipped), encoding="utf-8")
    return copy_demo_config(
        folder,
        confluence=confluence_section(fake, monkeypatch, on_drift=on_drift),
        objectives={"source": "yaml", "file": str(objectives)},
    )


def objectives(config: Path, out: Path, *extra: str) -> str:
    args = ["objectives", "--config", str(config), "--out", str(out), "--today", "2026-11-20"]
    result = CliRunner().invoke(app, [*args, *extra])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_orphans_are_listed_then_archived_and_a_renamed_page_is_reported(
    fake: FakeConfluence, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    first = art_yaml(fake, tmp_path, monkeypatch, rename_pi=False, on_drift="report")
    assert "16 created" in objectives(first, tmp_path / "out")
    comet = fake.page_by_title("ART", "PI 2026.3 - Team Comet - PI Objectives")
    assert comet is not None
    fake.rename_page(comet.id, "Comet's PI 2026.3 (annotated)")

    replanned = art_yaml(fake, tmp_path, monkeypatch, rename_pi=True, on_drift="report")
    listed = objectives(replanned, tmp_path / "out", "--dry-run")
    assert "8 orphan(s)" in listed and "no longer planned (--prune archives it)" in listed
    assert "drift 'PI 2026.3 - Team Comet - PI Objectives' changed in Confluence" in listed

    from flows.pi_objectives import pi_objectives

    fake.reset_log()
    state = pi_objectives(
        config_path=str(replanned), out_dir=str(tmp_path / "out"), prune=True, return_state=True
    )
    run = state.result()
    assert "8 orphan(s) (8 archived)" in run.published.summary()
    assert [plan.key for plan in run.published.drifted] == [
        "objectives:aurora-art:pi-2026-3:team:comet"
    ]
    old = [page for page in fake.state.pages.values() if page.title.startswith("PI 2026.4 - ")]
    assert len(old) == 8 and {page.status for page in old} == {"archived"}
    assert fake.page_by_title("ART", "PI 2026.3 - Team Comet - PI Objectives") is None
    assert comet.title == "Comet's PI 2026.3 (annotated)" and comet.status == "current"
    with get_client(sync_client=True) as client:
        [table] = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["aurora-art-pi-objectives-findings"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]),
            ),
        )
    assert '"page-drift"' in str(table.data) and '"page-orphan"' in str(table.data)

    fake.reset_log()
    quiet = objectives(replanned, tmp_path / "out")
    assert "orphan" not in quiet and fake.write_count() == 0
