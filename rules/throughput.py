"""What the forecast samples: each team's stories finished per day, and stories per feature.

A story is finished on the day (in the ART's time zone) it last moved into
a "done" column of the teams' board, as every flow rule reads it
(`rules.board`); it counts for its team. A team's throughput is the count
of its stories finished on each of the `window_days` days up to and
including today, quiet days and weekends as zeros: what the team did, not
what it could have done.

How many stories a feature holds, per team, is counted over every feature
that has stories of that team, whatever their status; the median (nearest
rank) stands in for the stories of a feature not yet broken down.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta, tzinfo

import numpy as np

from art.model import WorkItem
from rules.board_index import NONE, BoardIndex
from rules.percentiles import percentile
from rules.timeline_index import Flags, Ints, day_number, local_days


def daily_throughput(
    index: BoardIndex,
    teams: Mapping[str, Flags],
    *,
    today: date,
    window_days: int,
    zone: tzinfo,
) -> dict[str, Ints]:
    """Per team (name: which of the index's items are its stories), the stories it finished
    on each day of the window, oldest day first."""
    first = day_number(today - timedelta(days=window_days - 1))
    finished = index.finished
    ended = np.flatnonzero(index.scope & (finished != NONE))
    days = local_days(index.timeline.times[finished[ended]], zone) - first
    inside = (days >= 0) & (days < window_days)
    result = {}
    for team, mine in teams.items():
        chosen = inside & mine[ended]
        result[team] = np.bincount(days[chosen], minlength=window_days)[:window_days]
    return result


def median_stories(
    children: Mapping[str, Sequence[WorkItem]], team_of: Mapping[str, str]
) -> dict[str, int]:
    """Per team, the median number of its stories in a feature that has any.

    `children` are the stories of each feature, `team_of` a team value's team name.
    """
    counts: dict[str, list[int]] = {}
    for stories in children.values():
        per_team: dict[str, int] = {}
        for story in stories:
            team = team_of.get(story.team or "")
            if team is not None:
                per_team[team] = per_team.get(team, 0) + 1
        for team, count in per_team.items():
            counts.setdefault(team, []).append(count)
    return {team: int(percentile(sorted(values), 50)) for team, values in counts.items()}
