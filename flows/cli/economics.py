"""`rte rollup`, `rte budget`, `rte readiness`, `rte forecast`: the train's economics and
outlook from its Jira issues.

Each reads the issues as the nightly check does, prints its tables and
findings, and with `--json` writes them as one document; `rollup
--write-back` also writes each parent's rolled-up points to Jira.
`readiness` opens with the next PI's bottleneck teams and shows their load
against capacity; `forecast` is the current PI's Monte Carlo forecast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.common import (
    ConfigOption,
    JsonFile,
    TodayOption,
    console,
    load_config,
    parse_day,
    say,
    warn,
)
from flows.cli.errors import FAILED, UsageProblem

if TYPE_CHECKING:  # imported where used, to keep `rte --help` fast
    from art.config import ArtConfig
    from connectors.jira_write import WriteResult
    from flows.steps.bootstrap import Adapters
    from flows.steps.jira_snapshot import JiraSnapshot


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
    art = load_config(config)
    from flows.steps.rollup_write_back import write_back_metrics, write_back_rollup
    from reports.economics_json import rollup_json
    from reports.economics_output import command_json, section_tables, write_back_table
    from reports.economics_sections import rollup_section
    from rules.rollup import evaluate_rollup, plan_write_back

    target = art.jira.fields.rollup_points
    if (write_back or dry_run) and target is None:
        raise UsageProblem(
            f"{config}: jira.fields.rollup_points: is required for --write-back and --dry-run "
            "(the Number field that receives the rolled-up points)"
        )
    writing = write_back and not dry_run
    if writing and art.jira.backend == "export":
        raise UsageProblem(
            f"{config}: jira.backend is 'export': there is no Jira to write to; "
            "--dry-run prints what it would write"
        )
    adapters = _adapters(art)
    snapshot = _snapshot(adapters, today)
    report = evaluate_rollup(snapshot.items, art)
    metrics = rollup_json(report)
    tables = section_tables(rollup_section(report, report.findings))
    result = None
    if (dry_run or write_back) and target is not None:
        plan = plan_write_back(report.rows, report.hierarchy.items)
        unchanged = len(report.rows) - len(plan)
        if writing:
            result = write_back_rollup(adapters.live_jira(), snapshot, plan)
        outcomes = None if result is None else {w.key: result.outcome(w.key) for w in plan}
        tables.append(write_back_table(plan, field=target, unchanged=unchanged, outcomes=outcomes))
        metrics["write_back"] = write_back_metrics(
            plan, field=target, unchanged=unchanged, result=result
        )
    _show(
        tables,
        None,
        json_file,
        command_json(art.art.name, snapshot.as_of, metrics, report.findings),
    )
    if art.jira.backend != "export":
        counter = adapters.jira_counter
        cost = ", ".join(f"{endpoint}: {count}" for endpoint, count, _ in counter.rows())
        say(
            f"{counter.total} request(s) to Jira ({cost}), "
            f"{sum(counter.retries.values())} of them retries"
        )
    if result is not None:
        _judge_write_back(result)


def _judge_write_back(result: WriteResult) -> None:
    """Say whose watchers got mail and what failed; exit 1 if any write did not happen."""
    if result.notified:
        say(
            f"Jira lets only project or Jira admins edit without notifying watchers, so the "
            f"watchers of {len(result.notified)} issue(s) were notified"
        )
    if result.stopped:
        warn(
            f"rte rollup --write-back stopped: {result.stopped}; not attempted: "
            + ", ".join(result.not_attempted)
        )
    if result.failed:
        warn(f"rte rollup --write-back: {len(result.failed)} write(s) failed")
    if not result.ok:
        raise typer.Exit(FAILED)


def budget(config: ConfigOption, json_file: JsonFile = None, today: TodayOption = None) -> None:
    """Check the Lean budget guardrails: capacity allocation, spend, epic approval."""
    art = load_config(config)
    from reports.economics_json import guardrails_json
    from reports.economics_output import command_json, section_tables
    from reports.economics_sections import guardrail_section
    from rules.budget import evaluate_guardrails
    from rules.rollup import evaluate_rollup

    snapshot = _snapshot(_adapters(art), today)
    report = evaluate_guardrails(evaluate_rollup(snapshot.items, art), art, today=snapshot.as_of)
    note = f"{snapshot.as_of} is in no PI of cadence.pis: no capacity allocation, no spend"
    _show(
        section_tables(guardrail_section(report, report.findings)),
        note if report.pi is None else None,
        json_file,
        command_json(art.art.name, snapshot.as_of, guardrails_json(report), report.findings),
    )


def readiness(config: ConfigOption, json_file: JsonFile = None, today: TodayOption = None) -> None:
    """Check the next PI's features for PI Planning, rank them by WSJF, and weigh each team's
    load against its capacity (the bottleneck teams first)."""
    art = load_config(config)
    from reports.economics_json import readiness_json
    from reports.economics_output import command_json, section_tables
    from reports.economics_sections import readiness_section
    from reports.outlook_json import capacity_json
    from reports.outlook_sections import bottleneck_line, capacity_section
    from rules.capacity import evaluate_capacity
    from rules.hierarchy import build_hierarchy
    from rules.readiness import evaluate_readiness

    snapshot = _snapshot(_adapters(art), today)
    levels = [level.level for level in art.jira.hierarchy]
    report = evaluate_readiness(build_hierarchy(snapshot.items, levels), art, today=snapshot.as_of)
    capacity = evaluate_capacity(snapshot.items, art, today=snapshot.as_of)
    console.print(bottleneck_line(capacity), markup=False, highlight=False)
    note = (
        f"No PI after {snapshot.as_of} has a label or fix_version in cadence.pis: nothing to check"
    )
    findings = [*report.findings, *capacity.findings]
    body = readiness_json(report) | {"capacity": capacity_json(capacity)}
    _show(
        [
            *section_tables(readiness_section(report, report.findings)),
            *section_tables(capacity_section(capacity, capacity.findings, {})),
        ],
        note if report.marks is None else None,
        json_file,
        command_json(art.art.name, snapshot.as_of, body, findings),
    )


def forecast(config: ConfigOption, json_file: JsonFile = None, today: TodayOption = None) -> None:
    """Forecast when each open feature of the current PI is done (Monte Carlo, from the teams'
    own throughput) and how many of its features are done by its end."""
    art = load_config(config)
    from reports.economics_output import command_json, section_tables
    from reports.outlook_json import forecast_json
    from reports.outlook_sections import forecast_section, outlook_sentence
    from rules.forecast import forecast_pi

    snapshot = _snapshot(_adapters(art), today)
    report = forecast_pi(snapshot.items, art, snapshot.columns, today=snapshot.as_of)
    console.print(outlook_sentence(report), markup=False, highlight=False)
    section = forecast_section(report, report.findings, {})
    _show(
        section_tables(section),
        None,
        json_file,
        command_json(art.art.name, snapshot.as_of, forecast_json(report) or {}, report.findings),
    )


def _adapters(art: ArtConfig) -> Adapters:
    """The ART's adapters; the economics commands read Jira only (and write back to it)."""
    from flows.runs.secret_blocks import prefect_secrets
    from flows.steps.bootstrap import bootstrap

    return bootstrap(art, ".", secrets=prefect_secrets())


def _snapshot(adapters: Adapters, today: str | None) -> JiraSnapshot:
    """The train's issues as the nightly check reads them."""
    return adapters.jira.snapshot(parse_day(today))


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
