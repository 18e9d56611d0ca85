"""Reads. The logistics of a visit are computed on read from one programme version (the
published one unless asked otherwise) and the organiser's entries, in a fixed number of
queries, so rooming lists, vehicle sheets, meal counts and itineraries always follow the
programme as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet

from delegations.models import Guest
from events.models import Activity, ActivityHost, Venue, Visit
from logistics import legs as leg_model
from logistics.models import (
    ActivityGuest,
    Companion,
    Journey,
    LegAssignment,
    LetterTemplate,
    LogisticsSnapshot,
    MealService,
    Stay,
    Vehicle,
)
from logistics.plan import attendance, capacity, days, lodging, meals, rides
from logistics.plan.facts import slot_facts
from logistics.plan.lodging import Lodging
from logistics.plan.meals import Meal
from logistics.plan.rides import LegView
from logistics.plan.warnings import LogisticsWarning
from planner.models import Organisation
from scheduling.models import Programme, ProgrammeVersion, Slot
from scheduling.selectors import travel_matrix

# Slots that will not happen carry no one anywhere.
GONE = (Slot.Status.CANCELLED, Slot.Status.DECLINED)


# --- CRUD scopes (the API's list endpoints) ----------------------------------------------


def journey_list(organisation: Organisation, visit: Visit) -> QuerySet[Journey]:
    return Journey.objects.filter(guest__delegation__visit=visit).order_by("time", "pk")


def stay_list(organisation: Organisation, visit: Visit) -> QuerySet[Stay]:
    return Stay.objects.filter(visit=visit).order_by("first_night", "pk")


def vehicle_list(organisation: Organisation, visit: Visit) -> QuerySet[Vehicle]:
    return Vehicle.objects.filter(visit=visit).order_by("name", "pk")


def leg_assignment_list(organisation: Organisation, visit: Visit) -> QuerySet[LegAssignment]:
    return LegAssignment.objects.filter(visit=visit).order_by("leg_key", "pk")


def meal_service_list(organisation: Organisation, visit: Visit) -> QuerySet[MealService]:
    return MealService.objects.filter(venue__visit=visit).order_by("venue__name", "pk")


def activity_guest_list(organisation: Organisation, visit: Visit) -> QuerySet[ActivityGuest]:
    return ActivityGuest.objects.filter(activity__visit=visit).order_by("activity_id", "pk")


def letter_template_list(organisation: Organisation, visit: Visit) -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(visit=visit).order_by("language", "pk")


def companion_list(organisation: Organisation, visit: Visit) -> QuerySet[Companion]:
    return Companion.objects.filter(visit=visit).order_by("person__full_name", "pk")


def snapshot_list(organisation: Organisation, visit: Visit) -> QuerySet[LogisticsSnapshot]:
    return (
        LogisticsSnapshot.objects.filter(version__programme__visit=visit)
        .select_related("version")
        .order_by("-taken_at", "-pk")
    )


def guest_choices(organisation: Organisation, visit: Visit) -> QuerySet[Guest]:
    return Guest.objects.filter(delegation__visit=visit)


def activity_choices(organisation: Organisation, visit: Visit) -> QuerySet[Activity]:
    return Activity.objects.filter(visit=visit)


def published_version(*, visit: Visit) -> ProgrammeVersion | None:
    programme = Programme.objects.filter(visit=visit).select_related("current_version").first()
    return programme.current_version if programme else None


# --- The computed plan ----------------------------------------------------------------


@dataclass
class Plan:
    visit: Visit
    version: ProgrammeVersion | None
    zone: ZoneInfo
    guests: dict[int, Guest]
    journeys: dict[int, dict[str, Journey]]
    presence: dict[int, tuple[dt.datetime | None, dt.datetime | None]]
    # (guest id, night) -> (venue, stay or None when it is the visit's or sub-group's default)
    lodging: Lodging
    nights: dict[int, list[dt.date]]
    slots: list[Slot]
    attendance: dict[int, list[int]]  # slot id -> guest ids present
    legs: list[LegView]
    meals: list[Meal]
    vehicles: list[Vehicle]
    warnings: list[LogisticsWarning]

    def rooming(self) -> list[tuple[dt.date, list[tuple[Venue, list[tuple[Guest, str]]]]]]:
        """Per night, per hotel, who sleeps there (and their room)."""
        per_night: dict[dt.date, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        venues: dict[int, Venue] = {}
        for (guest_id, night), (venue, stay) in self.lodging.items():
            venues[venue.pk] = venue
            room = stay.room if stay and stay.guest_id else ""
            per_night[night][venue.pk].append((self.guests[guest_id], room))
        return [
            (
                night,
                [
                    (venues[vid], sorted(rows, key=lambda r: r[0].full_name))
                    for vid, rows in sorted(
                        per_night[night].items(), key=lambda kv: venues[kv[0]].name
                    )
                ],
            )
            for night in sorted(per_night)
        ]

    def vehicle_legs(self, vehicle_id: int) -> list[LegView]:
        return [view for view in self.legs if any(v.pk == vehicle_id for v in view.vehicles)]

    def guest_legs(self, guest_id: int) -> list[LegView]:
        return [view for view in self.legs if guest_id in view.leg.guests]

    def guest_slots(self, guest_id: int) -> list[Slot]:
        return [s for s in self.slots if guest_id in self.attendance.get(s.pk, ())]


@dataclass
class Whereabouts:
    """Who is there when, and where each guest sleeps each night (no programme needed)."""

    guests: dict[int, Guest]
    venues: dict[int, Venue]
    travel: dict[tuple[int, int], int]
    journeys: dict[int, dict[str, Journey]]
    presence: dict[int, tuple[dt.datetime | None, dt.datetime | None]]
    lodging: Lodging
    nights: dict[int, list[dt.date]]
    warnings: list[LogisticsWarning]


def guest_whereabouts(*, visit: Visit, zone: ZoneInfo) -> Whereabouts:
    """The attendance stage's presence and the lodging stage, on the visit's rows."""
    guests = {
        g.pk: g
        for g in Guest.objects.filter(delegation__visit=visit)
        .select_related("subgroup__lodging", "delegation")
        .prefetch_related(
            Prefetch("journeys", queryset=Journey.objects.select_related("place")),
        )
        .order_by("full_name", "pk")
    }
    venues = {v.pk: v for v in Venue.objects.filter(visit=visit)}
    travel = travel_matrix(visit=visit)
    stays = list(Stay.objects.filter(visit=visit))
    journeys = {g.pk: {j.direction: j for j in g.journeys.all()} for g in guests.values()}
    presence, warnings = attendance.presences(guests.values(), journeys)
    default = venues.get(visit.lodging_id) if visit.lodging_id else None
    where, nights, homeless = lodging.lodging(
        guests.values(), presence, stays, venues, default, (visit.start_date, visit.end_date), zone
    )
    return Whereabouts(
        guests, venues, travel, journeys, presence, where, nights, warnings + homeless
    )


def _version_slots(version: ProgrammeVersion) -> list[Slot]:
    """The version's slots that will happen, with what the stages read of them."""
    return list(
        version.slots.exclude(status__in=GONE)
        .select_related("activity", "venue")
        .prefetch_related(
            "activity__audience",
            Prefetch(
                "activity__host_links",
                queryset=ActivityHost.objects.select_related("person"),
            ),
            "assignments__interpreter__person",
            Prefetch("activity__required_guests", queryset=ActivityGuest.objects.order_by("pk")),
        )
        .order_by("start", "pk")
    )


