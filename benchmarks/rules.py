"""How the flow rules and metrics scale: time and peak memory on 10,000 and 100,000 items.

Generates a train of N work items (one in ten a feature on the Program
Kanban, the rest stories of 10 teams) with 10 status changes each on average
(1,000,000 transitions at N = 100,000), impediments, cross-team "blocks"
links and sprints, then runs every flow rule and metric the nightly check
runs, each on its own. Prints per rule: the time, the time over the lower
bound (one pass that orders every item's transitions: no rule can read a
history in less), the peak memory it allocated (tracemalloc, in a second run,
since tracing slows the code), and how its time grew from 10k to 100k items
(10x is linear). The nightly check reads every history once into a timeline
index (its own line) that the flow rules share: each rule's line is its work
on a fresh copy of that index; "all of the above" builds it too.

Times are the best of --repeat runs, with the generated items frozen out of
the garbage collector's scans (gc.freeze), as long-lived data should be.

Then the PI outlook on the same train: the 1,000 features created last are
planned for the running PI and forecast with 10,000 trials from the teams'
own throughput (`rules.forecast`, reading the night's shared timeline index,
as the nightly check does), and the 1,000 before them are planned for the
next PI and weighed against the teams' capacity (`rules.capacity`). The
figures that have a bound are printed beside it: every flow rule together
(`evaluate_flow`, "all of the above") at most 1.0 s on 100,000 items and
at most 11x its time on 10,000; the forecast at most 0.5 s.

`--dump FILE` writes, per size, the nightly check's findings and metrics on
the generated train (`health.json` as `rte health` writes it) and the flow
export of both levels, so a rewrite of the rules can be proved to give
identical results: dump before, dump after, diff.

Usage: .venv/bin/python benchmarks/rules.py [--sizes 10000 100000] [--seed 7] [--repeat 3]
       [--dump FILE]
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from art.cadence import planning_intervals
from art.config import ArtConfig
from art.config_check import validate_config
from art.model import (
    FlaggedInterval,
    Link,
    StatusCategory,
    Transition,
    WorkItem,
)
from rules.aging import aging_on
from rules.blocked import blocked_on
from rules.board import Board
from rules.board_index import BoardIndex
from rules.capacity import evaluate_capacity
from rules.cumulative_flow import cumulative_flow_on
from rules.data_quality import no_history_findings, team_findings
from rules.dependency import dependency_findings
from rules.flow_export import flow_export
from rules.flow_health import evaluate_flow, flow_boards
from rules.flow_metrics import BoardFlow, reporting_periods
from rules.forecast import forecast_pi
from rules.health import evaluate_health
from rules.stale import stale_on
from rules.timeline import ordered_transitions
from rules.timeline_index import TimelineIndex
from rules.wip import wip_limit_findings

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 17, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")
TEAMS = [f"Team {n}" for n in range(10)]
FEATURE_FLOW = [
    ("Funnel", "to_do"),
    ("Analyzing", "to_do"),
    ("Program Backlog", "to_do"),
    ("Implementing", "in_progress"),
    ("Validating", "in_progress"),
    ("Releasing", "in_progress"),
    ("Done", "done"),
]
STORY_FLOW = [
    ("To Do", "to_do"),
    ("In Progress", "in_progress"),
    ("In Review", "in_progress"),
    ("Done", "done"),
]
CATEGORY = {
    "to_do": StatusCategory.TO_DO,
    "in_progress": StatusCategory.IN_PROGRESS,
    "done": StatusCategory.DONE,
}

CONFIG = validate_config(
    {
        "art": {"name": "Benchmark ART", "timezone": "Europe/Berlin"},
        "teams": [{"name": team} for team in TEAMS],
        "jira": {"backend": "export", "export_dir": "none"},
        "kanban": {
            "level": "feature",
            "states": [
                {
                    "name": name,
                    "statuses": [name],
                    "wip_limit": 50 if category == "in_progress" else None,
                }
                for name, category in FEATURE_FLOW
            ],
            "team_states": [
                {"name": "To Do", "statuses": ["To Do"]},
                {"name": "In Progress", "statuses": ["In Progress", "Blocked"], "wip_limit": 40},
                {"name": "In Review", "statuses": ["In Review"], "wip_limit": 20},
                {"name": "Done", "statuses": ["Done"]},
            ],
        },
        "cadence": {
            "pis": [
                {"name": "PI 2026.3", "start": "2026-07-27"},
                {"name": "PI 2026.4", "start": "2026-10-05"},
            ]
        },
        "rules": {"wait_states": ["Validating", "Blocked"]},
    }
)


INDEX = "timeline index (every history, once)"
ALL_RULES = "all of the above (evaluate_flow)"
FORECAST = "forecast (1,000 features, 10,000 trials)"
CAPACITY = "capacity (next PI, 1,000 features)"
BOUNDS = {ALL_RULES: 1.0, FORECAST: 0.5}  # seconds, at the largest size
GROWTH_BOUND = 11.0  # how much longer all of the above may take on 10x the items
PLANNED = 1_000
OUTLOOK_CONFIG = validate_config(
    CONFIG.model_dump(mode="json", exclude_defaults=True)
    | {
        "cadence": {
            "pis": [
                {"name": "PI 2026.3", "start": "2026-07-27"},
                {"name": "PI 2026.4", "start": "2026-10-05", "label": "pi-2026.4"},
                {"name": "PI 2027.1", "start": "2026-12-14", "label": "pi-2027.1"},
            ]
        },
        "forecast": {"trials": 10_000},
    }
)


def generate(count: int, seed: int) -> list[WorkItem]:
    """`count` items, 10 transitions each on average, all in the year before NOW."""
    rng = random.Random(seed)
    items = []
    for number in range(1, count + 1):
        feature = number % 10 == 0
        flow = FEATURE_FLOW if feature else STORY_FLOW
        created = NOW - timedelta(days=rng.uniform(5, 365))
        when, position = created, 0
        transitions = [Transition(created, None, flow[0][0])]
        for _ in range(rng.randint(5, 13)):  # 9 moves on average, plus the creation
            step = rng.choice((-1, 1, 1, 1, 2)) if position < len(flow) - 1 else -1
            new = min(max(position + step, 0), len(flow) - 1)
            if new == position:
                new = position - 1 if position else 1
            when = min(when + timedelta(hours=rng.expovariate(1 / 30)), NOW)
            status = (
                "Blocked"
                if not feature and flow[new][0] == "In Progress" and rng.random() < 0.1
                else flow[new][0]
            )
            transitions.append(Transition(when, transitions[-1].to_status, status))
            position = new
        status = transitions[-1].to_status
        category = CATEGORY[flow[position][1]]
        team = None if feature else TEAMS[number % len(TEAMS)] if rng.random() > 0.01 else None
        flags = ()
        if rng.random() < 0.05:
            start = created + (when - created) * rng.random()
            flags = (
                FlaggedInterval(start, None if rng.random() < 0.5 else start + timedelta(days=2)),
            )
        links = ()
        if not feature and rng.random() < 0.02:
            other = max(1, number - rng.randint(1, 50))
            links = (Link("blocks", rng.random() < 0.5, f"BEN-{other}"),)
        sprint = f"{team} 2026.4-{rng.randint(1, 5)}" if team and rng.random() < 0.8 else None
        items.append(
            WorkItem(
                key=f"BEN-{number}",
                issue_type="Feature" if feature else rng.choice(("Story", "Story", "Bug", "Task")),
                level="feature" if feature else "story",
                summary=f"Item {number}",
                status=status,
                status_category=category,
                created=created,
                parent=f"BEN-{number - number % 10 or 10}" if not feature else None,
                team=team,
                estimate=rng.choice((1.0, 2.0, 3.0, 5.0, 8.0, None)),
                work_type=rng.choice(("Business", "Enabler", "Maintenance")),
                updated=when,
                iteration=sprint,
                transitions=tuple(transitions),
                flagged=flags,
                links=links,
            )
        )
    return items


def workloads(items: list[WorkItem], config: ArtConfig) -> dict[str, Callable[[], Any]]:
    """Each rule and metric as the nightly check runs it, on both boards where it applies."""
    boards = flow_boards(items, config, config.kanban.columns())
    settings = config.rules
    pis = planning_intervals(config.cadence)
    periods = reporting_periods(pis, TODAY)
    levels = list(boards.items())
    teams = config.team_names()
    story_board = boards["story"]

    def wip() -> Any:
        found = wip_limit_findings(items, boards["feature"].columns, level="feature")
        by_team: dict[str | None, list[WorkItem]] = {}
        for item in items:
            by_team.setdefault(item.team, []).append(item)
        for value, name in teams.items():
            found += wip_limit_findings(
                by_team.get(value, []), story_board.columns, level="story", team=name
            )
        return found

    timeline = TimelineIndex.of(items)

    def on_board(level: str, board: Board) -> BoardIndex:
        """A board over a fresh copy of the night's index: nothing computed by an earlier
        run is reused, as nothing is in a real night."""
        fresh = replace(timeline)
        return BoardIndex(fresh, board, fresh.level_mask(level))

    def flow() -> Any:
        results = []
        for level, board in levels:
            index = on_board(level, board)
            by_board = BoardFlow(
                index, periods, zone=ZONE, now=NOW, wait_states=settings.wait_states
            )
            results.append(by_board.of(index.scope))
            if level == "story":
                masks = index.timeline.team_masks(teams)
                results += [by_board.of(masks[value]) for value in teams]
        return results

    return {
        "lower bound: order every history": lambda: [ordered_transitions(i) for i in items],
        INDEX: lambda: TimelineIndex.of(items),
        "boards (categories from items)": lambda: flow_boards(
            items, config, config.kanban.columns()
        ),
        "wip-limit": wip,
        "aging-wip": lambda: [
            aging_on(
                on_board(level, board), level=level, now=NOW, percentile=85, window_days=180
            ).findings()
            for level, board in levels
        ],
        "blocked": lambda: [
            blocked_on(
                on_board(level, board),
                level=level,
                now=NOW,
                threshold_days=3,
                blocked_statuses={"Blocked"},
                blocking_link="blocks",
            )
            for level, board in levels
        ],
        "stale": lambda: [
            stale_on(on_board(level, board), level=level, now=NOW, stale_days=10)
            for level, board in levels
        ],
        "dependency": lambda: dependency_findings(items, pis, today=TODAY, blocking_link="blocks"),
        "data-quality": lambda: [
            team_findings(items, teams, level="story", team_field=config.jira.fields.team),
            *(no_history_findings(items, board, level=level) for level, board in levels),
        ],
        "flow metrics (ART + 10 teams)": flow,
        "cumulative flow (features, PI)": lambda: cumulative_flow_on(
            on_board("feature", boards["feature"]),
            level="feature",
            start=periods[0].start,
            end=TODAY,
            zone=ZONE,
        ),
        "flow export (stories)": lambda: flow_export(
            items, story_board, level="story", zone=ZONE, now=NOW, blocked_statuses={"Blocked"}
        ),
        ALL_RULES: lambda: evaluate_flow(
            items, config, config.kanban.columns(), today=TODAY, generated_at=NOW
        ),
        **outlook(items),
    }


def outlook(items: list[WorkItem]) -> dict[str, Callable[[], Any]]:
    """The forecast of the running PI and the load of the next one, each on 1,000 features
    (the last created, and the 1,000 before them), on the night's shared timeline index."""
    features = sorted((i for i in items if i.level == "feature"), key=lambda i: i.created)
    marks = {f.key: "pi-2026.4" for f in features[-PLANNED:]}
    marks |= {f.key: "pi-2027.1" for f in features[-2 * PLANNED : -PLANNED]}
    planned = [
        replace(i, fields=MappingProxyType({"labels": (marks[i.key],)})) if i.key in marks else i
        for i in items
    ]
    timeline = TimelineIndex.of(planned)
    columns = OUTLOOK_CONFIG.kanban.columns()
    return {
        FORECAST: lambda: forecast_pi(
            planned, OUTLOOK_CONFIG, columns, today=TODAY, timeline=replace(timeline)
        ),
        CAPACITY: lambda: evaluate_capacity(planned, OUTLOOK_CONFIG, today=TODAY),
    }


