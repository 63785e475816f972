"""What does reading Jira Cloud cost, in requests and in time, against the lower bound?

Against the Jira fake with a set latency per request (default 50 ms) and a
seeded synthetic site (default 20,000 issues, histories of realistic length),
this prints, for a full sync and for an incremental sync after 2% of the
issues changed:

  * requests made, and the lower bound: ceil(N/100) search pages +
    ceil(N/1000) bulkfetch calls + 1 (the field list) for N issues; for an
    incremental sync, N is the changed issues, plus ceil(total/5000) id-only
    pages (the least that notices deletions), and no field list;
  * wall time, and the latency lower bound (lower-bound requests x latency,
    one request at a time: /search/jql pages are chained by their tokens);
  * the same for the common approach of other tools: search pages with
    `expand=changelog`, then the per-issue changelog endpoint for every issue
    whose embedded history was cut off (Cloud embeds at most 40).

It also checks that the incremental sync's result equals a fresh full sync's.
Usage: .venv/bin/python benchmarks/jira_fetch.py [--issues N] [--latency S] [--changed PCT]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import SecretStr  # noqa: E402

from art.config import JiraAuth, JiraConfig  # noqa: E402
from connectors.http import RequestCounter, RetryPolicy  # noqa: E402
from connectors.http_requests import retrying_session  # noqa: E402
from connectors.jira import JiraCredentials, connect  # noqa: E402
from connectors.jira_fields import resolve_fields  # noqa: E402
from connectors.jira_json import parse_issues  # noqa: E402
from connectors.jira_sync import OVERLAP, scope_jql, sync_issues  # noqa: E402
from connectors.state_store import StateStore  # noqa: E402
from tests.fakes.jira import FakeJira  # noqa: E402
from tests.fakes.jira_data import synthetic_field_list, synthetic_issues  # noqa: E402
from tests.jira_builders import demo_fields  # noqa: E402

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
POLICY = RetryPolicy()


@dataclass
class Run:
    label: str
    requests: int
    lower_bound: int
    seconds: float
    latency: float
    issues: int

    def row(self) -> str:
        ratio = self.requests / self.lower_bound if self.lower_bound else float("nan")
        return (
            f"{self.label:<32}{self.issues:>8,}{self.requests:>10,}{self.lower_bound:>8,}"
            f"{ratio:>8.2f}x{self.seconds:>9.1f}{self.lower_bound * self.latency:>9.1f}"
        )


def full_bound(issues: int) -> int:
    return 1 + math.ceil(issues / 100) + math.ceil(issues / 1000)


def incremental_bound(changed: int, total: int) -> int:
    return full_bound(changed) - 1 + max(1, math.ceil(total / 5000))


def rte_sync(fake: FakeJira, config: JiraConfig, store: StateStore, full: bool) -> tuple:
    counter = RequestCounter()
    credentials = JiraCredentials(token=SecretStr(fake.token), user=SecretStr(fake.user or ""))
    site = connect(config, credentials, policy=POLICY, counter=counter)
    started = time.perf_counter()
    outcome = sync_issues(site, store, config, full=full, now=fake.now)
    return outcome, counter, time.perf_counter() - started


def common_approach(fake: FakeJira, jql: str, fields: list[str]) -> tuple[int, int, float]:
    """Search with expand=changelog, then page the changelog of every cut-off history."""
    counter = RequestCounter()
    session = retrying_session(POLICY, counter)
    session.auth = (fake.user or "", fake.token)
    started = time.perf_counter()
    issues, token = [], None
    while True:
        params = {"jql": jql, "fields": ",".join(fields), "expand": "changelog", "maxResults": 100}
        page = session.get(
            f"{fake.url}/rest/api/3/search/jql",
            params={**params, **({"nextPageToken": token} if token else {})},
        ).json()
        issues += page["issues"]
        token = page.get("nextPageToken")
        if not token:
            break
    for issue in issues:
        changelog = issue["changelog"]
        if changelog["total"] <= len(changelog["histories"]):
            continue
        start = 0
        while True:
            page = session.get(
                f"{fake.url}/rest/api/3/issue/{issue['id']}/changelog",
                params={"startAt": start, "maxResults": 100},
            ).json()
            start += len(page["values"])
            if page["isLast"] or not page["values"]:
                break
    return len(issues), counter.total, time.perf_counter() - started


def change_some(fake: FakeJira, share: float, rng: random.Random) -> int:
    """Move `share` of the issues one status on (or edit them), as a day of work would."""
    keys = sorted(issue["key"] for issue in fake.issues.values())
    chosen = rng.sample(keys, round(len(keys) * share))
    fake.advance(hours=20)
    for key in chosen:
        status = fake._find(key)["fields"]["status"]["name"]
        target = {"To Do": "In Progress", "In Progress": "In Review", "In Review": "Done"}
        if status in target:
            fake.transition(key, target[status])
        else:
            fake.edit(key, summary=f"{key} edited")
    fake.advance(hours=4)
    return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=20_000)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--changed", type=float, default=2.0, help="percent changed")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    print(f"Generating {args.issues:,} issues ...", flush=True)
    issues = synthetic_issues(args.issues, seed=args.seed, now=NOW, project="SYN")
    lengths = [len(issue["changelog"]["histories"]) for issue in issues]
    fake = FakeJira("cloud", fields=synthetic_field_list(), now=NOW, latency=args.latency)
    fake.add_issues(issues, owned=True)
    del issues
    config = JiraConfig(
        backend="cloud",
        url="http://placeholder",
        projects=("SYN",),
        fields=demo_fields(),
        auth=JiraAuth(user="env:JIRA_USER", token="env:JIRA_TOKEN"),
    )
    runs: list[Run] = []
    with fake.running(), tempfile.TemporaryDirectory() as folder:
        config = config.model_copy(update={"url": fake.url})
        jql = f"{scope_jql(config)} ORDER BY key ASC"
        with StateStore.in_dir(Path(folder) / "rte") as store:
            print("rte: full sync ...", flush=True)
            full, counter, seconds = rte_sync(fake, config, store, full=True)
            runs.append(
                Run(
                    "full sync: rte",
                    counter.total,
                    full_bound(args.issues),
                    seconds,
                    args.latency,
                    full.fetched,
                )
            )
            full_rows = counter.rows()
            fields = resolve_fields(config.fields, fake.field_list).requested()
            print("common approach: full ...", flush=True)
            count, requests, seconds = common_approach(fake, jql, fields)
            runs.append(
                Run(
                    "full sync: common approach",
                    requests,
                    full_bound(args.issues),
                    seconds,
                    args.latency,
                    count,
                )
            )

            changed = change_some(fake, args.changed / 100, random.Random(args.seed))
            print(f"Changed {changed:,} issues; rte: incremental sync ...", flush=True)
            incremental, counter, seconds = rte_sync(fake, config, store, full=False)
            bound = incremental_bound(changed, args.issues)
            runs.append(
                Run(
                    f"incremental ({args.changed:g}%): rte",
                    counter.total,
                    bound,
                    seconds,
                    args.latency,
                    incremental.fetched,
                )
            )
            incremental_rows = counter.rows()
            minutes = math.ceil((fake.now - full.synced_at + OVERLAP).total_seconds() / 60)
            count, requests, seconds = common_approach(
                fake, f"{scope_jql(config)} AND updated >= -{minutes}m ORDER BY key ASC", fields
            )
            runs.append(
                Run(
                    f"incremental ({args.changed:g}%): common",
                    requests,
                    bound,
                    seconds,
                    args.latency,
                    count,
                )
            )
        fake.latency = 0.0
        with StateStore.in_dir(Path(folder) / "check") as fresh:
            truth, _, _ = rte_sync(fake, config, fresh, full=True)
            started = time.perf_counter()
            records = fresh.records(fresh.scopes()[0])
            parse_issues(
                [r.issue for r in records],
                resolve_fields(config.fields, fake.field_list),
                config,
                {r.id: r.histories for r in records},
            )
            own_work = time.perf_counter() - started
        same = truth.parsed.items == incremental.parsed.items

    cut = sum(1 for length in lengths if length > 40) / len(lengths)
    print()
    print(
        f"Jira Cloud fake, {args.issues:,} synthetic issues ({cut:.1%} with more than 40 "
        f"histories, median {sorted(lengths)[len(lengths) // 2]}), {args.latency * 1000:.0f} ms "
        "a request, one request at a time"
    )
    print(
        f"{'':<32}{'issues':>8}{'requests':>10}{'bound':>8}{'ratio':>9}{'wall s':>9}{'bound s':>9}"
    )
    for run in runs:
        print(run.row())
    share = runs[2].requests / runs[0].requests
    print()
    print(
        f"rte full sync: {runs[0].requests / runs[0].lower_bound:.3f}x the lower bound "
        "(goal: at most 1.1x)"
    )
    print(
        f"rte incremental sync: {share:.1%} of a full sync's requests (goal: under 5%); "
        f"result identical to a fresh full sync: {'yes' if same else 'NO'}; it read "
        f"{runs[2].issues - changed} issue(s) beyond the {changed:,} changed, updated in the "
        f"{OVERLAP.total_seconds() / 60:.0f}-minute overlap before the full sync"
    )
    print(
        f"common approach, full sync: {runs[1].requests / runs[0].requests:.1f}x rte's "
        "requests; its incremental run cannot see deleted or moved-out issues"
    )
    print(
        f"of rte's full-sync wall time, reading the store and parsing {args.issues:,} issues "
        f"took {own_work:.1f} s (the fake serves from the same process, on the same cores)"
    )
    for title, rows in (("full", full_rows), ("incremental", incremental_rows)):
        print(
            f"rte {title} sync by endpoint: "
            + ", ".join(f"{endpoint} {count}" for endpoint, count, _ in rows)
        )


if __name__ == "__main__":
    main()
