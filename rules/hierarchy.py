"""The SAFe backlog hierarchy as Jira holds it: stories under features under epics.

In SAFe an epic is split into features (through capabilities on a large
solution) and a feature into stories that fit an iteration; every roll-up,
budget and readiness rule walks that tree. Jira keeps it as a
parent reference on each issue (`parent` on Cloud, Epic Link / Parent Link on
Data Center), and nothing stops that reference from being wrong: missing,
pointing at an issue we never saw, at an issue of the same or a lower level,
or round in a circle. Each of those is a data-quality finding here, never a
crash and never an endless walk.

The rules follow only *effective* parent links: the parent exists among the
items, stands on a strictly higher level of `jira.hierarchy` (listed lowest
first), and the link is not part of a cycle (which link of a circle is the
wrong one is not ours to guess, so all are cut). Because the level rises
with every step, any walk up ends after at most as many steps as there are
levels, whatever the data says.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from art.model import Finding, Severity, WorkItem

RULE = "data-quality"


@dataclass(frozen=True, slots=True)
class HierarchyProblem:
    """A parent link the rules could not follow, and why."""

    kind: str  # "orphan" | "missing-parent" | "parent-level" | "cycle"
    keys: tuple[str, ...]  # the item (or, for a cycle, its members in link order)
    detail: str


@dataclass(frozen=True, slots=True)
class Hierarchy:
    """The items of mapped levels with their effective parent links."""

    levels: tuple[str, ...]  # lowest first, as in jira.hierarchy
    items: Mapping[str, WorkItem]
    parent_of: Mapping[str, str]  # key -> effective parent key
    children_of: Mapping[str, tuple[str, ...]]
    problems: tuple[HierarchyProblem, ...]

    def rank(self, item: WorkItem) -> int:
        """0 for the lowest level (stories), len(levels) - 1 for the top."""
        assert item.level is not None
        return self.levels.index(item.level)

    @property
    def top(self) -> int:
        return len(self.levels) - 1

    def children(self, key: str) -> tuple[WorkItem, ...]:
        return tuple(self.items[child] for child in self.children_of.get(key, ()))

    def ancestors(self, key: str) -> Iterator[WorkItem]:
        """Parent, grandparent, ... (bounded by the number of levels, see the module doc)."""
        current = self.parent_of.get(key)
        while current is not None:
            yield self.items[current]
            current = self.parent_of.get(current)

    def leaves_under(self, key: str) -> Iterator[WorkItem]:
        """The lowest-level items anywhere below `key`."""
        for child in self.children(key):
            if self.rank(child) == 0:
                yield child
            else:
                yield from self.leaves_under(child.key)

    def at_rank(self, rank: int) -> list[WorkItem]:
        return [item for item in self.items.values() if self.rank(item) == rank]


def build_hierarchy(items: Iterable[WorkItem], levels: Sequence[str]) -> Hierarchy:
    """Index the items of the configured levels and settle which parent links hold."""
    levels = tuple(levels)
    mapped = {item.key: item for item in items if item.level in levels}
    rank = {key: levels.index(item.level) for key, item in mapped.items() if item.level}
    in_cycle = _cycles(mapped)
    cycle_members = {key for cycle in in_cycle for key in cycle}
    problems: list[HierarchyProblem] = [
        HierarchyProblem("cycle", cycle, " -> ".join((*cycle, cycle[0]))) for cycle in in_cycle
    ]
    parent_of: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    for key in sorted(mapped, key=key_order):
        item = mapped[key]
        parent = item.parent
        if parent is None:
            if rank[key] < len(levels) - 1:
                problems.append(
                    HierarchyProblem("orphan", (key,), f"{item.level} without a parent")
                )
        elif parent not in mapped:
            problems.append(
                HierarchyProblem(
                    "missing-parent",
                    (key,),
                    f"its parent {parent} is not among the {', '.join(levels)} items read",
                )
            )
        elif key in cycle_members:
            continue  # reported once, as the cycle
        elif rank[parent] <= rank[key]:
            problems.append(
                HierarchyProblem(
                    "parent-level",
                    (key,),
                    f"its parent {parent} is a {mapped[parent].level}, not above a {item.level}",
                )
            )
        else:
            parent_of[key] = parent
            children.setdefault(parent, []).append(key)
    return Hierarchy(
        levels=levels,
        items=MappingProxyType(mapped),
        parent_of=MappingProxyType(parent_of),
        children_of=MappingProxyType({key: tuple(value) for key, value in children.items()}),
        problems=tuple(problems),
    )


def _cycles(items: Mapping[str, WorkItem]) -> list[tuple[str, ...]]:
    """Every cycle of raw parent links, each once, starting at its lowest key.

    Each item is visited once (colouring), so this ends on any input.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    cycles: list[tuple[str, ...]] = []
    for start in sorted(items, key=key_order):
        path: list[str] = []
        current: str | None = start
        while current is not None and current in items and current not in state:
            state[current] = 1
            path.append(current)
            current = items[current].parent
        if current is not None and state.get(current) == 1:
            cycle = path[path.index(current) :]
            first = min(range(len(cycle)), key=lambda index: key_order(cycle[index]))
            cycles.append(tuple(cycle[first:] + cycle[:first]))
        for key in path:
            state[key] = 2
    return sorted(cycles, key=lambda cycle: key_order(cycle[0]))


def hierarchy_findings(hierarchy: Hierarchy) -> list[Finding]:
    """Data-quality findings for the parent links the roll-up could not follow."""
    findings = []
    for problem in hierarchy.problems:
        subject = problem.keys[0]
        if problem.kind == "cycle":
            message = f"parent links go round in a circle: {problem.detail}; none is rolled up"
        elif problem.kind == "orphan":
            message = f"{problem.detail}: its points roll up to no {_above(hierarchy, subject)}"
        else:
            message = f"{problem.detail}; it is rolled up as if it had no parent"
        findings.append(
            Finding(
                rule=RULE,
                severity=Severity.WARNING,
                subject=subject,
                message=message,
                data={"problem": problem.kind, "items": list(problem.keys)},
            )
        )
    return findings


def _above(hierarchy: Hierarchy, key: str) -> str:
    rank = hierarchy.rank(hierarchy.items[key])
    return hierarchy.levels[rank + 1] if rank + 1 < len(hierarchy.levels) else "parent"


def key_order(key: str) -> tuple[str, int]:
    """AUR-9 before AUR-10: Jira keys sort by project, then number."""
    project, _, number = key.rpartition("-")
    return (project, int(number)) if number.isdigit() else (key, 0)
