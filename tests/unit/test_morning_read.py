"""The nightly check remembers its nights: the escalation mails a finding once, the history
is backfilled once, a dry run writes nothing, a broken state file is said and rebuilt."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from connectors.config_file import read_config
from connectors.health_history import NIGHTS_FILE
from flows.steps.bootstrap import Adapters, bootstrap
from flows.steps.health_check import HealthRun, check_health
from reports.escalation_mail import Mail
from tests.demo_copy import copy_demo_config
from tests.page_parsing import Html

NIGHT = date(2026, 11, 19)


class Inbox:
    """An escalation that keeps each mail it is handed, as a mailbox would."""

    link = "health.html"

    def __init__(self) -> None:
        self.mails: list[Mail] = []

    def send(self, mail: Mail, *, dry_run: bool) -> str:
        if not dry_run:
            self.mails.append(mail)
        return f"kept {mail.subject}"

    def clear(self, *, dry_run: bool) -> None:
        """Nothing to take back from an inbox."""

    def keys(self, index: int) -> set[str]:
        """The keys of the items the mail links to."""
        links = Html(self.mails[index].html).links
        return {link.rsplit("/browse/", 1)[1] for link in links if "/browse/" in link}


def adapters(folder: Path, inbox: Inbox, **sections: Any) -> Adapters:
    config = copy_demo_config(folder, trends={"backfill_days": 3}, **sections)
    return bootstrap(read_config(config), folder / "out", escalation=inbox)


def night(run_adapters: Adapters, day: date, *, dry_run: bool = False) -> HealthRun:
    return check_health(run_adapters, dry_run=dry_run, today=day)


def test_the_same_critical_finding_is_mailed_once_not_every_night(tmp_path: Path) -> None:
    inbox = Inbox()
    train = adapters(tmp_path, inbox)
    first = critical(night(train, NIGHT))
    assert ("blocked", "AUR-89") in first and "AUR-89" in inbox.keys(0)  # blocked for 45 days

    second_run = night(train, NIGHT + timedelta(days=1))
    second = critical(second_run)
    assert ("blocked", "AUR-89") in second  # still open, and still critical ...
    assert len(inbox.mails) == 2
    assert "AUR-89" not in inbox.keys(1)  # ... but not mailed again
    newly = {subject for _, subject in second - first}  # new, or newly critical
    assert inbox.keys(1) and inbox.keys(1) <= newly
    assert {subject for subject in newly if subject.startswith("AUR-") and " " not in subject} <= (
        inbox.keys(1)
    )

    again = night(train, NIGHT + timedelta(days=1))  # a re-run of the same night
    assert len(inbox.mails) == 2
    assert "mailed by an earlier run for this night" in again.escalation
    # and it says what the first run of the night said
    assert again.report.morning is not None and second_run.report.morning is not None
    assert again.report.morning.since_last_run == second_run.report.morning.since_last_run
    assert again.report.morning.trends == second_run.report.morning.trends


def critical(run: HealthRun) -> set[tuple[str, str]]:
    return {(f.rule, f.subject) for f in run.report.findings if f.severity.value == "critical"}


def test_a_finding_still_open_after_remind_days_is_mailed_again(tmp_path: Path) -> None:
    inbox = Inbox()
    train = adapters(tmp_path, inbox, notifications={"remind_days": 3, "rte": "rte@example.com"})
    night(train, NIGHT)
    night(train, NIGHT + timedelta(days=1))
    assert "AUR-89" not in inbox.keys(-1)
    night(train, NIGHT + timedelta(days=3))
    assert "AUR-89" in inbox.keys(-1)


def test_the_first_run_backfills_the_trends_and_later_runs_add_their_night(tmp_path: Path) -> None:
    train = adapters(tmp_path, Inbox())
    first = night(train, NIGHT).report.morning
    assert first is not None and first.since_last_run.previous is None
    assert first.trends.nights == tuple(NIGHT - timedelta(days=n) for n in (3, 2, 1, 0))
    assert first.trends.replayed == first.trends.nights[:3]
    second = night(train, NIGHT + timedelta(days=1)).report.morning
    assert second is not None
    assert second.trends.nights == (*first.trends.nights, NIGHT + timedelta(days=1))
    assert second.trends.replayed == first.trends.replayed  # replayed once, kept
    assert second.trends.series["blocked"][:4] == first.trends.series["blocked"]
    assert second.since_last_run.previous_night == NIGHT


def test_a_dry_run_reads_the_history_and_writes_none(tmp_path: Path) -> None:
    train = adapters(tmp_path, Inbox())
    night(train, NIGHT)
    state = Path(train.config.state_dir) / "health"
    before = {path: path.read_bytes() for path in state.rglob("*.json")}
    dry = night(train, NIGHT + timedelta(days=1), dry_run=True).report.morning
    assert dry is not None and dry.since_last_run.previous_night == NIGHT  # read ...
    assert {path: path.read_bytes() for path in state.rglob("*.json")} == before  # ... not written


def test_a_broken_state_file_is_a_data_quality_finding_and_is_rebuilt(tmp_path: Path) -> None:
    train = adapters(tmp_path, Inbox())
    night(train, NIGHT)
    [nights_file] = (Path(train.config.state_dir) / "health").rglob(NIGHTS_FILE)
    nights_file.write_text('{"version": 1, "nights": {"2026-11-18": {"figures": 3}}}')
    report = night(train, NIGHT + timedelta(days=1)).report
    [problem] = [f for f in report.findings if f.data.get("problem") == "state-file"]
    assert problem.subject == "state directory" and str(nights_file) in problem.message
    assert report.metrics.data_quality["state-file"] == 1
    assert report.morning is not None and len(report.morning.trends.nights) == 4  # backfilled
    morning = night(train, NIGHT + timedelta(days=2)).report
    assert not [f for f in morning.findings if f.data.get("problem") == "state-file"]
