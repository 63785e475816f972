"""Nothing in the repository reads a file outside its own checkout.

CI runs `make test` in a fresh clone with nothing beside it (`.ci/run`). A
test or fake that reads a sibling folder (the vendor contracts once came from
a `shared` folder next to the checkout) or an absolute path on one machine
passes on that machine and fails everywhere else. So every tracked text file
is scanned for such paths, and a reintroduced read fails here, on any machine.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path, PurePosixPath

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = frozenset({"uv.lock"})  # generated; megabytes of hashes and registry URLs

# The patterns are spelled in pieces so that this file does not contain what it looks for.
SIBLING = re.compile(r"\.\./" + "shared")
ABSOLUTE = re.compile(r"(?<![\w.:/-])/" + r"work/")  # not the tail of a URL or a longer path
PARENTS = re.compile(r"\bparents\[(\d+)\]")
CLUES = ("../" + "shared", "/" + "work/", "parents[")


def problems(path: str, text: str) -> list[str]:
    """Every line of `path` that names a place outside the checkout, as `path:line: text`.

    Markdown may name the sibling folder: prose cannot read a file, and the README may
    say where the project came from. Nothing may name an absolute machine path."""
    if not any(clue in text for clue in CLUES):
        return []  # most files: no line to look at
    depth = len(PurePosixPath(path).parts)  # parents[depth - 1] of a file is the root
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        ups = [int(n) for n in PARENTS.findall(line)]
        escapes = (
            (SIBLING.search(line) and not path.endswith(".md"))
            or ABSOLUTE.search(line)
            or ("__file__" in line and any(up >= depth for up in ups))
            or ("shared" in line and any(up >= 3 for up in ups))
        )
        if escapes:
            found.append(f"{path}:{number}: {line.strip()}")
    return found


def tracked_texts() -> dict[str, str]:
    """Every file git tracks, as text, except `SKIPPED` and binary files."""
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    texts = {}
    for name in filter(None, listing.decode().split("\0")):
        if name in SKIPPED or not (ROOT / name).is_file():  # e.g. deleted, not yet committed
            continue
        data = (ROOT / name).read_bytes()
        try:
            if b"\0" not in data:
                texts[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # binary
    return texts


def test_no_tracked_file_reads_outside_the_checkout() -> None:
    texts = tracked_texts()
    assert "tests/contracts/jira-platform-subset.json" in texts  # the scan sees the repository
    assert [line for path, text in texts.items() for line in problems(path, text)] == []


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("tests/fakes/jira.py", 'CONTRACTS = Path("..") / ".." / "' + "../" + 'shared/x.json"'),
        ("Makefile", "\tcp ../" + "shared/contracts/*.json tests/"),
        ("tests/fakes/jira.py", "CONTRACTS = Path(__file__).resolve().parents[" + '3] / "x"'),
        ("tests/a.py", "HERE.parents[" + '3] / "shared" / "contracts"'),
        ("tests/e2e/x.py", 'SPEC = Path("/' + 'work/shared/contracts/spec.json")'),
        ("README.md", "Run `cd /" + "work/main && make test`."),
        (".ci/run", "cd /" + "work/wt-contracts"),
    ],
    ids=[
        "sibling",
        "sibling-in-make",
        "parents-past-root",
        "parents-and-shared",
        "absolute",
        "absolute-in-docs",
        "absolute-in-ci",
    ],
)
def test_a_path_outside_the_checkout_is_found(path: str, line: str) -> None:
    assert problems(path, f"first line\n{line}\n") == [f"{path}:2: {line.strip()}"]


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("tests/fakes/jira.py", 'DEMO = Path(__file__).resolve().parents[2] / "examples"'),
        ("tests/unit/test_rollup.py", "current = parents[current]"),
        ("README.md", "The blueprint is [DESIGN](../" + "shared/DESIGN.md)."),
        ("README.md", "See https://example.com/" + "work/items and ./" + "work/ below."),
        ("rules/flow_health.py", "shared = [item for item in train.items]"),
    ],
    ids=["parents-inside", "not-a-path", "docs-may-link", "url-and-relative", "plain-word"],
)
def test_paths_inside_the_checkout_pass(path: str, line: str) -> None:
    assert problems(path, line) == []
