"""Vehicles for travel legs (pure: no Django). A greedy pass in departure order.

Each leg gets the smallest free vehicle with enough seats; when no single vehicle is big
enough, the largest free ones together; when even those are too few, the leg is reported
short by the missing seats. A vehicle is free for a leg when it is available over the whole
leg and none of its other legs overlaps it, counting the empty drive between the two
(``travel``; an unknown pair counts as zero). The organiser's own choices (``pinned``) are
placed first and kept even when they overlap, and reported then.

Greedy is enough here: a visit has a few dozen legs and a handful of vehicles, and the
organiser sees each shortfall by leg and can pin a vehicle by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SeatLeg:
    key: str
    origin: int
    destination: int
    depart: dt.datetime
    arrive: dt.datetime
    people: int


@dataclass(frozen=True)
class SeatVehicle:
    id: int
    seats: int
    available_from: dt.datetime | None = None
    available_until: dt.datetime | None = None


@dataclass(frozen=True)
class Shortfall:
    leg: str
    people: int
    seats: int

    @property
    def missing(self) -> int:
        return self.people - self.seats


@dataclass
class Seating:
    vehicles: dict[str, tuple[int, ...]] = field(default_factory=dict)
    shortfalls: list[Shortfall] = field(default_factory=list)
    # Legs carried by several vehicles because no single one has enough seats.
    split: list[str] = field(default_factory=list)
    # (leg, vehicle): an organiser's choice that overlaps another leg or the vehicle's hours.
    pin_conflicts: list[tuple[str, int]] = field(default_factory=list)


def _available(v: SeatVehicle, leg: SeatLeg) -> bool:
    if v.available_from is not None and leg.depart < v.available_from:
        return False
    return not (v.available_until is not None and leg.arrive > v.available_until)


def _compatible(leg: SeatLeg, booked: list[SeatLeg], travel: dict[tuple[int, int], int]) -> bool:
    for other in booked:
        to_other = dt.timedelta(minutes=travel.get((leg.destination, other.origin), 0))
        from_other = dt.timedelta(minutes=travel.get((other.destination, leg.origin), 0))
        if not (leg.arrive + to_other <= other.depart or other.arrive + from_other <= leg.depart):
            return False
    return True


def assign_vehicles(
    legs: list[SeatLeg],
    vehicles: list[SeatVehicle],
    *,
    pinned: dict[str, tuple[int, ...]] | None = None,
    travel: dict[tuple[int, int], int] | None = None,
) -> Seating:
    travel = travel or {}
    pinned = pinned or {}
    by_id = {v.id: v for v in vehicles}
    booked: dict[int, list[SeatLeg]] = {v.id: [] for v in vehicles}
    result = Seating()
    order = sorted(legs, key=lambda leg: (leg.depart, -leg.people, leg.key))

    for leg in order:
        chosen = tuple(v for v in pinned.get(leg.key, ()) if v in by_id)
        for vid in chosen:
            if not (_available(by_id[vid], leg) and _compatible(leg, booked[vid], travel)):
                result.pin_conflicts.append((leg.key, vid))
            booked[vid].append(leg)
        if chosen:
            result.vehicles[leg.key] = chosen

    for leg in order:
        if leg.key in result.vehicles or leg.people <= 0:
            continue
        free = [
            v for v in vehicles if _available(v, leg) and _compatible(leg, booked[v.id], travel)
        ]
        fitting = sorted((v for v in free if v.seats >= leg.people), key=lambda v: (v.seats, v.id))
        if fitting:
            chosen = (fitting[0],)
        else:
            chosen, seats = [], 0
            for v in sorted(free, key=lambda v: (-v.seats, v.id)):
                if seats >= leg.people:
                    break
                chosen.append(v)
                seats += v.seats
            chosen = tuple(chosen)
            if len(chosen) > 1:
                result.split.append(leg.key)
        seats = sum(v.seats for v in chosen)
        if seats < leg.people:
            result.shortfalls.append(Shortfall(leg.key, leg.people, seats))
        for v in chosen:
            booked[v.id].append(leg)
        result.vehicles[leg.key] = tuple(v.id for v in chosen)

    for leg in order:
        if leg.key in pinned and leg.key in result.vehicles:
            seats = sum(by_id[v].seats for v in result.vehicles[leg.key])
            if seats < leg.people and all(s.leg != leg.key for s in result.shortfalls):
                result.shortfalls.append(Shortfall(leg.key, leg.people, seats))
    return result
