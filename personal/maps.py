"""The map of each day of a person's page: the places of the day, in the order the person
goes to them, with their coordinates, for ``static/personal/map.js`` (through
``json_script``) and for the list of places the page shows with or without the map.

Built from the page's days (``personal.selectors``): each entry names its place (a venue's
name, unique in a visit), the day's lodging closes the day. The visit's venues are read once,
whatever the number of days and activities."""

from __future__ import annotations

from dataclasses import dataclass, field

from events.models import Venue

# A ride's time is when it leaves its place, not a time spent there.
RIDES = {"pickup", "ride", "dropoff"}


@dataclass
class Place:
    number: int
    name: str
    address: str
    map_url: str
    lat: float | None
    lng: float | None
    times: list[str] = field(default_factory=list)


@dataclass
class DayMap:
    places: list[Place]
    route: list[Place]  # the places in the order gone to (a place again after another)

    @property
    def drawable(self) -> bool:
        return any(p.lat is not None for p in self.places)

    def data(self) -> dict:
        """What map.js draws: numbered markers and the day's path between them."""
        points = [
            {
                "n": p.number,
                "name": p.name,
                "address": p.address,
                "times": p.times,
                "lat": p.lat,
                "lng": p.lng,
            }
            for p in self.places
            if p.lat is not None
        ]
        path = [[p.lat, p.lng] for p in self.route if p.lat is not None]
        return {"points": points, "path": path}


def _stops(day) -> list[tuple[str, str]]:
    """(place name, time) in the day's order, then the night's lodging. A place is a venue
    of the visit, named uniquely there; a ride starts at its place and its destination is
    the next entry's place (or the lodging)."""
    stops = [
        (entry.place, "" if entry.kind in RIDES else entry.time_label)
        for entry in day.entries
        if entry.place
    ]
    if getattr(day, "lodging", ""):
        stops.append((day.lodging, ""))
    return stops


def day_maps(view) -> dict:
    """Per day of the page (by date), its DayMap; days without places have none."""
    venues = {
        v.name: v
        for v in Venue.objects.filter(visit=view.visit).only(
            "pk", "name", "address", "city", "latitude", "longitude"
        )
    }
    maps = {}
    for day in view.days:
        places: list[Place] = []
        route: list[Place] = []
        seen: dict[str, Place] = {}
        for name, time in _stops(day):
            venue = venues.get(name)
            if venue is None:
                continue
            place = seen.get(name)
            if place is None:
                place = Place(
                    len(places) + 1,
                    venue.name,
                    venue.full_address,
                    venue.map_url,
                    float(venue.latitude) if venue.latitude is not None else None,
                    float(venue.longitude) if venue.longitude is not None else None,
                )
                seen[name] = place
                places.append(place)
            if time and time not in place.times:
                place.times.append(time)
            if not route or route[-1] is not place:
                route.append(place)
        if places:
            maps[day.day] = DayMap(places, route)
    return maps


def attach(view) -> None:
    """Set ``day.map`` (a DayMap or None) on each day of the page view."""
    maps = day_maps(view)
    for day in view.days:
        day.map = maps.get(day.day)
