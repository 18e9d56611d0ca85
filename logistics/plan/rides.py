"""Stage 4: legs and seats. The legs of everyone's day paths and transfers, who rides each
(guests, and the companions going with them), the vehicles that carry them, and what does
not fit: a missing travel time, a late arrival, a leg too big for any vehicle, seats short,
an organiser's vehicle choice that clashes or points at a leg that is gone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from delegations.models import Guest
from events.models import Venue
from logistics import legs as leg_model
from logistics import seating
from logistics.models import Companion, Vehicle
from logistics.plan.warnings import ActivityName, LegName, LogisticsWarning
from scheduling.models import Slot


@dataclass
class LegView:
    leg: leg_model.Leg
    origin: Venue
    destination: Venue
    vehicles: list[Vehicle]
    guests: list[Guest]
    companions: list = field(default_factory=list)  # Person rows riding with the guests

    @property
    def key(self) -> str:
        return self.leg.key

    @property
    def people(self) -> int:
        return self.leg.people + len(self.companions)

    @property
    def seats(self) -> int:
        return sum(v.seats for v in self.vehicles)

    def name(self, zone: ZoneInfo) -> LegName:
        return LegName(self.origin.name, self.destination.name, self.leg.depart, zone)


def riders(
    legs: Iterable[leg_model.Leg], guests: dict[int, Guest], companions: list[Companion]
) -> dict[str, list]:
    """Per leg key, the companions' Person rows: they ride the programme legs of the
    sub-groups they go with (all of them when they go with no one in particular), never the
    transfers."""
    riding = {}
    for leg in legs:
        if leg.kind != leg_model.PROGRAMME:
            riding[leg.key] = []
            continue
        groups = {guests[g].subgroup_id for g in leg.guests}
        riding[leg.key] = [
            c.person for c in companions if c.subgroup_id is None or c.subgroup_id in groups
        ]
    return riding


def seat(
    legs: Iterable[leg_model.Leg],
    riding: dict[str, list],
    vehicles: Iterable[Vehicle],
    pinned: dict[str, tuple[int, ...]],
    travel: dict[tuple[int, int], int],
) -> seating.Seating:
    return seating.assign_vehicles(
        [
            seating.SeatLeg(
                leg.key,
                leg.origin,
                leg.destination,
                leg.depart,
                leg.arrive,
                leg.people + len(riding[leg.key]),
            )
            for leg in legs
        ],
        [seating.SeatVehicle(v.pk, v.seats, v.available_from, v.available_until) for v in vehicles],
        pinned=dict(pinned),
        travel=travel,
    )


def travel_warnings(
    views: list[LegView], slots: Iterable[Slot], zone: ZoneInfo
) -> list[LogisticsWarning]:
    """Legs without a travel time, then legs that arrive after their activity starts."""
    warnings = []
    for view in views:
        if view.leg.travel_minutes is None:
            warnings.append(
                LogisticsWarning(
                    "no_travel_time",
                    {"origin": view.origin.name, "destination": view.destination.name},
                    {"leg": view.key, "origin": view.origin.pk, "destination": view.destination.pk},
                )
            )
    starts = {slot.activity_id: slot for slot in slots}
    for view in views:
        slot = starts.get(view.leg.before_activity)
        if slot is not None and view.leg.arrive > slot.start:
            late = int((view.leg.arrive - slot.start).total_seconds() // 60)
            warnings.append(
                LogisticsWarning(
                    "late_arrival",
                    {
                        "leg": view.name(zone),
                        "minutes": late,
                        "activity": ActivityName.of(slot.activity),
                    },
                    {"leg": view.key, "activity": view.leg.before_activity, "minutes": late},
                )
            )
    return warnings


def seat_warnings(
    views: list[LegView],
    seated: seating.Seating,
    vehicles: list[Vehicle],
    pinned: dict[str, tuple[int, ...]],
    zone: ZoneInfo,
) -> list[LogisticsWarning]:
    """Split legs, seats short, clashing vehicle choices, choices for legs that are gone."""
    by_key = {view.key: view for view in views}
    by_vehicle = {v.pk: v for v in vehicles}
    largest = max((v.seats for v in vehicles), default=0)
    warnings = [
        LogisticsWarning(
            "leg_split",
            {
                "leg": by_key[key].name(zone),
                "people": by_key[key].people,
                "largest": largest,
                "count": len(by_key[key].vehicles),
            },
            {"leg": key},
        )
        for key in seated.split
    ]
    warnings += [
        LogisticsWarning(
            "seats_short",
            {
                "leg": by_key[short.leg].name(zone),
                "missing": short.missing,
                "people": short.people,
                "seats": short.seats,
            },
            {"leg": short.leg, "missing": short.missing},
        )
        for short in seated.shortfalls
    ]
    warnings += [
        LogisticsWarning(
            "vehicle_conflict",
            {"vehicle": by_vehicle[vehicle_id].name, "leg": by_key[key].name(zone)},
            {"leg": key, "vehicle": vehicle_id},
        )
        for key, vehicle_id in seated.pin_conflicts
    ]
    warnings += [
        LogisticsWarning("stale_assignment", {"leg": key}, {"leg": key})
        for key in sorted(set(pinned) - set(by_key))
    ]
    return warnings


def rides(
    legs: list[leg_model.Leg],
    *,
    guests: dict[int, Guest],
    venues: dict[int, Venue],
    companions: list[Companion],
    vehicles: list[Vehicle],
    pinned: dict[str, tuple[int, ...]],
    travel: dict[tuple[int, int], int],
    slots: list[Slot],
    zone: ZoneInfo,
) -> tuple[list[LegView], list[LogisticsWarning]]:
    """Each leg with its venues, riders and vehicles, and what the organiser must fix."""
    riding = riders(legs, guests, companions)
    seated = seat(legs, riding, vehicles, pinned, travel)
    by_vehicle = {v.pk: v for v in vehicles}
    views = [
        LegView(
            leg,
            venues[leg.origin],
            venues[leg.destination],
            [by_vehicle[v] for v in seated.vehicles.get(leg.key, ())],
            [guests[g] for g in leg.guests],
            riding[leg.key],
        )
        for leg in legs
    ]
    warnings = travel_warnings(views, slots, zone)
    warnings += seat_warnings(views, seated, vehicles, pinned, zone)
    return views, warnings
