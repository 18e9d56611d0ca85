"""Reads. The logistics of a visit are computed on read from one programme version (the
published one unless asked otherwise) and the organiser's entries, in a fixed number of
queries, so rooming lists, vehicle sheets, meal counts and itineraries always follow the
programme as it is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from delegations.models import Guest
from events.models import Activity, ActivityHost, Venue, Visit
from logistics import legs as leg_model
from logistics import seating
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


@dataclass(frozen=True)
class LogisticsWarning:
    """Something the organiser must look at. ``code`` is stable; ``message`` is in the
    language that was active when the plan was computed."""

    code: str
    message: str
    refs: dict = field(default_factory=dict)


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


@dataclass
class Meal:
    slot: Slot
    guests: list[Guest]
    hosts: int
    interpreters: int
    diets: dict[str, int]
    service: MealService | None
    companions: int = 0

    @property
    def total(self) -> int:
        return len(self.guests) + self.hosts + self.interpreters + self.companions


@dataclass
class Plan:
    visit: Visit
    version: ProgrammeVersion | None
    zone: ZoneInfo
    guests: dict[int, Guest]
    journeys: dict[int, dict[str, Journey]]
    presence: dict[int, tuple[dt.datetime | None, dt.datetime | None]]
    # (guest id, night) -> (venue, stay or None when it is the visit's or sub-group's default)
    lodging: dict[tuple[int, dt.date], tuple[Venue, Stay | None]]
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


def _local_date(value: dt.datetime, zone: ZoneInfo) -> dt.date:
    return value.astimezone(zone).date()


def _presence(guest: Guest, journeys: dict[str, Journey]):
    arrival = journeys.get("arrival")
    departure = journeys.get("departure")
    return (
        arrival.time if arrival else guest.arrival,
        departure.time if departure else guest.departure,
    )


def _nights(visit: Visit, start, end, zone: ZoneInfo) -> list[dt.date]:
    """The nights a guest sleeps here: from the evening they arrive to the eve of leaving."""
    first = _local_date(start, zone) if start else visit.start_date
    # Without a known departure the guest leaves on the evening of the last day.
    last = _local_date(end, zone) - dt.timedelta(days=1) if end else visit.end_date - _DAY
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


_DAY = dt.timedelta(days=1)


def _present(presence, start: dt.datetime, end: dt.datetime) -> bool:
    arrival, departure = presence
    return (arrival is None or arrival <= start) and (departure is None or departure >= end)


def serves_meals(venue: Venue, service: MealService | None) -> bool:
    if service is not None:
        return service.serves_meals
    return venue.kind == Venue.Kind.RESTAURANT


@dataclass
class _Base:
    """Who is there when, and where each guest sleeps each night (no programme needed)."""

    guests: dict[int, Guest]
    venues: dict[int, Venue]
    travel: dict[tuple[int, int], int]
    journeys: dict[int, dict[str, Journey]]
    presence: dict[int, tuple[dt.datetime | None, dt.datetime | None]]
    lodging: dict[tuple[int, dt.date], tuple[Venue, Stay | None]]
    nights: dict[int, list[dt.date]]
    warnings: list[LogisticsWarning]


def _base(visit: Visit, zone: ZoneInfo) -> _Base:
    warnings: list[LogisticsWarning] = []
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
    default_lodging = venues.get(visit.lodging_id) if visit.lodging_id else None

    # Arrivals, departures, presence.
    journeys: dict[int, dict[str, Journey]] = {}
    presence = {}
    for guest in guests.values():
        journeys[guest.pk] = {j.direction: j for j in guest.journeys.all()}
        presence[guest.pk] = _presence(guest, journeys[guest.pk])
        arrival, departure = presence[guest.pk]
        if arrival and departure and departure <= arrival:
            warnings.append(
                LogisticsWarning(
                    "departure_before_arrival",
                    _("%(guest)s leaves before arriving.") % {"guest": guest.full_name},
                    {"guest": guest.pk},
                )
            )

    # Lodging per guest and night: the most specific stay, else the sub-group's or visit's.
    lodging: dict[tuple[int, dt.date], tuple[Venue, Stay | None]] = {}
    nights: dict[int, list[dt.date]] = {}
    for guest in guests.values():
        arrival, departure = presence[guest.pk]
        if arrival and departure and departure <= arrival:
            nights[guest.pk] = []
            continue
        nights[guest.pk] = _nights(visit, arrival, departure, zone)
        for night in nights[guest.pk]:
            best: Stay | None = None
            for stay in stays:
                if not (stay.first_night <= night <= stay.last_night):
                    continue
                applies = (
                    (stay.guest_id and stay.guest_id == guest.pk)
                    or (stay.subgroup_id and stay.subgroup_id == guest.subgroup_id)
                    or (stay.delegation_id and stay.delegation_id == guest.delegation_id)
                    or stay.scope_rank == 0
                )
                if applies and (best is None or stay.scope_rank > best.scope_rank):
                    best = stay
            if best is not None:
                lodging[(guest.pk, night)] = (venues[best.venue_id], best)
                continue
            fallback = (guest.subgroup.lodging if guest.subgroup_id else None) or default_lodging
            if fallback is not None:
                lodging[(guest.pk, night)] = (fallback, None)
            else:
                warnings.append(
                    LogisticsWarning(
                        "no_lodging",
                        _("%(guest)s has no lodging for the night of %(night)s.")
                        % {"guest": guest.full_name, "night": _night_label(night)},
                        {"guest": guest.pk, "night": night.isoformat()},
                    )
                )

    return _Base(guests, venues, travel, journeys, presence, lodging, nights, warnings)


def logistics_plan(*, visit: Visit, version: ProgrammeVersion | None = None) -> Plan:
    """Everything logistic about ``visit`` under ``version`` (default: the published one)."""
    zone = ZoneInfo(visit.time_zone)
    if version is None:
        version = published_version(visit=visit)
    base = _base(visit, zone)
    guests, venues, travel = base.guests, base.venues, base.travel
    journeys, presence, lodging = base.journeys, base.presence, base.lodging
    nights, warnings = base.nights, base.warnings
    services = {s.venue_id: s for s in MealService.objects.filter(venue__visit=visit)}
    vehicles = list(Vehicle.objects.filter(visit=visit).select_related("driver").order_by("name"))

    # Slots of the version and who attends them.
    slots: list[Slot] = []
    if version is not None:
        slots = list(
            version.slots.exclude(status__in=GONE)
            .select_related("activity", "venue")
            .prefetch_related(
                "activity__audience",
                Prefetch(
                    "activity__host_links",
                    queryset=ActivityHost.objects.select_related("person"),
                ),
                "assignments__interpreter__person",
                Prefetch(
                    "activity__required_guests", queryset=ActivityGuest.objects.order_by("pk")
                ),
            )
            .order_by("start", "pk")
        )
    else:
        message = _("No programme has been published yet.")
        warnings.append(LogisticsWarning("no_programme", message, {}))
    attendance: dict[int, list[int]] = {}
    for slot in slots:
        audience = {sg.pk for sg in slot.activity.audience.all()}
        expected = [g for g in guests.values() if not audience or g.subgroup_id in audience]
        attendance[slot.pk] = []
        required = {link.guest_id for link in slot.activity.required_guests.all()}
        for guest in expected:
            if _present(presence[guest.pk], slot.start, slot.end):
                attendance[slot.pk].append(guest.pk)
            else:
                code = "required_guest_absent" if guest.pk in required else "guest_misses"
                warnings.append(
                    LogisticsWarning(
                        code,
                        _("%(guest)s is not there for “%(activity)s” (%(when)s).")
                        % {
                            "guest": guest.full_name,
                            "activity": slot.activity.local_title,
                            "when": _when(slot.start, zone),
                        },
                        {"guest": guest.pk, "activity": slot.activity_id, "slot": slot.pk},
                    )
                )

    # Each guest's days, then the legs.
    by_guest_day: dict[tuple[int, dt.date], list[leg_model.Stop]] = defaultdict(list)
    for slot in slots:
        day = _local_date(slot.start, zone)
        for guest_id in attendance[slot.pk]:
            by_guest_day[(guest_id, day)].append(
                leg_model.Stop(slot.activity_id, slot.venue_id, slot.start, slot.end)
            )
    guest_days = []
    for (guest_id, day), stops in sorted(by_guest_day.items()):
        before = lodging.get((guest_id, day - _DAY))
        tonight = lodging.get((guest_id, day))
        start_venue = (before or tonight or (None,))[0]
        end_venue = (tonight or before or (None,))[0]
        guest_days.append(
            leg_model.GuestDay(
                guest_id,
                day,
                start_venue.pk if start_venue else None,
                end_venue.pk if end_venue else None,
                tuple(stops),
            )
        )
    transfers = []
    for guest_id, by_direction in journeys.items():
        for direction, journey in by_direction.items():
            if not journey.transfer:
                continue
            day = _local_date(journey.time, zone)
            night = day if direction == Journey.Direction.ARRIVAL else day - _DAY
            where = lodging.get((guest_id, night))
            transfers.append(
                leg_model.Transfer(
                    guest_id,
                    direction,
                    journey.place_id,
                    journey.time,
                    journey.mode,
                    where[0].pk if where else None,
                )
            )
    legs = leg_model.all_legs(guest_days, transfers, travel, zone)

    # Companions ride the programme legs of the guests they go with (not the transfers).
    companions = list(Companion.objects.filter(visit=visit).select_related("person"))

    def riders(leg) -> list:
        if leg.kind != leg_model.PROGRAMME:
            return []
        groups = {guests[g].subgroup_id for g in leg.guests}
        return [c.person for c in companions if c.subgroup_id is None or c.subgroup_id in groups]

    riding = {leg.key: riders(leg) for leg in legs}

    # Vehicles.
    pinned: dict[str, tuple[int, ...]] = defaultdict(tuple)
    for row in LegAssignment.objects.filter(visit=visit).order_by("pk"):
        pinned[row.leg_key] += (row.vehicle_id,)
    seated = seating.assign_vehicles(
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
    by_key = {view.key: view for view in views}
    for view in views:
        if view.leg.travel_minutes is None:
            warnings.append(
                LogisticsWarning(
                    "no_travel_time",
                    _("No travel time from %(origin)s to %(destination)s.")
                    % {"origin": view.origin.name, "destination": view.destination.name},
                    {"leg": view.key, "origin": view.origin.pk, "destination": view.destination.pk},
                )
            )
    starts = {slot.activity_id: slot.start for slot in slots}
    titles = {slot.activity_id: slot.activity.local_title for slot in slots}
    for view in views:
        due = starts.get(view.leg.before_activity)
        if due is not None and view.leg.arrive > due:
            late = int((view.leg.arrive - due).total_seconds() // 60)
            warnings.append(
                LogisticsWarning(
                    "late_arrival",
                    _("%(leg)s arrives %(minutes)d minutes after “%(activity)s” starts.")
                    % {
                        "leg": _leg_label(view, zone),
                        "minutes": late,
                        "activity": titles[view.leg.before_activity],
                    },
                    {"leg": view.key, "activity": view.leg.before_activity, "minutes": late},
                )
            )
    largest = max((v.seats for v in vehicles), default=0)
    for key in seated.split:
        view = by_key[key]
        warnings.append(
            LogisticsWarning(
                "leg_split",
                _(
                    "%(leg)s: %(people)d people, more than any vehicle seats (%(largest)d); "
                    "they ride in %(count)d vehicles."
                )
                % {
                    "leg": _leg_label(view, zone),
                    "people": view.people,
                    "largest": largest,
                    "count": len(view.vehicles),
                },
                {"leg": key},
            )
        )
    for short in seated.shortfalls:
        view = by_key[short.leg]
        warnings.append(
            LogisticsWarning(
                "seats_short",
                _("%(leg)s is short by %(missing)d seats (%(people)d people, %(seats)d seats).")
                % {
                    "leg": _leg_label(view, zone),
                    "missing": short.missing,
                    "people": short.people,
                    "seats": short.seats,
                },
                {"leg": short.leg, "missing": short.missing},
            )
        )
    for key, vehicle_id in seated.pin_conflicts:
        warnings.append(
            LogisticsWarning(
                "vehicle_conflict",
                _("%(vehicle)s is chosen for %(leg)s but is busy or unavailable then.")
                % {"vehicle": by_vehicle[vehicle_id].name, "leg": _leg_label(by_key[key], zone)},
                {"leg": key, "vehicle": vehicle_id},
            )
        )
    known = {leg.key for leg in legs}
    for key in sorted(set(pinned) - known):
        warnings.append(
            LogisticsWarning(
                "stale_assignment",
                _("A vehicle is chosen for a leg the programme no longer has (%(leg)s).")
                % {"leg": key},
                {"leg": key},
            )
        )

    # Meals.
    meals = []
    for slot in slots:
        if slot.activity.kind != Activity.Kind.MEAL:
            continue
        service = services.get(slot.venue_id)
        present = [guests[g] for g in attendance[slot.pk]]
        diets = Counter((g.dietary_needs.strip().lower() or "") for g in present)
        audience = {sg.pk for sg in slot.activity.audience.all()}
        # A companion who hosts or interprets at the meal is counted once, there.
        counted = {a.interpreter.person_id for a in slot.assignments.all()} | {
            link.person_id for link in slot.activity.host_links.all()
        }
        meal = Meal(
            slot,
            present,
            hosts=len(slot.activity.host_links.all()),
            interpreters=len({a.interpreter_id for a in slot.assignments.all()}),
            diets={k: diets[k] for k in sorted(diets, key=lambda k: (k == "", k))},
            service=service,
            companions=sum(
                1
                for c in companions
                if c.person_id not in counted
                and (c.subgroup_id is None or not audience or c.subgroup_id in audience)
            ),
        )
        meals.append(meal)
        if not serves_meals(slot.venue, service):
            warnings.append(
                LogisticsWarning(
                    "venue_serves_no_meals",
                    _("“%(activity)s” is a meal at %(venue)s, which does not serve meals.")
                    % {"activity": slot.activity.local_title, "venue": slot.venue.name},
                    {"activity": slot.activity_id, "venue": slot.venue_id},
                )
            )
        elif service and service.capacity is not None and meal.total > service.capacity:
            warnings.append(
                LogisticsWarning(
                    "meal_over_capacity",
                    _("“%(activity)s”: %(people)d covers, %(venue)s serves %(capacity)d.")
                    % {
                        "activity": slot.activity.local_title,
                        "people": meal.total,
                        "venue": slot.venue.name,
                        "capacity": service.capacity,
                    },
                    {"activity": slot.activity_id, "venue": slot.venue_id},
                )
            )

    # Hotels over capacity.
    per_night_venue = Counter((night, venue.pk) for (_g, night), (venue, _s) in lodging.items())
    for (night, venue_id), count in sorted(per_night_venue.items()):
        venue = venues[venue_id]
        if venue.capacity is not None and count > venue.capacity:
            warnings.append(
                LogisticsWarning(
                    "lodging_over_capacity",
                    ngettext(
                        "%(venue)s sleeps %(capacity)d but %(count)d guest is booked there on "
                        "the night of %(night)s.",
                        "%(venue)s sleeps %(capacity)d but %(count)d guests are booked there on "
                        "the night of %(night)s.",
                        count,
                    )
                    % {
                        "venue": venue.name,
                        "capacity": venue.capacity,
                        "count": count,
                        "night": _night_label(night),
                    },
                    {"venue": venue_id, "night": night.isoformat()},
                )
            )

    return Plan(
        visit=visit,
        version=version,
        zone=zone,
        guests=guests,
        journeys=journeys,
        presence=presence,
        lodging=lodging,
        nights=nights,
        slots=slots,
        attendance=attendance,
        legs=views,
        meals=meals,
        vehicles=vehicles,
        warnings=warnings,
    )


def _night_label(night: dt.date) -> str:
    from planner import i18n

    return i18n.full_date(night)


def _when(value: dt.datetime, zone: ZoneInfo) -> str:
    from planner import i18n

    local = value.astimezone(zone)
    return f"{i18n.full_date(local.date())} {i18n.short_time(local, zone=zone)}"


def _leg_label(view: LegView, zone: ZoneInfo) -> str:
    from planner import i18n

    return _("%(origin)s → %(destination)s at %(time)s on %(day)s") % {
        "origin": view.origin.name,
        "destination": view.destination.name,
        "time": i18n.short_time(view.leg.depart, zone=zone),
        "day": i18n.full_date(view.leg.depart.astimezone(zone).date()),
    }


@dataclass(frozen=True)
class SolverHints:
    """What the programme solver needs from the logistics (see scheduling.adapters).

    ``windows``: per activity, when the guests it requires are all there (from the end of
    their pick-up to the start of their drop-off), as aware datetimes, None for unbounded.
    ``lodging``: per sub-group id and per delegation id (``"subgroup"``/``"delegation"``),
    the venue each day starts from, by day index: where most of its guests slept the night
    before (on their first day, where they sleep that night). The solver models one lodging
    per day, so a day that ends elsewhere still ends at its start depot there.
    """

    windows: dict[int, tuple[dt.datetime | None, dt.datetime | None]]
    lodging: dict[tuple[str, int], dict[int, int]]
    # Per sub-group / delegation (keys as in ``lodging``): when all its guests are there,
    # from the last one's end of arrival transfer to the first one's start of departure
    # transfer; None on a side no guest's journey or arrival/departure says.
    presence: dict[tuple[str, int], tuple[dt.datetime | None, dt.datetime | None]] = field(
        default_factory=dict
    )


def _ready_and_leave(base: _Base, guest: Guest, zone: ZoneInfo):
    """When ``guest`` is free for the programme: after the pick-up transfer from their
    arrival, until the drop-off transfer to their departure (None: unbounded)."""
    arrival, departure = base.presence[guest.pk]
    journeys = base.journeys[guest.pk]
    ready, leave = arrival, departure
    if arrival is not None and "arrival" in journeys:
        journey = journeys["arrival"]
        where = base.lodging.get((guest.pk, _local_date(arrival, zone)))
        minutes = leg_model.PICKUP_BUFFER.get(journey.mode, leg_model.DEFAULT_BUFFER)
        if where is not None:
            minutes += base.travel.get((journey.place_id, where[0].pk), 0)
        ready = arrival + dt.timedelta(minutes=minutes)
    if departure is not None and "departure" in journeys:
        journey = journeys["departure"]
        where = base.lodging.get((guest.pk, _local_date(departure, zone) - _DAY))
        minutes = leg_model.CHECK_IN.get(journey.mode, leg_model.DEFAULT_BUFFER)
        if where is not None:
            minutes += base.travel.get((where[0].pk, journey.place_id), 0)
        leave = departure - dt.timedelta(minutes=minutes)
    return ready, leave


def solver_hints(*, visit: Visit) -> SolverHints:
    zone = ZoneInfo(visit.time_zone)
    base = _base(visit, zone)
    there = {pk: _ready_and_leave(base, guest, zone) for pk, guest in base.guests.items()}
    presence: dict[tuple[str, int], tuple[dt.datetime | None, dt.datetime | None]] = {}
    for pk, (ready, leave) in there.items():
        guest = base.guests[pk]
        key = (
            ("subgroup", guest.subgroup_id)
            if guest.subgroup_id
            else ("delegation", guest.delegation_id)
        )
        start, end = presence.get(key, (None, None))
        if ready is not None:
            start = ready if start is None else max(start, ready)
        if leave is not None:
            end = leave if end is None else min(end, leave)
        presence[key] = (start, end)
    windows: dict[int, tuple[dt.datetime | None, dt.datetime | None]] = {}
    for link in ActivityGuest.objects.filter(activity__visit=visit).order_by("pk"):
        guest = base.guests.get(link.guest_id)
        if guest is None:
            continue
        ready, leave = there[guest.pk]
        start, end = windows.get(link.activity_id, (None, None))
        if ready is not None:
            start = ready if start is None else max(start, ready)
        if leave is not None:
            end = leave if end is None else min(end, leave)
        windows[link.activity_id] = (start, end)

    votes: dict[tuple[str, int], dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for index, day in enumerate(visit.days):
        for guest in base.guests.values():
            where = base.lodging.get((guest.pk, day - _DAY)) or base.lodging.get((guest.pk, day))
            if where is None:
                continue
            group = (
                ("subgroup", guest.subgroup_id)
                if guest.subgroup_id
                else ("delegation", guest.delegation_id)
            )
            votes[group][index][where[0].pk] += 1
    lodging = {
        group: {
            index: min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            for index, counter in by_day.items()
        }
        for group, by_day in votes.items()
    }
    return SolverHints(windows, lodging, presence)
