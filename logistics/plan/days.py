"""Stage 3: each guest's day path (from the night before's lodging, through the venues of
the slots they attend, to the night's lodging) and their transfers to and from stations."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from logistics import legs as leg_model
from logistics.models import Journey
from logistics.plan.lodging import DAY, Lodging, local_date
from scheduling import attendance as attend
from scheduling.models import Slot


def guest_days(
    slots: Iterable[Slot], attendance: dict[int, list[int]], lodging: Lodging, zone: ZoneInfo
) -> list[attend.DayPath]:
    def ends(guest_id, day):
        before = lodging.get((guest_id, day - DAY))
        tonight = lodging.get((guest_id, day))
        # The first night's hotel starts the arrival day; the last one's ends the last day.
        start_venue = (before or tonight or (None,))[0]
        end_venue = (tonight or before or (None,))[0]
        return (start_venue.pk if start_venue else None, end_venue.pk if end_venue else None)

    stops = [
        (guest_id, attend.Stop(slot.activity_id, slot.venue_id, slot.start, slot.end))
        for slot in slots
        for guest_id in attendance[slot.pk]
    ]
    return attend.day_paths(stops, zone, ends)


def transfers(
    journeys: dict[int, dict[str, Journey]], lodging: Lodging, zone: ZoneInfo
) -> list[leg_model.Transfer]:
    """The journeys the organisers drive: to the lodging of the arrival's night, from that of
    the departure's eve."""
    found = []
    for guest_id, by_direction in journeys.items():
        for direction, journey in by_direction.items():
            if not journey.transfer:
                continue
            day = local_date(journey.time, zone)
            night = day if direction == Journey.Direction.ARRIVAL else day - DAY
            where = lodging.get((guest_id, night))
            found.append(
                leg_model.Transfer(
                    guest_id,
                    direction,
                    journey.place_id,
                    journey.time,
                    journey.mode,
                    where[0].pk if where else None,
                )
            )
    return found
