"""Ctrl-C stays Ctrl-C, also when Prefect fails while handling it."""

from __future__ import annotations

from flows.cli.errors import INTERRUPTED, explain

INTERRUPTED_LINE = (
    "rte demo: interrupted; what was written stays, nothing is half-written, and the next run "
    "finishes the job"
)


def test_an_error_raised_while_handling_ctrl_c_is_still_the_interrupt() -> None:
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise ValueError("Task run is not set") from None  # as Prefect's crash handling does
    except ValueError as error:
        assert explain(error, command="rte demo") == (INTERRUPTED, [INTERRUPTED_LINE])
    assert explain(KeyboardInterrupt(), command="rte demo") == (INTERRUPTED, [INTERRUPTED_LINE])


def test_the_same_error_without_an_interrupt_is_a_bug_and_shows_its_traceback() -> None:
    assert explain(ValueError("Task run is not set"), command="rte demo") is None
