"""What the reliability suites tried, counted as they run (for the summary at the end)."""

from __future__ import annotations

import sys
from collections import Counter


def summary_lines() -> list[str]:
    """One line per suite that ran in this session (modules not imported count nothing)."""
    lines = []
    crashes = {
        what: len(_module_list(f"tests.reliability.test_crash_{module}", "TRIED"))
        for what, module in (
            ("pages", "pages"),
            ("the calendar", "calendar"),
            ("the roll-up write-back", "write_back"),
        )
    }
    if any(crashes.values()):
        tried = ", ".join(f"{count} for {what}" for what, count in crashes.items())
        lines.append(f"crash points tried: {sum(crashes.values())} ({tried})")
    runs = _module_list("tests.reliability.test_fault_storms", "RUNS")
    if runs:
        by_service = Counter(run.split(":")[0] for run in runs)
        stopped = Counter(run.split(":")[0] for run in runs if run.endswith(":stopped"))
        rates = sorted({float(run.split(":")[2]) for run in runs})
        lines.append(
            f"storm runs: {len(runs)} at rates {', '.join(f'{r:.0%}' for r in rates)}; "
            + ", ".join(
                f"{service} {count} ({stopped[service]} stopped clearly)"
                for service, count in sorted(by_service.items())
            )
        )
    hostile = _module_list("tests.reliability.test_hostile_input", "TRIED")
    if hostile:
        lines.append(f"hostile strings tried: {len(hostile)} ({len(set(hostile))} distinct)")
    corpus = _module_list("tests.reliability.test_bad_inputs", "CHECKED")
    if corpus:
        kinds = Counter(case.split(":")[0] for case in corpus)
        lines.append(
            f"broken inputs: {len(corpus)} ("
            + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
            + ")"
        )
    secrets = _module_list("tests.reliability.test_secrets", "CHECKS")
    if secrets:
        lines.append(
            f"secrets checks: {len(secrets)} (each of the known values looked for in each of "
            f"{len(secrets) // len(_module_list('tests.reliability.test_secrets', 'VALUES'))} "
            "places: outputs, logs, Prefect, fakes, files, errors)"
        )
    return lines


def _module_list(module: str, name: str) -> list:
    loaded = sys.modules.get(module)
    return list(getattr(loaded, name, [])) if loaded is not None else []
