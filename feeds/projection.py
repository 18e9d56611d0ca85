"""A published version as the calendar events it should give: pure (no database, no clock).

``wanted_events`` turns the facts read by ``feeds.sources`` into one entry per event, keyed by
what the event is about ("activity-12", "travel-a12-a15", "journey-3"): its kind, times,
place key, feed status, the people in it (hosts, interpreters, audience groups; guests for a
journey) and the content the calendar shows. ``feeds.sync`` compares them with what was sent.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from feeds.models import FeedEvent, FeedStatus
from feeds.sources import JourneyFacts, SlotFacts, Sources
from scheduling import attendance
from scheduling.models import Slot

# A leg this long gets its own event: shorter ones are part of the gap between activities.
LONG_TRAVEL_MINUTES = 45
# An arrival or departure shows as a half-hour event at its time.
JOURNEY_MINUTES = 30

SLOT_TO_FEED = {
    Slot.Status.PROPOSED: FeedStatus.TENTATIVE,
    Slot.Status.CONFIRMED: FeedStatus.CONFIRMED,
    Slot.Status.DECLINED: FeedStatus.CANCELLED,
    Slot.Status.CANCELLED: FeedStatus.CANCELLED,
}


def wanted_events(sources: Sources) -> dict[str, dict]:
    events = {}
    for slot in sources.slots:
        events[f"activity-{slot.activity}"] = _activity_event(slot, sources.groups)
    events.update(_travel_events(sources, events))
    for journey in sources.journeys:
        events[f"journey-{journey.id}"] = _journey_event(journey)
    return events


def _activity_event(slot: SlotFacts, all_groups: tuple[int, ...]) -> dict:
    interpreters: dict[int, dict] = {}
    for turn in slot.turns:
        entry = interpreters.setdefault(
            turn.interpreter, {"id": turn.interpreter, "name": turn.name, "directions": []}
        )
        entry["directions"].append([turn.source, turn.target])
    return {
        "kind": FeedEvent.Kind.ACTIVITY,
        "activity": slot.activity,
        "start": slot.start,
        "end": slot.end,
        "place": f"venue-{slot.venue}",
        "status": SLOT_TO_FEED[slot.status],
        "people": {
            "hosts": sorted(h.id for h in slot.hosts),
            "interpreters": sorted(interpreters),
            "groups": attendance.audience_groups(slot.audience, all_groups),
        },
        "data": {
            "title": slot.title,
            "titles": dict(slot.titles),
            "texts": dict(slot.texts),
            "activity_kind": slot.activity_kind,
            "text": slot.text,
            "slot_status": slot.status,
            "venue": slot.venue_data,
            "hosts": [{"id": h.id, "name": h.name, "position": h.position} for h in slot.hosts],
            "interpreters": list(interpreters.values()),
            "languages": list(slot.languages),
            # The solver's choice, when the version has one (older events keep their data).
            **({"chosen": slot.chosen} if slot.chosen else {}),
            "phase": slot.phase,
            "questions": list(slot.questions),
            # Each host's own answer (a host's feed follows it), only once someone answered.
            **({"answers": {str(p): a for p, a in slot.answers}} if slot.answers else {}),
        },
    }


def _travel_events(sources: Sources, activity_events: dict[str, dict]) -> dict[str, dict]:
    """Long legs of each group's day: lodging → first activity, between activities, → lodging.

    A leg is named by its group, its day and its venues ("travel-g3-20300330-v7-v9"), never by
    the activities around it: a leg that does not change keeps its UID when a neighbouring
    activity moves. The same trip made at the same time by several groups is one event (named
    after the whole delegation when it goes, else its first sub-group); interpreters assigned to
    the activities at both ends travel with it."""
    zone = ZoneInfo(sources.time_zone)
    minutes = sources.minutes
    live = [e for e in activity_events.values() if e["status"] != FeedStatus.CANCELLED]
    interpreters = {e["activity"]: set(e["people"]["interpreters"]) for e in live}
    order = {group: i for i, group in enumerate([attendance.WHOLE, *sources.groups])}
    stops = [
        (
            group,
            attendance.Stop(e["activity"], int(e["place"].split("-")[1]), e["start"], e["end"]),
        )
        for e in live
        for group in e["people"]["groups"]
        if group in order
    ]
    paths = attendance.day_paths(
        stops, zone, lambda group, _day: (sources.lodging.get(group) or None,) * 2
    )
    trips: dict[tuple, dict] = {}  # (origin, destination, start, end) -> the leg
    for path in sorted(paths, key=lambda p: (order[p.guest], p.day)):
        for _kind, origin, destination, start, _arrive, m, after, before in attendance.path_legs(
            path, minutes
        ):
            if (m or 0) < LONG_TRAVEL_MINUTES:
                continue
            end = start + dt.timedelta(minutes=m)
            leg = trips.setdefault(
                (origin, destination, start, end),
                {"day": path.day, "groups": set(), "interpreters": set()},
            )
            leg["groups"].add(path.guest)
            if after is not None and before is not None:
                leg["interpreters"] |= interpreters[after] & interpreters[before]
    legs: dict[str, dict] = {}
    for (origin, destination, start, end), leg in sorted(trips.items(), key=lambda t: t[0][2]):
        group = min(leg["groups"], key=order.__getitem__)
        base = f"travel-g{group}-{leg['day']:%Y%m%d}-v{origin}-v{destination}"
        key, n = base, 1
        while key in legs:  # the same trip twice in a day: the later one numbered
            n += 1
            key = f"{base}-{n}"
        legs[key] = {
            "kind": FeedEvent.Kind.TRAVEL,
            "activity": None,
            "start": start,
            "end": end,
            "place": f"travel-{origin}-{destination}",
            "status": FeedStatus.CONFIRMED,
            "people": {
                "hosts": [],
                "interpreters": sorted(leg["interpreters"]),
                "groups": sorted(leg["groups"]),
            },
            "data": {
                "origin": sources.venues.get(origin),
                "destination": sources.venues.get(destination),
                "minutes": int((end - start).total_seconds() // 60),
            },
        }
    return legs


def _journey_event(journey: JourneyFacts) -> dict:
    """A guest's own arrival or departure (logistics), seen only in that guest's feed: flight
    numbers and times are personal."""
    return {
        "kind": FeedEvent.Kind.JOURNEY,
        "start": journey.time,
        "end": journey.time + dt.timedelta(minutes=JOURNEY_MINUTES),
        "place": f"venue-{journey.place}",
        "status": FeedStatus.CONFIRMED,
        "people": {"guests": [journey.guest]},
        "data": {
            "direction": journey.direction,
            "reference": journey.reference,
            "text": journey.note,
            "venue": journey.place_data,
        },
    }
