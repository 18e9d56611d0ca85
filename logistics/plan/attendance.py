"""Stage 1: when each guest is here (their journeys, else their stated dates) and which
guests attend each slot (its audience, if they are here for the whole of it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from delegations.models import Guest
from logistics.models import Journey
from logistics.plan.facts import SlotFacts
from logistics.plan.warnings import ActivityName, LogisticsWarning
from scheduling.attendance import attends

Presence = tuple[dt.datetime | None, dt.datetime | None]


def guest_presence(guest: Guest, journeys: dict[str, Journey]) -> Presence:
    """Arrival and departure: the journey's time when there is one, else the guest's own."""
    arrival = journeys.get("arrival")
    departure = journeys.get("departure")
    return (
        arrival.time if arrival else guest.arrival,
        departure.time if departure else guest.departure,
    )


def presences(
    guests: Iterable[Guest], journeys: dict[int, dict[str, Journey]]
) -> tuple[dict[int, Presence], list[LogisticsWarning]]:
    presence, warnings = {}, []
    for guest in guests:
        arrival, departure = presence[guest.pk] = guest_presence(guest, journeys.get(guest.pk, {}))
        if arrival and departure and departure <= arrival:
            warnings.append(
                LogisticsWarning(
                    "departure_before_arrival", {"guest": guest.full_name}, {"guest": guest.pk}
                )
            )
    return presence, warnings


def is_present(presence: Presence, start: dt.datetime, end: dt.datetime) -> bool:
    arrival, departure = presence
    return (arrival is None or arrival <= start) and (departure is None or departure >= end)


def attendance(
    slots: Iterable[SlotFacts],
    guests: Iterable[Guest],
    presence: dict[int, Presence],
    zone: ZoneInfo,
) -> tuple[dict[int, list[int]], list[LogisticsWarning]]:
    """Per slot id, the ids of the guests there; a warning for each expected guest who is
    not (a stronger one when the activity requires them)."""
    guests = list(guests)
    attending: dict[int, list[int]] = {}
    warnings = []
    for facts in slots:
        slot = facts.slot
        attending[slot.pk] = []
        for guest in guests:
            if not attends(facts.audience, guest.subgroup_id):
                continue
            if is_present(presence[guest.pk], slot.start, slot.end):
                attending[slot.pk].append(guest.pk)
                continue
            code = "required_guest_absent" if guest.pk in facts.required else "guest_misses"
            warnings.append(
                LogisticsWarning(
                    code,
                    {
                        "guest": guest.full_name,
                        "activity": ActivityName.of(slot.activity),
                        "start": slot.start,
                        "zone": zone,
                    },
                    {"guest": guest.pk, "activity": slot.activity_id, "slot": slot.pk},
                )
            )
    return attending, warnings
