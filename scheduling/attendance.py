"""Who attends each activity, and each group's or guest's day path with its legs (pure: no
Django, no queries, no clock).

One reading used by the solver's adapters, the feeds, logistics, the publication notices and
the timetable:

- An activity's *audience* is a set of sub-group ids; an empty audience is the whole
  delegation. A guest in sub-group ``g`` attends it when the audience is empty or holds ``g``;
  a guest in no sub-group attends only what is for the whole delegation.
- The whole delegation has one encoding here, ``WHOLE`` (0: no sub-group has that id). The
  solver names a delegation without sub-groups by another id (``solver_group``): that
  translation happens at the solver boundary (adapters, explanations) only.
- A *day path* is where someone's day starts (the night before's lodging), the stops they
  attend in order, and where it ends (the night's lodging); every change of venue is a *leg*.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

# The whole delegation, where a group id is expected (an activity without audience is for it;
# a guest in no sub-group follows only it).
WHOLE = 0

# The solver's id for a delegation without sub-groups (it travels as one group): sub-group
# ids stay below this offset.
SOLVER_WHOLE_OFFSET = 1_000_000_000

PROGRAMME = "programme"


def solver_group(delegation_id: int) -> int:
    """The solver's group id for a delegation without sub-groups."""
    return SOLVER_WHOLE_OFFSET + delegation_id


def solver_delegation(group_id: int) -> int | None:
    """The delegation a solver group id stands for, or None for a sub-group's id."""
    return group_id - SOLVER_WHOLE_OFFSET if group_id >= SOLVER_WHOLE_OFFSET else None


# ---- who attends ---------------------------------------------------------------------------


def attends(audience: Collection[int], subgroup: int | None) -> bool:
    """Whether a guest of ``subgroup`` (None: in no sub-group) attends an activity whose
    audience is ``audience`` (sub-group ids; empty: the whole delegation)."""
    return not audience or subgroup in audience


def audience_groups(audience: Iterable[int], groups: Iterable[int]) -> list[int]:
    """The groups that attend: the audience, or every sub-group and ``WHOLE`` when the
    activity is for the whole delegation."""
    return list(audience) or [*groups, WHOLE]


# ---- day paths and legs --------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """One activity someone attends."""

    activity: int
    venue: int
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class DayPath:
    """What one guest (or group) does on one day: where the day starts and ends (None: no
    lodging known), and the stops between."""

    guest: int  # the owner: a guest's id, or a group's
    day: dt.date
    start_venue: int | None
    end_venue: int | None
    stops: tuple[Stop, ...]


# (kind, origin, destination, depart, arrive, minutes, after_activity, before_activity)
LegTuple = tuple[str, int, int, dt.datetime, dt.datetime, int | None, int | None, int | None]


def local_date(instant: dt.datetime, zone: ZoneInfo) -> dt.date:
    return instant.astimezone(zone).date()


def day_paths(
    stops: Iterable[tuple[Hashable, Stop]],
    zone: ZoneInfo,
    ends: Callable[[Hashable, dt.date], tuple[int | None, int | None]],
) -> list[DayPath]:
    """Each owner's day paths, by owner then day: the owner's stops of each local day, between
    ``ends(owner, day)`` (the venues the day starts and ends at)."""
    by_owner_day: dict[tuple, list[Stop]] = defaultdict(list)
    for owner, stop in stops:
        by_owner_day[(owner, local_date(stop.start, zone))].append(stop)
    paths = []
    for (owner, day), found in sorted(by_owner_day.items(), key=lambda kv: kv[0]):
        start_venue, end_venue = ends(owner, day)
        paths.append(DayPath(owner, day, start_venue, end_venue, tuple(found)))
    return paths


def path_legs(path: DayPath, travel: dict[tuple[int, int], int]) -> list[LegTuple]:
    """The legs of one day path: from the start venue to the first stop, between stops at
    different venues, from the last stop to the end venue. A missing travel time is reported
    as None and counted as zero."""
    stops = sorted(path.stops, key=lambda s: (s.start, s.activity))
    if not stops:
        return []
    legs: list[LegTuple] = []
    first = stops[0]
    if path.start_venue is not None and path.start_venue != first.venue:
        minutes = travel.get((path.start_venue, first.venue))
        depart = first.start - dt.timedelta(minutes=minutes or 0)
        legs.append(
            (
                PROGRAMME,
                path.start_venue,
                first.venue,
                depart,
                first.start,
                minutes,
                None,
                first.activity,
            )
        )
    for here, there in itertools.pairwise(stops):
        if here.venue == there.venue:
            continue
        minutes = travel.get((here.venue, there.venue))
        arrive = here.end + dt.timedelta(minutes=minutes or 0)
        legs.append(
            (
                PROGRAMME,
                here.venue,
                there.venue,
                here.end,
                arrive,
                minutes,
                here.activity,
                there.activity,
            )
        )
    last = stops[-1]
    if path.end_venue is not None and path.end_venue != last.venue:
        minutes = travel.get((last.venue, path.end_venue))
        arrive = last.end + dt.timedelta(minutes=minutes or 0)
        legs.append(
            (PROGRAMME, last.venue, path.end_venue, last.end, arrive, minutes, last.activity, None)
        )
    return legs
