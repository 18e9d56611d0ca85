"""Travel legs of a programme, derived from the slots and the lodging (pure: no Django).

Each guest's day is a path: the lodging of the night before, then the venue of each activity
they attend in order, then the lodging of the night of that day. Every change of venue is a
leg. Guests whose legs go from the same place to the same place at the same time ride
together, so legs are merged across guests (and so across sub-groups). Arrivals and departures
add pick-ups (station → lodging) and drop-offs (lodging → station).

Times are aware datetimes; travel minutes come from the visit's matrix (a missing pair is
reported as ``travel_minutes=None`` and counted as zero).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from scheduling import attendance

PROGRAMME, PICKUP, DROPOFF = attendance.PROGRAMME, "pickup", "dropoff"
# Minutes between landing and the vehicle leaving (baggage, passport control), per mode.
PICKUP_BUFFER = {"plane": 45, "train": 15}
# Minutes before the plane or train leaves that the guest must be there, per mode.
CHECK_IN = {"plane": 120, "train": 20}
DEFAULT_BUFFER = 15
# Arrivals at one place within this many minutes of the first share one pick-up.
CLUSTER_MINUTES = 90


@dataclass(frozen=True)
class Transfer:
    """A guest's arrival (to be taken to ``lodging``) or departure (taken from it)."""

    guest: int
    direction: str  # "arrival" | "departure"
    place: int
    time: dt.datetime
    mode: str
    lodging: int | None


@dataclass(frozen=True)
class Leg:
    kind: str
    day: dt.date
    origin: int
    destination: int
    depart: dt.datetime
    arrive: dt.datetime
    travel_minutes: int | None
    guests: tuple[int, ...]
    # The activities the leg comes from and goes to (None at a lodging or a station).
    after_activity: int | None = None
    before_activity: int | None = None

    @property
    def key(self) -> str:
        """Stable while the leg does not change: the vehicle chosen for it survives re-plans."""
        prefix = {PROGRAMME: "L", PICKUP: "A", DROPOFF: "D"}[self.kind]
        stamp = self.depart.astimezone(dt.UTC).strftime("%Y%m%dT%H%MZ")
        return f"{prefix}{stamp}-{self.origin}-{self.destination}"

    @property
    def people(self) -> int:
        return len(self.guests)


@dataclass
class _Draft:
    kind: str
    day: dt.date
    origin: int
    destination: int
    depart: dt.datetime
    arrive: dt.datetime
    travel_minutes: int | None
    after_activity: int | None
    before_activity: int | None
    guests: set[int] = field(default_factory=set)


def _travel(travel: dict[tuple[int, int], int], a: int, b: int) -> int | None:
    return travel.get((a, b))


def _clusters(transfers: list[Transfer]) -> list[list[Transfer]]:
    """Transfers at one place towards one lodging, grouped when close in time."""
    by_route: dict[tuple, list[Transfer]] = defaultdict(list)
    for t in transfers:
        by_route[(t.direction, t.place, t.lodging)].append(t)
    clusters = []
    for _, items in sorted(by_route.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0)):
        items.sort(key=lambda t: (t.time, t.guest))
        current: list[Transfer] = []
        for t in items:
            if current and (t.time - current[0].time) > dt.timedelta(minutes=CLUSTER_MINUTES):
                clusters.append(current)
                current = []
            current.append(t)
        if current:
            clusters.append(current)
    return clusters


def transfer_legs(
    transfers: list[Transfer], travel: dict[tuple[int, int], int], zone: dt.tzinfo
) -> list[Leg]:
    """Pick-ups wait for the last guest of a cluster; drop-offs make the first one's train."""
    legs = []
    for cluster in _clusters([t for t in transfers if t.lodging is not None]):
        first = cluster[0]
        guests = tuple(sorted(t.guest for t in cluster))
        if first.direction == "arrival":
            ready = max(
                t.time + dt.timedelta(minutes=PICKUP_BUFFER.get(t.mode, DEFAULT_BUFFER))
                for t in cluster
            )
            minutes = _travel(travel, first.place, first.lodging)
            legs.append(
                Leg(
                    PICKUP,
                    ready.astimezone(zone).date(),
                    first.place,
                    first.lodging,
                    ready,
                    ready + dt.timedelta(minutes=minutes or 0),
                    minutes,
                    guests,
                )
            )
        else:
            due = min(
                t.time - dt.timedelta(minutes=CHECK_IN.get(t.mode, DEFAULT_BUFFER)) for t in cluster
            )
            minutes = _travel(travel, first.lodging, first.place)
            depart = due - dt.timedelta(minutes=minutes or 0)
            legs.append(
                Leg(
                    DROPOFF,
                    depart.astimezone(zone).date(),
                    first.lodging,
                    first.place,
                    depart,
                    due,
                    minutes,
                    guests,
                )
            )
    return legs


def programme_legs(days: list[attendance.DayPath], travel: dict[tuple[int, int], int]) -> list[Leg]:
    """Every guest's legs, merged where guests travel together."""
    drafts: dict[tuple, _Draft] = {}
    for day in days:
        for (
            kind,
            origin,
            destination,
            depart,
            arrive,
            minutes,
            after,
            before,
        ) in attendance.path_legs(day, travel):
            key = (origin, destination, depart)
            draft = drafts.get(key)
            if draft is None:
                draft = drafts[key] = _Draft(
                    kind, day.day, origin, destination, depart, arrive, minutes, after, before
                )
            draft.guests.add(day.guest)
            # Guests who come from different activities share the leg: keep what is common.
            if draft.after_activity != after:
                draft.after_activity = None
            if draft.before_activity != before:
                draft.before_activity = None
    return [
        Leg(
            d.kind,
            d.day,
            d.origin,
            d.destination,
            d.depart,
            d.arrive,
            d.travel_minutes,
            tuple(sorted(d.guests)),
            d.after_activity,
            d.before_activity,
        )
        for d in drafts.values()
    ]


def all_legs(
    days: list[attendance.DayPath],
    transfers: list[Transfer],
    travel: dict[tuple[int, int], int],
    zone: dt.tzinfo,
) -> list[Leg]:
    legs = programme_legs(days, travel) + transfer_legs(transfers, travel, zone)
    return sorted(legs, key=lambda leg: (leg.depart, leg.origin, leg.destination, leg.kind))
