"""How the flow rules and metrics scale: time and peak memory on 10,000 and 100,000 items.

Generates a train of N work items (one in ten a feature on the Program
Kanban, the rest stories of 10 teams) with 10 status changes each on average
(1,000,000 transitions at N = 100,000), impediments, cross-team "blocks"
links and sprints, then runs every flow rule and metric the nightly check
runs, each on its own. Prints per rule: the time, the time over the lower
bound (one pass that orders every item's transitions: no rule can read a
history in less), the peak memory it allocated (tracemalloc, in a second run,
since tracing slows the code), and how its time grew from 10k to 100k items
(10x is linear).

Times are the best of --repeat runs, with the generated items frozen out of
the garbage collector's scans (gc.freeze), as long-lived data should be.

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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
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
from rules.aging import aging_wip
from rules.blocked import blocked_findings
from rules.cumulative_flow import cumulative_flow
from rules.data_quality import no_history_findings, team_findings
from rules.dependency import dependency_findings
from rules.flow_export import flow_export
from rules.flow_health import evaluate_flow, flow_boards
from rules.flow_metrics import flow_metrics, reporting_periods
from rules.health import evaluate_health
from rules.stale import stale_findings
from rules.timeline import ordered_transitions
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
    teams = {team.team_value: team.name for team in config.teams}
    story_board = boards["story"]

    def scopes(level: str) -> list[list[WorkItem]]:
        """The level's items for the ART and, at the teams' level, for each team."""
        art = [item for item in items if item.level == level]
        if level != "story":
            return [art]
        by_team: dict[str | None, list[WorkItem]] = {}
        for item in art:
            by_team.setdefault(item.team, []).append(item)
        return [art, *(by_team.get(value, []) for value in teams)]

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

    return {
        "lower bound: order every history": lambda: [ordered_transitions(i) for i in items],
        "boards (categories from items)": lambda: flow_boards(
            items, config, config.kanban.columns()
        ),
        "wip-limit": wip,
        "aging-wip": lambda: [
            aging_wip(items, board, level=level, now=NOW, percentile=85, window_days=180).findings()
            for level, board in levels
        ],
        "blocked": lambda: [
            blocked_findings(
                items,
                board,
                level=level,
                now=NOW,
                threshold_days=3,
                blocked_statuses={"Blocked"},
                blocking_link="blocks",
            )
            for level, board in levels
        ],
        "stale": lambda: [
            stale_findings(items, board, level=level, now=NOW, stale_days=10)
            for level, board in levels
        ],
        "dependency": lambda: dependency_findings(items, pis, today=TODAY, blocking_link="blocks"),
        "data-quality": lambda: [
            team_findings(items, teams, level="story"),
            *(no_history_findings(items, board, level=level) for level, board in levels),
        ],
        "flow metrics (ART + 10 teams)": lambda: [
            flow_metrics(
                scoped, board, periods, zone=ZONE, now=NOW, wait_states=settings.wait_states
            )
            for level, board in levels
            for scoped in scopes(level)
        ],
        "cumulative flow (features, PI)": lambda: cumulative_flow(
            (i for i in items if i.level == "feature"),
            boards["feature"],
            level="feature",
            start=periods[0].start,
            end=TODAY,
            zone=ZONE,
        ),
        "flow export (stories)": lambda: flow_export(
            items, story_board, level="story", zone=ZONE, now=NOW, blocked_statuses={"Blocked"}
        ),
        "all of the above (evaluate_flow)": lambda: evaluate_flow(
            items, config, config.kanban.columns(), today=TODAY, generated_at=NOW
        ),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="time each the best of N runs")
    parser.add_argument(
        "--dump", type=Path, help="write the findings and metrics to this file; time nothing"
    )
    args = parser.parse_args()
    if args.dump is not None:
        with args.dump.open("w", encoding="utf-8") as out:
            for size in args.sizes:
                dump_results(generate(size, args.seed), CONFIG, size, out)
        print(f"Wrote {args.dump}")
        return
    results: dict[int, dict[str, tuple[float, int]]] = {}
    for size in args.sizes:
        started = time.perf_counter()
        items = generate(size, args.seed)
        transitions = sum(len(item.transitions) for item in items)
        print(
            f"{size:,} items, {transitions:,} transitions, generated in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        gc.freeze()  # the items live for the whole run: the collector need not scan them
        results[size] = {
            name: (min(timed(work) for _ in range(args.repeat)), peak_memory(work))
            for name, work in workloads(items, CONFIG).items()
        }
        gc.unfreeze()
        del items
    small, large = min(args.sizes), max(args.sizes)
    bound = results[large]["lower bound: order every history"][0]
    print()
    print(
        f"{'rule or metric':34} {'time':>8} {'x bound':>8} {'peak MiB':>9} "
        f"{f'{large / small:.3g}x items':>12}"
    )
    for name, (seconds, peak) in results[large].items():
        growth = seconds / results[small][name][0] if small != large else float("nan")
        print(
            f"{name:34} {seconds:7.2f}s {seconds / bound:8.1f} {peak / 2**20:9.1f} {growth:11.1f}x"
        )


if __name__ == "__main__":
    main()
