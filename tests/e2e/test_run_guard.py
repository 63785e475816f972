"""Two runs of one flow for one ART never publish at once: the second waits, or gives up
clearly. The other run is played by the test holding the same Prefect concurrency slot."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from flows.runs.run_guard import RunInProgress, guard_name
from tests.demo_copy import copy_demo_config

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]


class OtherRun:
    """Another run of `flow` for the demo ART, holding its publishing slot until released."""

    def __init__(self, flow: str) -> None:
        from flows.runs.run_guard import ensure_limit

        self.name = guard_name(flow, "Aurora ART")
        ensure_limit(self.name, 1)
        self.taken, self.released = threading.Event(), threading.Event()
        self.written_while_held: bool | None = None  # see release()
        self.thread = threading.Thread(target=self._hold)
        self.thread.start()
        assert self.taken.wait(30), "the slot was never taken"

    def _hold(self) -> None:
        from prefect.concurrency.sync import concurrency

        with concurrency(self.name, occupy=1, strict=True):
            self.taken.set()
            self.released.wait(60)

    def release(self, after: float, *, watching: Path) -> None:
        """Let go of the slot `after` seconds from now, noting whether `watching` was
        already written by then, while the slot was still held."""

        def let_go() -> None:
            self.written_while_held = watching.exists()
            self.released.set()

        threading.Timer(after, let_go).start()

    def __enter__(self) -> OtherRun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self.thread.join()


def test_the_second_run_gives_up_after_its_wait_and_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.art_calendar import art_calendar

    monkeypatch.setenv("RTE_PUBLISH_WAIT_SECONDS", "0.5")
    with OtherRun("art-calendar"), pytest.raises(RunInProgress) as raised:
        art_calendar(
            config_path=str(copy_demo_config(tmp_path / "art")), out_dir=str(tmp_path / "out")
        )
    assert str(raised.value).startswith(
        "another run of art-calendar for Aurora ART has been publishing for over 0 s "
        "(concurrency limit 'rte-publish-art-calendar-aurora-art'); this run published nothing."
    )
    assert not (tmp_path / "out").exists()


def test_the_second_run_waits_for_the_first_and_then_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.art_calendar import art_calendar

    monkeypatch.setenv("RTE_PUBLISH_WAIT_SECONDS", "60")
    published = tmp_path / "out" / "art-calendar.ics"
    with OtherRun("art-calendar") as other:
        other.release(after=1.5, watching=published)
        run = art_calendar(
            config_path=str(copy_demo_config(tmp_path / "art")), out_dir=str(tmp_path / "out")
        )
    assert other.written_while_held is False  # it waited for the other run
    assert run.file_changed and published.is_file()


def test_other_flows_of_the_art_and_dry_runs_do_not_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.art_calendar import art_calendar

    # Held until the end: a run that waited for it would give up after 20 s.
    monkeypatch.setenv("RTE_PUBLISH_WAIT_SECONDS", "20")
    with OtherRun("nightly-health"):
        assert art_calendar(
            config_path=str(copy_demo_config(tmp_path / "art")), out_dir=str(tmp_path / "out")
        ).file_changed
    with OtherRun("art-calendar"):
        dry = art_calendar(
            config_path=str(copy_demo_config(tmp_path / "art")),
            out_dir=str(tmp_path / "out"),
            dry_run=True,
        )
    assert dry.file_changed is False
