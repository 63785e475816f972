"""The board as it stood at a past moment, replayed from the items' histories.

`rte health --today DAY` evaluates the train as it was at the end of DAY:
one pure transformation of the snapshot, applied before the rules, so no
rule needs to know it is looking at the past. For each item:

- an item created after the moment did not exist yet: it is dropped;
- its status is the one its last status change at or before the moment led
  to (the history as `rules.timeline.ordered_transitions` reads it), and the
  status category that status has anywhere in the snapshot;
- its transitions and flagged intervals are cut at the moment (an interval
  still running then is open);
- `resolved` is the moment it entered its done status when it was done
  then, else None; `updated` is its last known change at or before the moment.

Jira keeps no history of the other fields in the snapshot (team, estimate,
sprint, links, labels): they keep today's values. An item with nothing
after the moment comes back unchanged, so a replay at or after the
snapshot's own moment is the snapshot itself.

The replay cannot reach before the oldest history read (`earliest_moment`):
a day that ends before it is refused (`BeforeHistory`), as the board then
would be an empty guess, not the past.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, tzinfo

from art.model import FlaggedInterval, StatusCategory, Transition, WorkItem
from rules.timeline import local_date, ordered_transitions


class BeforeHistory(ValueError):
    """The day asked for ends before the oldest history rte has read."""


def status_categories(items: Iterable[WorkItem]) -> dict[str, StatusCategory]:
    """Each status's Jira category, as the snapshot's items carry it (the first one seen)."""
    categories: dict[str, StatusCategory] = {}
    for item in items:
        categories.setdefault(item.status, item.status_category)
    return categories


def earliest_moment(items: Iterable[WorkItem]) -> datetime | None:
    """The oldest moment the histories reach: the first creation or status change of any
    item (imported items may carry changes older than their creation); None without items."""
    moments = [
        min([item.created, *(transition.at for transition in item.transitions)]) for item in items
    ]
    return min(moments) if moments else None


def check_reachable(items: Iterable[WorkItem], day: date, moment: datetime, zone: tzinfo) -> None:
    """Raise `BeforeHistory` when `moment` (the end of `day`) lies before the oldest history."""
    earliest = earliest_moment(items)
    if earliest is not None and moment < earliest:
        first = local_date(earliest, zone).isoformat()
        raise BeforeHistory(
            f"--today {day.isoformat()} is before the oldest history rte has read "
            f"(the first item was created or moved on {first}); use {first} or later"
        )


def items_as_of(
    items: Iterable[WorkItem],
    moment: datetime,
    categories: Mapping[str, StatusCategory] | None = None,
) -> tuple[WorkItem, ...]:
    """The items as they stood at `moment` (see the module docstring).

    `categories` maps a status to its category (default: `status_categories`
    of `items`); pass the snapshot's own when replaying an already replayed list.
    """
    items = tuple(items)
    known = status_categories(items) if categories is None else categories
    replayed = (item_as_of(item, moment, known) for item in items)
    return tuple(item for item in replayed if item is not None)


def item_as_of(
    item: WorkItem, moment: datetime, categories: Mapping[str, StatusCategory]
) -> WorkItem | None:
    """One item at `moment`; None when it was created later."""
    if item.created > moment:
        return None
    if not _changed_after(item, moment):
        return item
    history = ordered_transitions(item)
    kept = tuple(transition for transition in history if transition.at <= moment)
    if not kept:  # everything happened later but its creation: it stood where it began
        kept = (Transition(item.created, None, history[0].to_status),)
    status = kept[-1].to_status
    category = _category(item, status, kept, categories)
    flagged = _flags_at(item.flagged, moment)
    return replace(
        item,
        status=status,
        status_category=category,
        transitions=kept,
        flagged=flagged,
        resolved=kept[-1].at if category is StatusCategory.DONE else None,
        updated=_last_change(item, kept, flagged),
    )


def _changed_after(item: WorkItem, moment: datetime) -> bool:
    moments = [
        *(transition.at for transition in item.transitions),
        *(flag.start for flag in item.flagged),
        *(flag.end for flag in item.flagged if flag.end is not None),
        *(when for when in (item.resolved, item.updated) if when is not None),
    ]
    return any(when > moment for when in moments)


def _category(
    item: WorkItem,
    status: str,
    kept: tuple[Transition, ...],
    categories: Mapping[str, StatusCategory],
) -> StatusCategory:
    """The status's category in the snapshot; a status no item stands in any more counts as
    to do when the item began in it, else as in progress."""
    known = categories.get(status)
    if known is not None:
        return known
    if status == item.status:
        return item.status_category
    return StatusCategory.TO_DO if len(kept) == 1 else StatusCategory.IN_PROGRESS


def _flags_at(flagged: Iterable[FlaggedInterval], moment: datetime) -> tuple[FlaggedInterval, ...]:
    return tuple(
        FlaggedInterval(
            flag.start, flag.end if flag.end is not None and flag.end <= moment else None
        )
        for flag in flagged
        if flag.start <= moment
    )


def _last_change(
    item: WorkItem, kept: tuple[Transition, ...], flagged: tuple[FlaggedInterval, ...]
) -> datetime:
    flag_moments = [moment for flag in flagged for moment in (flag.start, flag.end) if moment]
    return max([item.created, kept[-1].at, *flag_moments])