def dump_results(items: list[WorkItem], config: ArtConfig, size: int, out: Any) -> None:
    """The nightly check's JSON and both levels' flow export of the train, as text."""
    from reports.flow_csv import flow_csv
    from reports.health_json import health_json

    report = evaluate_health(
        items, (), config, config.kanban.columns(), today=TODAY, generated_at=NOW
    )
    out.write(f"== {size} items: health.json\n")
    out.write(health_json(report))
    for level, board in flow_boards(items, config, config.kanban.columns()).items():
        export = flow_export(
            items, board, level=level, zone=ZONE, now=NOW, blocked_statuses={"Blocked"}
        )
        out.write(f"== {size} items: flow export, {level}\n")
        out.write(flow_csv(export))
        out.write(f"skipped: {dict(export.skipped)}\n")


def timed(work: Callable[[], Any]) -> float:
    gc.collect()
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def peak_memory(work: Callable[[], Any]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def parsed_arguments(description: str) -> argparse.Namespace:
    """The options every train benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="time each the best of N runs")
    parser.add_argument(
        "--dump", type=Path, help="write the findings and metrics to this file; time nothing"
    )
    return parser.parse_args()


def compare(
    args: argparse.Namespace,
    make: Callable[[int, int], list[WorkItem]],
    loads: Callable[[list[WorkItem]], dict[str, Callable[[], Any]]],
) -> dict[int, dict[str, tuple[float, int]]]:
    """Time each workload on a train of each size and print the largest train's table: the
    time, the time over the first workload's (the lower bound), the peak memory, and how
    the time grew from the smallest train."""
    results: dict[int, dict[str, tuple[float, int]]] = {}
    for size in args.sizes:
        started = time.perf_counter()
        items = make(size, args.seed)
        transitions = sum(len(item.transitions) for item in items)
        print(
            f"{size:,} items, {transitions:,} transitions, generated in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        gc.freeze()  # the items live for the whole run: the collector need not scan them
        results[size] = {
            name: (min(timed(work) for _ in range(args.repeat)), peak_memory(work))
            for name, work in loads(items).items()
        }
        gc.unfreeze()
        del items
    small, large = min(args.sizes), max(args.sizes)
    bound = next(iter(results[large].values()))[0]
    print()
    print(
        f"{'rule or metric':40} {'time':>8} {'x bound':>8} {'peak MiB':>9} "
        f"{f'{large / small:.3g}x items':>12}"
    )
    for name, (seconds, peak) in results[large].items():
        growth = seconds / results[small][name][0] if small != large else float("nan")
        print(
            f"{name:40} {seconds:7.2f}s {seconds / bound:8.1f} {peak / 2**20:9.1f} {growth:11.1f}x"
        )
    print()
    return results


def main() -> None:
    args = parsed_arguments(__doc__.splitlines()[0])
    if args.dump is not None:
        with args.dump.open("w", encoding="utf-8") as out:
            for size in args.sizes:
                dump_results(generate(size, args.seed), CONFIG, size, out)
        print(f"Wrote {args.dump}")
        return
    results = compare(args, generate, lambda items: workloads(items, CONFIG))
    small, large = min(args.sizes), max(args.sizes)
    checks = [
        (f"{ALL_RULES} on {large:,} items", results[large][ALL_RULES][0], BOUNDS[ALL_RULES], "s"),
        (
            f"{FORECAST}, the slower size",
            max(results[size][FORECAST][0] for size in args.sizes),
            BOUNDS[FORECAST],
            "s",
        ),
    ]
    if small != large:
        growth = results[large][ALL_RULES][0] / results[small][ALL_RULES][0]
        checks.append((f"{ALL_RULES}, {small:,} to {large:,} items", growth, GROWTH_BOUND, "x"))
    for what, figure, limit, unit in checks:
        verdict = "within" if figure <= limit else "OVER"
        print(f"{what}: {figure:.2f}{unit} ({verdict} the bound of {limit:g}{unit})")


if __name__ == "__main__":
    main()
