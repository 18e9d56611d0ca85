"""What the programme solver needs from the logistics (``scheduling.hints.SolverHints``):
when each group's guests are free for the programme, when the guests each activity requires
are, and where each group starts each day. Registered in ``LogisticsConfig.ready``."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

from delegations.models import Guest
from events.models import Visit
from logistics import legs as leg_model
from logistics.models import ActivityGuest
from logistics.plan.lodging import DAY, local_date
from logistics.selectors import Whereabouts, guest_whereabouts
from scheduling.hints import Bounds, SolverHints


def ready_and_leave(people: Whereabouts, guest: Guest, zone: ZoneInfo) -> Bounds:
    """When ``guest`` is free for the programme: after the pick-up transfer from their
    arrival, until the drop-off transfer to their departure (None: unbounded)."""
    arrival, departure = people.presence[guest.pk]
    journeys = people.journeys[guest.pk]
    ready, leave = arrival, departure
    if arrival is not None and "arrival" in journeys:
        journey = journeys["arrival"]
        where = people.lodging.get((guest.pk, local_date(arrival, zone)))
        minutes = leg_model.PICKUP_BUFFER.get(journey.mode, leg_model.DEFAULT_BUFFER)
        if where is not None:
            minutes += people.travel.get((journey.place_id, where[0].pk), 0)
        ready = arrival + dt.timedelta(minutes=minutes)
    if departure is not None and "departure" in journeys:
        journey = journeys["departure"]
        where = people.lodging.get((guest.pk, local_date(departure, zone) - DAY))
        minutes = leg_model.CHECK_IN.get(journey.mode, leg_model.DEFAULT_BUFFER)
        if where is not None:
            minutes += people.travel.get((where[0].pk, journey.place_id), 0)
        leave = departure - dt.timedelta(minutes=minutes)
    return ready, leave


def _group(guest: Guest) -> tuple[str, int]:
    if guest.subgroup_id:
        return ("subgroup", guest.subgroup_id)
    return ("delegation", guest.delegation_id)


def _narrow(bounds: Bounds, ready, leave) -> Bounds:
    """``bounds`` narrowed to when one more guest is there."""
    start, end = bounds
    if ready is not None:
        start = ready if start is None else max(start, ready)
    if leave is not None:
        end = leave if end is None else min(end, leave)
    return start, end


def day_lodging(visit: Visit, people: Whereabouts) -> dict[tuple[str, int], dict[int, int]]:
    """Per group and day index, where most of its guests slept the night before (on their
    first day, where they sleep that night); ties go to the lowest venue id."""
    votes: dict[tuple[str, int], dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for index, day in enumerate(visit.days):
        for guest in people.guests.values():
            where = people.lodging.get((guest.pk, day - DAY)) or people.lodging.get((guest.pk, day))
            if where is not None:
                votes[_group(guest)][index][where[0].pk] += 1
    return {
        group: {
            index: min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            for index, counter in by_day.items()
        }
        for group, by_day in votes.items()
    }


def solver_hints(*, visit: Visit) -> SolverHints:
    zone = ZoneInfo(visit.time_zone)
    people = guest_whereabouts(visit=visit, zone=zone)
    there = {pk: ready_and_leave(people, guest, zone) for pk, guest in people.guests.items()}
    presence: dict[tuple[str, int], Bounds] = {}
    for pk, (ready, leave) in there.items():
        key = _group(people.guests[pk])
        presence[key] = _narrow(presence.get(key, (None, None)), ready, leave)
    windows: dict[int, Bounds] = {}
    for link in ActivityGuest.objects.filter(activity__visit=visit).order_by("pk"):
        if link.guest_id not in people.guests:
            continue
        ready, leave = there[link.guest_id]
        bounds = windows.get(link.activity_id, (None, None))
        windows[link.activity_id] = _narrow(bounds, ready, leave)
    return SolverHints(windows, day_lodging(visit, people), presence)
