"""The health check's memory of earlier nights, as two small JSON files in the state directory.

`<state_dir>/health/<art-slug>/` holds:

- `nights.json`: each night's headline figures, at most `MAX_NIGHTS` nights
  (`{"version": 1, "nights": {"2026-11-19": {"replayed": false, "figures": {...}}}}`);
- `findings.json`: the findings of the last `MAX_RUNS` runs, one run a night, and
  the night each open finding was last mailed
  (`{"version": 1, "runs": [{"night", "run_at", "findings": [[rule, subject,
  severity, message], ...]}], "mailed": [[rule, subject, night], ...]}`).

Both are versioned and written atomically. A file that cannot be read (not
JSON, another version, a wrong shape) is never a crash: the history it held
starts again empty, `HealthHistory.problems` says so (the run reports it as a
data-quality finding), and the next write replaces it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from art.history import HealthHistory, Identity, NightFigures, RunFindings, SeenFinding
from art.model import Severity
from connectors.files import write_bytes_atomically

VERSION = 1
NIGHTS_FILE = "nights.json"
FINDINGS_FILE = "findings.json"
MAX_NIGHTS = 400  # over a year of trends
MAX_RUNS = 7  # a week of nights to compare a re-run or a replay with


class _Unreadable(ValueError):
    """A state file's content is not what this version of rte writes."""


@dataclass(frozen=True)
class HistoryFiles:
    """The history of one ART in its folder of the state directory."""

    folder: Path

    def read(self) -> HealthHistory:
        problems: list[str] = []
        nights = self._load(NIGHTS_FILE, _nights, (), problems)
        runs, mailed = self._load(FINDINGS_FILE, _findings, ((), {}), problems)
        return HealthHistory(nights, runs, mailed, tuple(problems))

    def write(self, history: HealthHistory) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        nights = sorted(history.nights, key=lambda night: night.night)[-MAX_NIGHTS:]
        runs = sorted(history.runs, key=lambda run: run.night)[-MAX_RUNS:]
        _write(self.folder / NIGHTS_FILE, {"version": VERSION, "nights": _nights_json(nights)})
        findings = {
            "version": VERSION,
            "runs": [_run_json(run) for run in runs],
            "mailed": [
                [rule, subject, night.isoformat()]
                for (rule, subject), night in sorted(history.mailed.items())
            ],
        }
        _write(self.folder / FINDINGS_FILE, findings)

    def _load(self, name: str, parse: Any, empty: Any, problems: list[str]) -> Any:
        path = self.folder / name
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return empty
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path} could not be read ({type(exc).__name__}); {_AGAIN}")
            return empty
        try:
            document = json.loads(text)
            if not isinstance(document, dict) or document.get("version") != VERSION:
                version = document.get("version") if isinstance(document, dict) else None
                raise _Unreadable(f"version {version!r}, not {VERSION}")
            return parse(document)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            problems.append(f"{path} is not a state file this rte reads ({_reason(exc)}); {_AGAIN}")
            return empty


_AGAIN = "its history starts again from this run"


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not JSON: line {exc.lineno}, column {exc.colno}"
    return str(exc) or type(exc).__name__


def _write(path: Path, document: dict[str, Any]) -> None:
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    write_bytes_atomically(path, (text + "\n").encode("utf-8"))


# --------------------------------------------------------------------------
# From JSON: every value checked, so a hand-edited file fails here, not in a rule


def _nights(document: dict[str, Any]) -> tuple[NightFigures, ...]:
    entries = _mapping(document["nights"], "nights")
    nights = []
    for night, entry in entries.items():
        fields = _mapping(entry, f"nights.{night}")
        figures = _mapping(fields["figures"], f"nights.{night}.figures")
        nights.append(
            NightFigures(
                night=date.fromisoformat(night),
                figures={str(name): _count(value, name) for name, value in figures.items()},
                replayed=_flag(fields["replayed"]),
            )
        )
    return tuple(sorted(nights, key=lambda entry: entry.night))


def _findings(document: dict[str, Any]) -> tuple[tuple[RunFindings, ...], dict[Identity, date]]:
    runs = tuple(_run(entry) for entry in _list(document["runs"], "runs"))
    mailed: dict[Identity, date] = {}
    for entry in _list(document["mailed"], "mailed"):
        rule, subject, night = _texts(entry, 3, "mailed")
        mailed[(rule, subject)] = date.fromisoformat(night)
    return tuple(sorted(runs, key=lambda run: run.night)), mailed


def _run(entry: Any) -> RunFindings:
    fields = _mapping(entry, "runs[]")
    run_at = datetime.fromisoformat(str(fields["run_at"]))
    if run_at.tzinfo is None:
        raise _Unreadable("a run_at without a time zone")
    return RunFindings(
        night=date.fromisoformat(str(fields["night"])),
        run_at=run_at,
        findings=tuple(_seen(finding) for finding in _list(fields["findings"], "findings")),
    )


def _seen(entry: Any) -> SeenFinding:
    rule, subject, severity, message = _texts(entry, 4, "findings[]")
    return SeenFinding(rule, subject, Severity(severity), message)


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Unreadable(f"{where} is not an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _Unreadable(f"{where} is not a list")
    return value


def _texts(value: Any, count: int, where: str) -> list[str]:
    if not (
        isinstance(value, list) and len(value) == count and all(isinstance(v, str) for v in value)
    ):
        raise _Unreadable(f"an entry of {where} is not {count} strings")
    return value


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Unreadable(f"the figure {name!r} is not a whole number")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Unreadable("'replayed' is not true or false")
    return value


# --------------------------------------------------------------------------
# To JSON


def _nights_json(nights: list[NightFigures]) -> dict[str, Any]:
    return {
        night.night.isoformat(): {"replayed": night.replayed, "figures": dict(night.figures)}
        for night in nights
    }


def _run_json(run: RunFindings) -> dict[str, Any]:
    return {
        "night": run.night.isoformat(),
        "run_at": run.run_at.isoformat(),
        "findings": [[f.rule, f.subject, f.severity.value, f.message] for f in run.findings],
    }