def _pinned(visit: Visit) -> dict[str, tuple[int, ...]]:
    """The organiser's vehicle choices per leg key."""
    pinned: dict[str, tuple[int, ...]] = defaultdict(tuple)
    for row in LegAssignment.objects.filter(visit=visit).order_by("pk"):
        pinned[row.leg_key] += (row.vehicle_id,)
    return dict(pinned)


def logistics_plan(*, visit: Visit, version: ProgrammeVersion | None = None) -> Plan:
    """Everything logistic about ``visit`` under ``version`` (default: the published one):
    the stages of ``logistics.plan`` run in order on the rows read here."""
    zone = ZoneInfo(visit.time_zone)
    if version is None:
        version = published_version(visit=visit)
    people = guest_whereabouts(visit=visit, zone=zone)
    warnings = list(people.warnings)
    services = {s.venue_id: s for s in MealService.objects.filter(venue__visit=visit)}
    vehicles = list(Vehicle.objects.filter(visit=visit).select_related("driver").order_by("name"))
    slots = _version_slots(version) if version is not None else []
    if version is None:
        warnings.append(LogisticsWarning("no_programme"))
    facts = [slot_facts(slot) for slot in slots]

    attending, absent = attendance.attendance(facts, people.guests.values(), people.presence, zone)
    legs = leg_model.all_legs(
        days.guest_days(slots, attending, people.lodging, zone),
        days.transfers(people.journeys, people.lodging, zone),
        people.travel,
        zone,
    )
    companions = list(Companion.objects.filter(visit=visit).select_related("person"))
    views, ride_warnings = rides.rides(
        legs,
        guests=people.guests,
        venues=people.venues,
        companions=companions,
        vehicles=vehicles,
        pinned=_pinned(visit),
        travel=people.travel,
        slots=slots,
        zone=zone,
    )
    counts = meals.meals(facts, attending, people.guests, services, companions)
    warnings += absent + ride_warnings
    warnings += capacity.meal_warnings(counts) + capacity.lodging_warnings(
        people.lodging, people.venues
    )
    return Plan(
        visit=visit,
        version=version,
        zone=zone,
        guests=people.guests,
        journeys=people.journeys,
        presence=people.presence,
        lodging=people.lodging,
        nights=people.nights,
        slots=slots,
        attendance=attending,
        legs=views,
        meals=counts,
        vehicles=vehicles,
        warnings=warnings,
    )
