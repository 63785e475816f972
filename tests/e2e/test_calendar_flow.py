"""The art_calendar flow under the shared Prefect harness: the .ics file, and Outlook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar

from flows.cli.common import DEMO_CONFIG
from tests.calendar_builders import DEMO
from tests.cloud_builders import CLIENT, TENANT, entra_for, private_cloud
from tests.demo_copy import copy_demo_config
from tests.fakes.graph import GraphFake
from tests.integration.outlook_fixtures import LONG_AGO, MAILBOX

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]


def run(**kwargs: object):  # type: ignore[no-untyped-def]
    from flows.art_calendar import art_calendar

    return art_calendar(**kwargs)


def test_the_flow_writes_the_calendar_once_and_then_leaves_it_alone(tmp_path: Path) -> None:
    config = str(copy_demo_config(tmp_path / "art"))
    first = run(config_path=config, out_dir=str(tmp_path / "out"))
    target = tmp_path / "out" / "art-calendar.ics"
    assert first.backend == "ics" and first.file_changed and first.target == str(target)
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert len(events) == len(first.plan.events) == 75
    written = target.stat().st_mtime_ns
    second = run(config_path=config, out_dir=str(tmp_path / "out"))
    assert second.file_changed is False and target.stat().st_mtime_ns == written


def test_ics_file_and_dry_run(tmp_path: Path) -> None:
    config = str(copy_demo_config(tmp_path / "art"))
    run(config_path=config, out_dir=str(tmp_path / "out"), dry_run=True)
    assert not (tmp_path / "out").exists()
    elsewhere = tmp_path / "shared" / "train.ics"
    run(config_path=config, out_dir=str(tmp_path / "out"), ics_file=str(elsewhere))
    assert elsewhere.is_file() and not (tmp_path / "out").exists()


SECRET = "Xy7~calendar-app-secret"


@pytest.fixture
def outlook_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, GraphFake]]:
    """The demo ART on an Outlook mailbox in a private Microsoft cloud: the Graph fake,
    signed in to through an Entra ID fake, as production signs in to Microsoft's."""
    monkeypatch.setenv("RTE_TENANT", TENANT)
    monkeypatch.setenv("RTE_CLIENT", CLIENT)
    monkeypatch.setenv("RTE_SECRET", SECRET)
    graph = GraphFake(mailboxes=(MAILBOX,))
    with graph.running(), entra_for(graph, tmp_path, secret=SECRET) as entra:
        data = dict(DEMO)
        data["calendar"] = {
            **DEMO["calendar"],
            "backend": "outlook",
            "mailbox": MAILBOX,
            "tenant_id": "env:RTE_TENANT",
            "client_id": "env:RTE_CLIENT",
            "client_secret": "env:RTE_SECRET",
            **private_cloud(entra, graph),
        }
        data["jira"] = {**DEMO["jira"], "export_dir": str(DEMO_CONFIG.parent / "jira")}
        data["state_dir"] = str(tmp_path / "state")
        path = tmp_path / "art.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        yield path, graph


def test_the_flow_syncs_outlook_and_a_rerun_writes_nothing(
    outlook_config: tuple[Path, GraphFake],
) -> None:
    path, graph = outlook_config  # nothing patched: the flow signs in and syncs for real
    dry = run(config_path=str(path), dry_run=True, since=LONG_AGO)
    assert dry.outcome is None and dry.changes[-1].startswith("75 to create")
    assert graph.batch_count() == 0
    first = run(config_path=str(path), since=LONG_AGO)
    assert first.outcome.created == 75 == len(graph.events())
    graph.reset_log()
    again = run(config_path=str(path))  # since now: history is not even looked at
    assert again.outcome.created == again.outcome.updated == 0 and graph.batch_count() == 0
