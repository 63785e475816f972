"""`rte`: the command line of the Release Train Engineer's automation.

Prefect is imported only by the commands that run a flow, so `rte --help`
and `rte check-config` answer at once.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console

from art.config import ArtConfig, ConfigError

if TYPE_CHECKING:  # imported where used, to keep `rte --help` fast
    from collections.abc import Sequence

    from art.model import ArtEvent
    from connectors.http import RequestCounter
    from connectors.jira_write import WriteResult
    from flows.sources import JiraSnapshot
    from rules.rollup import RollupWrite

app = typer.Typer(
    name="rte",
    help="Automates a SAFe Release Train Engineer's routine: health checks, pages, calendar.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "examples" / "demo-art" / "art.yaml"

ConfigPath = Annotated[Path, typer.Argument(help="Path to art.yaml.", show_default=False)]


def _load(path: Path) -> ArtConfig:
    """Read art.yaml, or print every problem with its field path and exit 2."""
    from connectors.config_file import read_config

    try:
        return read_config(path)
    except ConfigError as exc:
        _print_problems(path, exc)


@app.command("check-config")
def check_config(path: ConfigPath) -> None:
    """Validate art.yaml; exit 0 if it is usable, else list every problem and exit 2."""
    config = _load(path)
    console.print(
        f"[green]OK[/] {path}: ART '{config.art.name}', {len(config.teams)} teams, "
        f"Jira backend '{config.jira.backend}'",
        highlight=False,
    )


@app.command("config-schema")
def config_schema() -> None:
    """Print the JSON Schema of art.yaml (for editor completion and validation)."""
    schema = ArtConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "rte art.yaml"
    typer.echo(json.dumps(schema, indent=2))


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for health.json, health.html, pages.")] = Path(
        "out"
    ),
    today: Annotated[
        str | None, typer.Option(help="Evaluate as of this date (YYYY-MM-DD).")
    ] = None,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's run logs.")] = False,
) -> None:
    """Run the nightly health check on the embedded demo ART, offline."""
    run_nightly(DEMO_CONFIG, out=out, today=today, verbose=verbose, ephemeral=True)
    run_calendar(DEMO_CONFIG, out=out, ics=None, verbose=verbose)


def run_nightly(config_path: Path, *, out: Path, today: str | None, verbose: bool,
                ephemeral: bool) -> None:
    """Run `nightly_health` in this process and print its summary."""
    _load(config_path)  # fail fast, before Prefect's start-up cost
    as_of = _parse_day(today)
    from flows.runtime import prepare_prefect

    prepare_prefect(ephemeral=ephemeral, quiet=not verbose)
    started = time.perf_counter()
    with console.status("Starting Prefect and running nightly-health ..."):
        from flows.nightly_health import nightly_health

        report = nightly_health(config_path=str(config_path), out_dir=str(out), today=as_of)
    from reports.summary import summary_table

    console.print(summary_table(report))
    console.print(
        f"Wrote {out / 'health.json'} and {out / 'health.html'} "
        f"in {time.perf_counter() - started:.1f} s",
        highlight=False,
    )


@app.command()
def sync(
    config: Annotated[
        Path, typer.Option("--config", help="Path to art.yaml.", show_default=False)
    ],
    full: Annotated[
        bool, typer.Option("--full", help="Read every issue again, not only what changed.")
    ] = False,
) -> None:
    """Sync the train's Jira issues into the state store; print the requests it cost."""
    art = _load(config)
    if art.jira.backend == "export":
        errors.print(f"{config}: jira.backend is 'export'; there is no Jira to sync", markup=False)
        raise typer.Exit(2)
    from rich.table import Table

    from connectors.jira import JiraError
    from flows.secrets import SecretError
    from flows.sources import sync_jira

    started = time.perf_counter()
    try:
        synced = sync_jira(art, full=full)
    except ConfigError as exc:  # a field name that matches no Jira field, or several
        errors.print(f"[bold red]{config}: {len(exc.problems)} problem(s)[/]", highlight=False)
        for problem in exc.problems:
            errors.print(f"  {problem}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    except (JiraError, SecretError) as exc:
        errors.print(f"rte sync: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    outcome = synced.outcome
    console.print(
        f"{outcome.mode.capitalize()} sync of {art.jira.url}: {outcome.fetched} issue(s) "
        f"fetched, {outcome.removed} removed, {len(outcome.parsed.items)} in the store "
        f"({len(outcome.parsed.rejected)} unreadable); {synced.requests.total} request(s) "
        f"in {time.perf_counter() - started:.1f} s",
        markup=False, highlight=False,
    )
    table = Table("endpoint", "requests", "of which retries")
    for endpoint, count, retries in synced.requests.rows():
        table.add_row(endpoint, str(count), str(retries))
    table.add_row("total", str(synced.requests.total), str(sum(synced.requests.retries.values())),
                  end_section=True, style="bold")
    console.print(table)


@app.command()
def calendar(
    config: Annotated[
        Path, typer.Option("--config", help="Path to art.yaml.", show_default=False)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Write the calendar to this .ics file instead.")
    ] = None,
    out: Annotated[Path, typer.Option(help="Output folder of the .ics backend.")] = Path("out"),
    verbose: Annotated[bool, typer.Option(help="Show Prefect's run logs.")] = False,
) -> None:
    """Print the ART calendar, then publish it: sync Outlook, or write the .ics file."""
    art = _load(config)
    from reports.calendar_table import adjustments_table, calendar_table
    from rules.calendar import plan_calendar

    try:
        plan = plan_calendar(art)
    except ConfigError as exc:  # e.g. a holiday country the holidays package does not know
        _print_problems(config, exc)
    console.print(calendar_table(plan, art.art.timezone))
    if plan.adjustments:
        console.print(adjustments_table(plan))
    if dry_run:
        _print_calendar_diff(art, plan.events, out, ics)
    else:
        run_calendar(config, out=out, ics=ics, verbose=verbose)


def _print_problems(path: Path, exc: ConfigError) -> NoReturn:
    """Print every problem with its field path, then exit 2."""
    errors.print(f"[bold red]{path}: {len(exc.problems)} problem(s)[/]", highlight=False)
    for problem in exc.problems:
        errors.print(f"  {problem}", markup=False, highlight=False)
    raise typer.Exit(2) from None


def _print_calendar_diff(
    art: ArtConfig, events: tuple[ArtEvent, ...], out: Path, ics: Path | None
) -> None:
    """The dry run: the Outlook changes a sync would make, or whether the .ics would change."""
    from datetime import UTC, datetime

    from connectors.graph_client import GraphCallFailed
    from connectors.http import RetriesExhaustedError
    from flows import calendar_sync
    from flows.secrets import SecretError

    if art.calendar.backend == "outlook" and ics is None:
        try:
            existing = calendar_sync.outlook_for(art).list_events(calendar_sync.art_prefix(art))
        except (GraphCallFailed, RetriesExhaustedError, SecretError) as exc:
            errors.print(f"rte calendar: {exc}", markup=False, highlight=False)
            raise typer.Exit(1) from None
        sync = calendar_sync.diff_calendar(art, events, existing, datetime.now(UTC))
        for line in calendar_sync.describe_plan(sync):
            console.print(f"Dry run: {line}", markup=False, highlight=False, soft_wrap=True)
        return
    target = calendar_sync.ics_target(art, out, str(ics) if ics else None)
    data = calendar_sync.render_calendar(art, events, target)
    same = target.is_file() and target.read_bytes() == data
    verdict = "unchanged" if same else "would be written"
    console.print(f"Dry run: {target} {verdict}", markup=False, highlight=False, soft_wrap=True)


def run_calendar(config_path: Path, *, out: Path, ics: Path | None, verbose: bool) -> None:
    """Run `art_calendar` in this process and print what it published."""
    from flows.runtime import prepare_prefect

    prepare_prefect(ephemeral=True, quiet=not verbose)
    with console.status("Starting Prefect and running art-calendar ..."):
        from connectors.graph_client import GraphCallFailed
        from connectors.http import RetriesExhaustedError
        from flows.art_calendar import CalendarSyncFailed, art_calendar
        from flows.secrets import SecretError

        try:
            run = art_calendar(
                config_path=str(config_path), out_dir=str(out), ics_file=str(ics) if ics else None
            )
        except (CalendarSyncFailed, GraphCallFailed, RetriesExhaustedError, SecretError) as exc:
            errors.print(f"rte calendar: {exc}", markup=False, highlight=False)
            raise typer.Exit(1) from None
    if run.outcome is not None:
        done = run.outcome
        console.print(
            f"Outlook {run.target}: {done.created} created, {done.updated} updated, "
            f"{done.removed} cancelled, {done.unchanged} unchanged, "
            f"{done.occurrences_cancelled} holiday occurrence(s) cancelled "
            f"in {done.batch_requests} $batch request(s)",
            markup=False, highlight=False, soft_wrap=True,
        )
    else:
        verdict = "Wrote" if run.file_changed else "Unchanged:"
        console.print(
            f"{verdict} {run.target} ({len(run.plan.events)} events)",
            markup=False, highlight=False, soft_wrap=True,
        )


@app.command("flow-export")
def flow_export(
    config: Annotated[
        Path, typer.Option("--config", help="Path to art.yaml.", show_default=False)
    ],
    out: Annotated[
        Path, typer.Option("--out", help="The CSV file to write.", show_default=False)
    ],
    level: Annotated[
        str | None,
        typer.Option(help="story or feature: whose board (default: the Program Kanban's)."),
    ] = None,
) -> None:
    """Write the flow data as an ActionableAgile Analytics CSV (a date column per state)."""
    art = _load(config)
    from connectors.jira import JiraError
    from connectors.jira_export import ExportFormatError, ExportNotFoundError
    from flows.flow_export import UnknownLevelError, write_flow_export
    from flows.secrets import SecretError

    try:
        written = write_flow_export(art, out, level)
    except (UnknownLevelError, ExportFormatError, ExportNotFoundError, JiraError,
            SecretError) as exc:
        errors.print(f"rte flow-export: {exc}", markup=False, highlight=False)
        raise typer.Exit(2 if isinstance(exc, UnknownLevelError) else 1) from None
    export = written.export
    console.print(
        f"{'Wrote' if written.changed else 'Unchanged:'} {out}: {len(export.rows)} "
        f"{written.level} items, {len(export.header) - 6} states",
        markup=False, highlight=False,
    )
    if export.skipped:
        errors.print(
            f"left out {len(export.skipped)} item(s) in a status on no state: "
            + ", ".join(export.skipped),
            markup=False, highlight=False,
        )


@app.command()
def objectives(
    config: Annotated[
        Path, typer.Option("--config", help="Path to art.yaml.", show_default=False)
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan (create, update, unchanged) only.")
    ] = False,
    out: Annotated[Path, typer.Option(help="Output folder of the files backend.")] = Path("out"),
    today: Annotated[
        str | None, typer.Option(help="Evaluate as of this date (YYYY-MM-DD).")
    ] = None,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's run logs.")] = False,
) -> None:
    """Publish the PI objective pages (one per team and PI, one for the ART) as a reconcile."""
    _load(config)  # fail fast, before Prefect's start-up cost
    as_of = _parse_day(today)
    from flows.runtime import prepare_prefect

    prepare_prefect(ephemeral=True, quiet=not verbose)
    with console.status("Starting Prefect and running pi-objectives ..."):
        from connectors.confluence import ConfluenceError
        from connectors.http import RetriesExhaustedError
        from connectors.jira import JiraError
        from flows.pi_objectives import pi_objectives
        from flows.publishing import PublishFailed
        from flows.secrets import SecretError

        try:
            run = pi_objectives(
                config_path=str(config), out_dir=str(out), dry_run=dry_run, today=as_of
            )
        except ConfigError as exc:  # the objectives file, or a Jira field mapping
            _print_problems(getattr(exc, "path", config), exc)
        except (ConfluenceError, PublishFailed, JiraError, RetriesExhaustedError,
                SecretError) as exc:
            errors.print(f"rte objectives: {exc}", markup=False, highlight=False)
            raise typer.Exit(1) from None
    from reports.objectives_summary import objective_findings_table, predictability_table

    console.print(predictability_table(run.report))
    if run.report.findings:
        console.print(objective_findings_table(run.report))
    published = run.published
    for line in published.plan_lines(every=dry_run):
        console.print(f"  {line}", markup=False, highlight=False)
    console.print(published.summary(), markup=False, highlight=False)


JsonFile = Annotated[
    Path | None, typer.Option("--json", help="Also write the result as JSON to this file.")
]
TodayOption = Annotated[str | None, typer.Option(help="Evaluate as of this date (YYYY-MM-DD).")]
ConfigOption = Annotated[
    Path, typer.Option("--config", help="Path to art.yaml.", show_default=False)
]


@app.command()
def rollup(
    config: ConfigOption,
    json_file: JsonFile = None,
    write_back: Annotated[
        bool,
        typer.Option(
            "--write-back", help="Write each parent's total into jira.fields.rollup_points."
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what --write-back would change; write nothing.")
    ] = False,
    today: TodayOption = None,
) -> None:
    """Roll story points up to features and epics; print the table and the findings."""
    art = _load(config)
    from connectors.http import RequestCounter
    from flows.rollup_write_back import write_back_metrics
    from reports.economics_output import command_json, section_tables, write_back_table
    from reports.economics_sections import rollup_section
    from rules.rollup import evaluate_rollup, plan_write_back

    target = art.jira.fields.rollup_points
    if (write_back or dry_run) and target is None:
        errors.print(
            f"{config}: jira.fields.rollup_points: is required for --write-back and --dry-run "
            "(the Number field that receives the rolled-up points)",
            markup=False, highlight=False,
        )
        raise typer.Exit(2)
    writing = write_back and not dry_run
    if writing and art.jira.backend == "export":
        errors.print(
            f"{config}: jira.backend is 'export': there is no Jira to write to; "
            "--dry-run prints what it would write",
            markup=False, highlight=False,
        )
        raise typer.Exit(2)
    counter = RequestCounter()
    snapshot = _economics_snapshot(config, art, "rollup", today, counter=counter)
    report = evaluate_rollup(snapshot.items, art)
    metrics = report.metrics()
    tables = section_tables(rollup_section(metrics, report.findings))
    result = None
    if (dry_run or write_back) and target is not None:
        plan = plan_write_back(report.rows, report.hierarchy.items)
        unchanged = len(report.rows) - len(plan)
        if writing:
            result = _write_back_rollup(art, snapshot, plan, counter)
        outcomes = None if result is None else {w.key: result.outcome(w.key) for w in plan}
        tables.append(write_back_table(plan, field=target, unchanged=unchanged, outcomes=outcomes))
        metrics["write_back"] = write_back_metrics(
            plan, field=target, unchanged=unchanged, result=result
        )
    _show(tables, None, json_file, command_json(art.art.name, snapshot.as_of, metrics,
                                                report.findings))
    if art.jira.backend != "export":
        cost = ", ".join(f"{endpoint}: {count}" for endpoint, count, _ in counter.rows())
        _say(f"{counter.total} request(s) to Jira ({cost}), "
             f"{sum(counter.retries.values())} of them retries")
    if result is not None:
        _judge_write_back(result)


def _judge_write_back(result: WriteResult) -> None:
    """Say whose watchers got mail and what failed; exit 1 if any write did not happen."""
    if result.notified:
        _say(f"Jira lets only project or Jira admins edit without notifying watchers, so the "
             f"watchers of {len(result.notified)} issue(s) were notified")
    if result.stopped:
        errors.print(f"rte rollup --write-back stopped: {result.stopped}; not attempted: "
                     + ", ".join(result.not_attempted), markup=False, highlight=False)
    if result.failed:
        errors.print(f"rte rollup --write-back: {len(result.failed)} write(s) failed",
                     markup=False, highlight=False)
    if not result.ok:
        raise typer.Exit(1)


def _write_back_rollup(art: ArtConfig, snapshot: JiraSnapshot, plan: Sequence[RollupWrite],
                       counter: RequestCounter) -> WriteResult:
    """The write, or a clear error and exit 1 if the credentials cannot be had."""
    from flows.rollup_write_back import write_back_rollup
    from flows.secrets import SecretError

    try:
        return write_back_rollup(art, snapshot, plan, counter)
    except SecretError as exc:
        errors.print(f"rte rollup: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None


@app.command()
def budget(config: ConfigOption, json_file: JsonFile = None, today: TodayOption = None) -> None:
    """Check the Lean budget guardrails: capacity allocation, spend, epic approval."""
    art = _load(config)
    from reports.economics_output import command_json, section_tables
    from reports.economics_sections import guardrail_section
    from rules.budget import evaluate_guardrails
    from rules.rollup import evaluate_rollup

    snapshot = _economics_snapshot(config, art, "budget", today)
    report = evaluate_guardrails(evaluate_rollup(snapshot.items, art), art, today=snapshot.as_of)
    metrics = report.metrics(art.budgets)
    note = f"{snapshot.as_of} is in no PI of cadence.pis: no capacity allocation, no spend"
    _show(
        section_tables(guardrail_section(metrics, report.findings)),
        note if report.pi is None else None,
        json_file,
        command_json(art.art.name, snapshot.as_of, metrics, report.findings),
    )


@app.command()
def readiness(config: ConfigOption, json_file: JsonFile = None, today: TodayOption = None) -> None:
    """Check the next PI's features for PI Planning and rank them by WSJF."""
    art = _load(config)
    from reports.economics_output import command_json, section_tables
    from reports.economics_sections import readiness_section
    from rules.hierarchy import build_hierarchy
    from rules.readiness import evaluate_readiness

    snapshot = _economics_snapshot(config, art, "readiness", today)
    levels = [level.level for level in art.jira.hierarchy]
    report = evaluate_readiness(
        build_hierarchy(snapshot.items, levels), art, today=snapshot.as_of
    )
    metrics = report.metrics()
    note = f"No PI after {snapshot.as_of} has a label in cadence.pis: nothing to check"
    _show(
        section_tables(readiness_section(metrics, report.findings)),
        note if report.label is None else None,
        json_file,
        command_json(art.art.name, snapshot.as_of, metrics, report.findings),
    )


def _economics_snapshot(
    config_path: Path,
    art: ArtConfig,
    command: str,
    today: str | None,
    *,
    counter: RequestCounter | None = None,
) -> JiraSnapshot:
    """The train's issues as the nightly check reads them, or a clear error and an exit."""
    from connectors.jira import JiraError
    from connectors.jira_export import ExportFormatError, ExportNotFoundError
    from flows.secrets import SecretError
    from flows.sources import fetch_snapshot

    as_of = _parse_day(today)
    try:
        return fetch_snapshot(art, as_of, counter=counter)
    except ConfigError as exc:  # a Jira field name that matches no field, or several
        _print_problems(config_path, exc)  # exits 2
        raise
    except (JiraError, SecretError, ExportFormatError, ExportNotFoundError) as exc:
        errors.print(f"rte {command}: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None


def _show(tables: list, note: str | None, json_file: Path | None, document: str) -> None:
    """Print a command's tables and note; write its JSON document where --json says."""
    for table in tables:
        console.print(table)
    if note:
        console.print(note, markup=False, highlight=False)
    if json_file is not None:
        from connectors.files import write_bytes_atomically

        write_bytes_atomically(json_file, document.encode("utf-8"))
        console.print(f"Wrote {json_file}", markup=False, highlight=False)


@app.command()
def serve(
    config: ConfigOption,
    out: Annotated[
        Path, typer.Option(help="Folder the runs write into (files backends).")
    ] = Path("out"),
    port: Annotated[
        int, typer.Option(help="Port of the local Prefect server, if one is started.")
    ] = 4200,
) -> None:
    """Run the three flows on their schedules from this machine until Ctrl-C.

    Serves against PREFECT_API_URL (or the active Prefect profile); without
    one, starts a local Prefect server (SQLite in state_dir) and stops it on exit.
    """
    art = _load(config)
    from flows.runtime import prepare_prefect

    prepare_prefect()
    from flows.local_server import ServerFailed
    from flows.serve import serve_art

    try:
        serve_art(art, config, out_dir=out, port=port, echo=_say)
    except ServerFailed as exc:
        errors.print(f"rte serve: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None


blocks_app = typer.Typer(
    help="Prefect blocks for the credentials art.yaml refers to.", no_args_is_help=True
)
app.add_typer(blocks_app, name="blocks")


@blocks_app.command("register")
def blocks_register(
    config: ConfigOption,
    env: Annotated[
        list[str] | None,
        typer.Option(
            "--env",
            help="BLOCK=VARIABLE: take the block's value from VARIABLE (default: the block "
            "name in upper case, jira-token from JIRA_TOKEN). Repeatable.",
        ),
    ] = None,
) -> None:
    """Save a Prefect Secret block for each prefect-secret: reference, from the environment."""
    import os

    from flows.blocks import BlocksError, block_sources, register_blocks, save_secret_block

    art = _load(config)
    pairs = [item.partition("=") for item in env or []]
    if any(not block or not sep or not variable for block, sep, variable in pairs):
        errors.print("--env: write BLOCK=VARIABLE, e.g. jira-token=JIRA_API_TOKEN", markup=False)
        raise typer.Exit(2)
    try:
        sources = block_sources(art, {block: variable for block, _, variable in pairs})
        if not sources:
            _say(f"{config} refers to no prefect-secret: block; nothing to register")
            return
        from flows.runtime import prepare_prefect

        prepare_prefect(quiet=True)
        for line in register_blocks(sources, os.environ, save_secret_block):
            _say(f"saved {line}")
    except BlocksError as exc:
        errors.print(f"rte blocks register: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from None


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False, soft_wrap=True)


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.print(f"--today: '{value}' is not a date such as 2026-11-20", markup=False)
        raise typer.Exit(2) from None


def main() -> None:
    app()
