"""Where an item is planned on the ART's cadence: the slot a program board shows it in.

Teams name their sprints their own way ("Atlas 2026.4-3", "PI 2026.4
Iteration 3"), so a sprint is placed on the cadence by finding a PI's name
(with or without a leading "PI") in it, followed by the iteration number.
A sprint that cannot be placed is kept as `OffCadence`, so the naming can
be fixed, rather than guessed.

An item is planned, in this order, by its own target-iteration field (when
`jira.fields.target_iteration` maps one), by its own sprint, or else by
the sprints of its children of its team: a feature is planned where its
last story is, because that is when it can be finished. A feature without
a team of its own belongs to the team most of its children belong to.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from art.model import PI, Iteration, WorkItem

NO_TEAM = "no team"  # the row, or count, of items no team is known for


@dataclass(frozen=True, slots=True)
class Slot:
    """An iteration of the cadence an item is planned in."""

    pi_index: int
    pi: str
    iteration: Iteration

    @property
    def order(self) -> tuple[int, int]:
        return (self.pi_index, self.iteration.number)


@dataclass(frozen=True, slots=True)
class OffCadence:
    """A sprint (or target iteration) whose name points at no iteration of the cadence."""

    sprint: str


Placement = Slot | OffCadence | None  # None: planned nowhere


def place_sprint(name: str, pis: Sequence[PI]) -> tuple[int, Iteration] | None:
    """The PI (by index) and iteration a sprint name points at, or None."""
    for pi_index, pi in enumerate(pis):
        for pattern in _patterns(pi.name):
            match = pattern.search(name)
            if match and 1 <= int(match.group("number")) <= len(pi.iterations):
                return pi_index, pi.iterations[int(match.group("number")) - 1]
    return None


@cache
def _patterns(pi_name: str) -> tuple[re.Pattern[str], ...]:
    bare = re.sub(r"^\s*PI\s+", "", pi_name, flags=re.IGNORECASE)
    names = sorted({pi_name, bare}, key=len, reverse=True)
    return tuple(
        re.compile(rf"(?<![\w.]){re.escape(text)}(?![\w])\D{{0,20}}?(?P<number>\d+)(?!\d)")
        for text in names
        if text
    )


class Planner:
    """Places the items of one snapshot on the cadence, and says which team each belongs to."""

    def __init__(self, items: Iterable[WorkItem], pis: Sequence[PI]) -> None:
        self.pis = tuple(pis)
        self.by_key: dict[str, WorkItem] = {}
        self._children: dict[str, list[WorkItem]] = {}
        for item in items:
            self.by_key[item.key] = item
            if item.parent is not None:
                self._children.setdefault(item.parent, []).append(item)
        self._placed: dict[str, Placement] = {}
        self._teams: dict[str, str | None] = {}
        self._slots: dict[str, Slot | OffCadence] = {}  # a train has few sprint names

    def slot_of(self, name: str) -> Slot | OffCadence:
        """A sprint or iteration name placed on the cadence, or kept as off it."""
        if name not in self._slots:
            placed = place_sprint(name, self.pis)
            self._slots[name] = (
                OffCadence(name)
                if placed is None
                else Slot(placed[0], self.pis[placed[0]].name, placed[1])
            )
        return self._slots[name]

    def team(self, item: WorkItem) -> str | None:
        """The item's team (the Jira value), or the one most of its children belong to."""
        if item.team is not None:
            return item.team
        if item.key not in self._teams:
            counts = Counter(c.team for c in self._children.get(item.key, ()) if c.team)
            ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
            self._teams[item.key] = ranked[0][0] if ranked else None
        return self._teams[item.key]

    def placement(self, item: WorkItem) -> Placement:
        """Where the item is planned: its target iteration, its sprint, or its team's children."""
        if item.key not in self._placed:
            self._placed[item.key] = self._own(item) or self._by_children(item)
        return self._placed[item.key]

    def _own(self, item: WorkItem) -> Slot | OffCadence | None:
        target = item.fields.get("target_iteration")
        if isinstance(target, str):
            return self.slot_of(target)
        return self.slot_of(item.iteration) if item.iteration else None

    def _by_children(self, item: WorkItem) -> Slot | None:
        placed = [
            (child, slot)
            for child in self._children.get(item.key, ())
            if isinstance(slot := self._own(child), Slot)
        ]
        team = self.team(item)
        mine = [slot for child, slot in placed if team is not None and child.team == team]
        return max(mine or [slot for _, slot in placed], key=lambda s: s.order, default=None)
