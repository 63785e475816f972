"""The one place the `rte` command turns a failure into a message and an exit code.

Every anticipated failure prints what to fix, with no traceback (`--verbose`
adds it), and exits with a documented code:

- 0: done;
- 1: the run failed: a service refused or could not be reached, some writes
  failed (the others are done; the next run finishes the job), another run
  holds the publishing slot, or a file could not be written;
- 2: the config, an option or a secret reference is wrong, the config does not
  fit the services it names (`rte check-config --online`), or `--today` lies before
  the oldest history read: fix it, run again;
- 130: interrupted (Ctrl-C): nothing is left half-written, and the next run
  finishes the job.

A config error lists every problem, one a line, under the file's name; every
other failure is one line, `rte COMMAND: what happened and what to do`.
Anything else is a bug, and shows its traceback.
"""

from __future__ import annotations

import signal
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import typer
from typer.core import TyperGroup

from flows.cli.common import CONFIG, VERBOSE, warn

DONE, FAILED, WRONG_INPUT, INTERRUPTED = 0, 1, 2, 130


class RteGroup(TyperGroup):
    """The `rte` command group: runs a command, and explains its anticipated failures."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]  # typer's own click
        with _ctrl_c_remembered():
            try:
                return super().invoke(ctx)
            except (typer.Exit, typer.Abort):  # typer's own way out
                raise
            except typer.TyperException as error:  # an option or argument that cannot be used
                message = getattr(error, "format_message", error.__str__)()
                warn(f"{_command(ctx)}: {message} (see {_command(ctx)} --help)")
                raise typer.Exit(WRONG_INPUT) from None
            except BaseException as error:
                explained = explain(error, command=_command(ctx), config=ctx.meta.get(CONFIG))
                if explained is None:
                    raise
                code, lines = explained
                if ctx.meta.get(VERBOSE):
                    traceback.print_exception(error)
                for line in lines:
                    warn(line)
                raise typer.Exit(code) from None


def explain(
    error: BaseException, *, command: str, config: object = None
) -> tuple[int, list[str]] | None:
    """The exit code and the lines that say what went wrong; None for a bug."""
    from art.config_errors import ConfigError
    from connectors.errors import ConnectorError
    from flows.runs.run_lock import RunInProgress
    from flows.steps.failures import RunFailed
    from flows.steps.secrets import SecretError
    from rules.as_of import BeforeHistory

    prefix = f"{command}: "
    if interrupted(error):  # whatever it ended in
        return INTERRUPTED, [
            prefix + "interrupted; what was written stays, nothing is half-written, "
            "and the next run finishes the job"
        ]
    if isinstance(error, ConfigError):
        source = error.source or config or "art.yaml"
        if len(error.problems) == 1:
            return WRONG_INPUT, [f"{source}: {error.problems[0]}"]
        heading = f"{source}: {len(error.problems)} problems"
        return WRONG_INPUT, [heading, *(f"  {problem}" for problem in error.problems)]
    if isinstance(error, SecretError | UsageProblem | ChecksFailed | BeforeHistory):
        return WRONG_INPUT, [prefix + str(error)]
    if isinstance(error, ConnectorError | RunFailed | RunInProgress | ServiceProblem):
        return FAILED, [prefix + str(error)]
    if isinstance(error, OSError) and error.filename is not None:
        reason = error.strerror or type(error).__name__
        return FAILED, [f"{prefix}{error.filename}: {reason}"]
    return None


# Set when Ctrl-C arrives. A library that catches the KeyboardInterrupt (Prefect, when it
# comes while a task run is being set up) may end in an error of its own: still Ctrl-C.
CTRL_C = threading.Event()


@contextmanager
def _ctrl_c_remembered() -> Iterator[None]:
    """While a command runs, Ctrl-C is remembered as well as raised (signals reach the main
    thread only; a command run from another thread keeps the handler it has)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    CTRL_C.clear()

    def interrupted(signum: int, frame: FrameType | None) -> None:
        CTRL_C.set()
        signal.default_int_handler(signum, frame)

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def interrupted(error: BaseException) -> bool:
    """Ctrl-C, or an error raised while handling one: Prefect's task engine can fail in its
    own crash handling when the interrupt lands as it creates a task run ("Task run is not
    set"), and that is still the user's Ctrl-C, not a bug to show."""
    if CTRL_C.is_set():
        return True
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__context__
    return False


class UsageProblem(Exception):
    """An option or an argument cannot be used as given (exit 2)."""


class ChecksFailed(Exception):
    """Checks of the config against the services found problems, listed already (exit 2)."""


class ServiceProblem(Exception):
    """Something rte runs beside itself (a local Prefect server) failed (exit 1)."""


def _command(ctx: typer.Context) -> str:
    """The command as typed ('rte blocks register'), for the message's prefix."""
    return f"{ctx.command_path} {ctx.invoked_subcommand or ''}".strip()
