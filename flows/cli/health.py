"""`rte health`, `rte demo` and `rte flow-export`: the nightly check by hand, and its flow data.

`health` runs the nightly check once on an ART's own art.yaml, exactly as the
schedule runs it; `demo` runs the three flows (health, PI objective pages,
calendar) on the embedded demo ART, offline; `flow-export` writes the flow
data for ActionableAgile.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.common import (
    DEMO_CONFIG,
    ConfigOption,
    DryRunOption,
    OutDir,
    PrefectOption,
    PruneOption,
    TodayOption,
    VerboseOption,
    console,
    load_config,
    parse_day,
    say,
    warn,
)
from flows.cli.errors import UsageProblem
from flows.cli.publish import run_calendar, run_objectives
from flows.cli.running import HEALTH, RunMode

if TYPE_CHECKING:
    from flows.steps.health_check import HealthRun


def health(
    config: ConfigOption,
    out: OutDir = Path("out"),
    dry_run: DryRunOption = False,
    today: TodayOption = None,
    prune: PruneOption = False,
    prefect: PrefectOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the nightly health check once, as the schedule runs it; --dry-run writes nothing."""
    with RunMode.choose(prefect=prefect, verbose=verbose) as mode:
        run_health(mode, config, out=out, dry_run=dry_run, today=today, prune=prune)


def demo(
    out: OutDir = Path("out"),
    today: TodayOption = None,
    prefect: PrefectOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Run the three flows on the embedded demo ART, offline: health, objectives, calendar."""
    config = demo_config(out)
    with RunMode.choose(prefect=prefect, verbose=verbose) as mode:
        run_health(mode, config, out=out, dry_run=False, today=today)
        run_objectives(mode, config, out=out, dry_run=False, today=today)
        run_calendar(mode, config, out=out, dry_run=False, ics=None, table=False)


def demo_config(out: Path) -> Path:
    """The demo ART's art.yaml as this demo runs it: its data where they ship, its state
    (the lock and the store) under `out`, never beside the data."""
    import yaml

    data = yaml.safe_load(DEMO_CONFIG.read_text(encoding="utf-8"))
    shipped = DEMO_CONFIG.parent.resolve()
    data["jira"]["export_dir"] = str(shipped / data["jira"]["export_dir"])
    data["objectives"]["file"] = str(shipped / data["objectives"]["file"])
    state = out.resolve() / ".rte"
    data["state_dir"] = str(state)
    state.mkdir(parents=True, exist_ok=True)
    path = state / "demo-art.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run_health(
    mode: RunMode,
    config_path: Path,
    *,
    out: Path,
    dry_run: bool,
    today: str | None,
    prune: bool = False,
) -> None:
    """The nightly check on `config_path`, then its summary."""
    started = time.perf_counter()
    run: HealthRun = mode.run(
        HEALTH, config_path, out=out, dry_run=dry_run, today=parse_day(today), prune=prune
    )
    from reports.summary import summary_table

    console.print(summary_table(run.report))
    _say_published(run, out, dry_run, time.perf_counter() - started)


def _say_published(run: HealthRun, out: Path, dry_run: bool, seconds: float) -> None:
    published = run.published
    for line in published.pages.plan_lines(every=dry_run):
        say(f"  {line}")
    say(published.pages.summary())
    if dry_run:
        say(f"Dry run: would write {out / 'health.json'}, {out / 'health.html'} and the charts")
    else:
        changed = sorted(name for name, done in published.files_changed.items() if done)
        say(
            f"Wrote {out / 'health.json'} and {out / 'health.html'} in {seconds:.1f} s "
            f"({len(changed)} of {len(published.files_changed)} files changed)"
        )
    say(f"Escalation: {run.escalation}")


def flow_export(
    config: ConfigOption,
    out: Annotated[
        Path,
        typer.Option("--out", help="The CSV file to write.", show_default=False, dir_okay=False),
    ],
    level: Annotated[
        str | None,
        typer.Option(help="story or feature: whose board (default: the Program Kanban's)."),
    ] = None,
) -> None:
    """Write the flow data as an ActionableAgile Analytics CSV (a date column per state)."""
    art = load_config(config)
    from flows.runs.secret_blocks import prefect_secrets
    from flows.steps.bootstrap import bootstrap
    from flows.steps.flow_export import UnknownLevelError, write_flow_export

    adapters = bootstrap(art, out.parent, secrets=prefect_secrets())
    try:
        written = write_flow_export(adapters.jira, art, out, level)
    except UnknownLevelError as exc:
        raise UsageProblem(str(exc)) from None
    export = written.export
    say(
        f"{'Wrote' if written.changed else 'Unchanged:'} {out}: {len(export.rows)} "
        f"{written.level} items, {len(export.header) - 6} states"
    )
    if export.skipped:
        left_out = sum(len(keys) for keys in export.skipped.values())
        statuses = "; ".join(
            f"'{status}' ({len(keys)}: {', '.join(keys)})"
            for status, keys in export.skipped.items()
        )
        warn(
            f"left out {left_out} item(s) in statuses on no state of the board: {statuses}; "
            "add each status to a state (kanban.states or the board's columns) to export them"
        )
