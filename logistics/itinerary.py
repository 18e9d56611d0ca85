"""One guest's itinerary, day by day, in the active language (call under
``translation.override``): arrival, pick-up, each activity with its place, hosts and
interpreters, each ride and its vehicle, the night's lodging, drop-off, departure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from logistics.selectors import Plan
from planner import i18n


@dataclass
class Item:
    kind: str  # arrival | departure | pickup | dropoff | ride | activity
    start: dt.datetime
    end: dt.datetime | None
    title: str
    place: str = ""
    address: str = ""
    lines: list[str] = field(default_factory=list)
    time_label: str = ""


@dataclass
class Day:
    day: dt.date
    label: str
    items: list[Item]
    lodging: str | None
    lodging_address: str = ""
    lodging_label: str = ""


def _address(venue) -> str:
    return venue.full_address if venue else ""


def _vehicle_lines(view) -> list[str]:
    lines = []
    for vehicle in view.vehicles:
        driver = vehicle.driver
        if driver:
            contact = " ".join(x for x in (driver.full_name, driver.phone) if x)
            lines.append(
                _("Vehicle: %(vehicle)s, driver %(driver)s")
                % {"vehicle": vehicle.name, "driver": contact}
            )
        else:
            lines.append(_("Vehicle: %(vehicle)s") % {"vehicle": vehicle.name})
    if not view.vehicles:
        lines.append(_("Vehicle to be confirmed."))
    return lines


def _journey_items(plan: Plan, guest_id: int) -> list[Item]:
    titles = {"arrival": _("Arrival"), "departure": _("Departure")}
    items = []
    for direction, journey in plan.journeys.get(guest_id, {}).items():
        lines = [journey.get_mode_display()]
        if journey.reference:
            lines.append(_("Reference: %(reference)s") % {"reference": journey.reference})
        items.append(
            Item(
                direction,
                journey.time,
                None,
                titles[direction],
                journey.place.name,
                _address(journey.place),
                lines,
            )
        )
    return items


def _leg_items(plan: Plan, guest_id: int) -> list[Item]:
    items = []
    for view in plan.guest_legs(guest_id):
        kind = {"pickup": "pickup", "dropoff": "dropoff"}.get(view.leg.kind, "ride")
        title = {
            "pickup": _("Pick-up and transfer to %(place)s"),
            "dropoff": _("Drop-off at %(place)s"),
            "ride": _("Ride to %(place)s"),
        }[kind] % {"place": view.destination.name}
        lines = [_("From %(origin)s") % {"origin": view.origin.name}, *_vehicle_lines(view)]
        if view.leg.travel_minutes:
            lines.append(i18n.duration(view.leg.travel_minutes))
        items.append(
            Item(
                kind,
                view.leg.depart,
                view.leg.arrive,
                title,
                view.origin.name,
                _address(view.origin),
                lines,
            )
        )
    return items


def _slot_lines(slot) -> list[str]:
    lines = []
    for host in (link.person for link in slot.activity.host_links.all()):
        contact = ", ".join(x for x in (host.position, host.phone, host.email) if x)
        lines.append(
            _("Host: %(name)s") % {"name": host.full_name} + (f" ({contact})" if contact else "")
        )
    interpreters = sorted({a.interpreter.person.full_name for a in slot.assignments.all()})
    if interpreters:
        lines.append(_("Interpreters: %(names)s") % {"names": i18n.names(interpreters)})
    if slot.activity.languages:
        languages = i18n.names([i18n.language_name(c) for c in slot.activity.languages])
        lines.append(_("Languages: %(languages)s") % {"languages": languages})
    return lines


def _slot_items(plan: Plan, guest_id: int) -> list[Item]:
    return [
        Item(
            "activity",
            slot.start,
            slot.end,
            slot.activity.local_title,
            slot.venue.name,
            _address(slot.venue),
            _slot_lines(slot),
        )
        for slot in plan.guest_slots(guest_id)
    ]


ORDER = {"arrival": 0, "pickup": 1, "ride": 2, "activity": 3, "dropoff": 4, "departure": 5}


def _day(plan: Plan, guest_id: int, day: dt.date, items: list[Item]) -> Day:
    zone = plan.zone
    lodged = plan.lodging.get((guest_id, day))
    hotel = lodged[0] if lodged else None
    return Day(
        day,
        i18n.full_date(day),
        [item for item in items if item.start.astimezone(zone).date() == day],
        hotel.name if hotel else None,
        _address(hotel),
        _("Night at %(hotel)s")
        % {"hotel": ", ".join(x for x in (hotel.name, _address(hotel)) if x)}
        if hotel
        else "",
    )


def guest_itinerary(plan: Plan, guest_id: int) -> list[Day]:
    zone = plan.zone
    items = (
        _journey_items(plan, guest_id) + _leg_items(plan, guest_id) + _slot_items(plan, guest_id)
    )
    items.sort(key=lambda item: (item.start, ORDER[item.kind]))
    for item in items:
        if item.end is not None:
            item.time_label = i18n.time_range(item.start, item.end, zone=zone)
        else:
            item.time_label = i18n.short_time(item.start, zone=zone)
    days_seen = sorted(
        {item.start.astimezone(zone).date() for item in items} | set(plan.nights.get(guest_id, []))
    )
    return [_day(plan, guest_id, day, items) for day in days_seen]
