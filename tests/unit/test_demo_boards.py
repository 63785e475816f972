"""The demo ART's risks and program boards: the planted cases, the counts, the pictures."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from art.model import Severity
from connectors.config_file import read_config
from flows.steps.bootstrap import bootstrap
from flows.steps.health_check import check_health
from flows.steps.objective_pages import publish_objectives
from reports.health_json import health_json
from rules.health import HealthReport
from tests.demo_copy import copy_demo_config
from tests.demo_findings import PLANTED, demo_health, subjects

CLOCK = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def report() -> HealthReport:
    return demo_health(generated_at=CLOCK)[2]


def test_each_risk_rule_finds_its_planted_risk_and_no_other(report: HealthReport) -> None:
    assert subjects(report, "risk-unroamed") == set(PLANTED["risk_unroamed_late"])
    assert subjects(report, "risk-unowned") == set(PLANTED["risk_owned_without_assignee"])
    assert subjects(report, "risk-overdue") == set(PLANTED["risk_overdue"])
    assert subjects(report, "risk-stale") == set(PLANTED["risk_not_updated_for_14_days"])
    assert not subjects(report, "risk-unroamed") & set(PLANTED["risk_unroamed_in_time"])


def test_the_roam_board_counts_the_pis_risks_by_state(report: HealthReport) -> None:
    risks = report.metrics.risks
    assert dict(risks.counts.art) == {
        "unroamed": 2,
        "resolved": 1,
        "owned": 3,
        "accepted": 2,
        "mitigated": 2,
    }
    keys = {risk.key for risk in risks.risks}
    assert not keys & set(PLANTED["risk_resolved_before_pi_planning"])
    assert sum(risks.counts.teams["Comet"].values()) == 2  # the hostile one among them


def test_the_red_strings_of_the_board_are_the_dependency_findings(report: HealthReport) -> None:
    board = report.metrics.program_board.current
    assert board is not None and board.pi == "PI 2026.4"
    red = {f"{s.blocker} blocks {s.blocked}" for s in board.violations}
    links = PLANTED["blocks_links"]
    assert red == {*links["blocker_later"], *links["blocker_no_sprint"]}
    assert red == {
        f.subject
        for f in report.findings
        if f.rule == "dependency" and f.severity is not Severity.INFO
    }
    fine = {f"{s.blocker} blocks {s.blocked}" for s in board.strings if not s.red}
    assert fine >= {*links["same_sprint"], *links["resolved"], *PLANTED["feature_blocks_feature"]}
    assert len(fine) >= 5


def test_the_next_pi_has_a_board_of_its_labelled_features(report: HealthReport) -> None:
    board = report.metrics.program_board.next
    assert board is not None and board.pi == "PI 2027.1"
    on_board = {card.key for cell in board.cells for card in cell.cards}
    assert on_board == set(PLANTED["next_pi_features"])
    assert {f"{s.blocker} blocks {s.blocked}" for s in board.strings} == {
        "AUR-67 blocks AUR-189",
        "AUR-183 blocks AUR-72",
    }


def test_health_json_holds_the_roam_counts_and_the_violations_with_both_keys(
    report: HealthReport,
) -> None:
    metrics = json.loads(health_json(report))["metrics"]
    assert metrics["risks"]["by_roam"]["owned"] == 3
    violations = metrics["program_board"]["current"]["violations"]
    assert {(v["blocker"], v["blocked"]) for v in violations} == {
        ("AUR-474", "AUR-540"),
        ("AUR-480", "AUR-621"),
        ("AUR-620", "AUR-572"),
        ("AUR-638", "AUR-530"),
    }


def test_the_demo_writes_both_boards_and_the_art_page_embeds_the_running_pis(
    tmp_path: Path,
) -> None:
    adapters = bootstrap(read_config(copy_demo_config(tmp_path / "config")), tmp_path)
    check_health(adapters, dry_run=False, today=None)
    assert (tmp_path / "program-board.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "program-board-next.png").exists()
    publish_objectives(adapters, dry_run=False, today=None)
    pages = tmp_path / "pages"
    storage = (pages / "objectives-aurora-art-pi-2026-4-art.storage.xml").read_text()
    assert 'ri:filename="program-board.png"' in storage and "Risks (ROAM)" in storage
    attachments = pages / "objectives-aurora-art-pi-2026-4-art_attachments"
    assert (attachments / "program-board.png").exists()
