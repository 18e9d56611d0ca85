"""Stage 3: each guest's day path (from the night before's lodging, through the venues of
the slots they attend, to the night's lodging) and their transfers to and from stations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from logistics import legs as leg_model
from logistics.models import Journey
from logistics.plan.lodging import DAY, Lodging, local_date
from scheduling.models import Slot


def guest_days(
    slots: Iterable[Slot], attendance: dict[int, list[int]], lodging: Lodging, zone: ZoneInfo
) -> list[leg_model.GuestDay]:
    by_guest_day: dict[tuple, list[leg_model.Stop]] = defaultdict(list)
    for slot in slots:
        day = local_date(slot.start, zone)
        for guest_id in attendance[slot.pk]:
            by_guest_day[(guest_id, day)].append(
                leg_model.Stop(slot.activity_id, slot.venue_id, slot.start, slot.end)
            )
    days = []
    for (guest_id, day), stops in sorted(by_guest_day.items()):
        before = lodging.get((guest_id, day - DAY))
        tonight = lodging.get((guest_id, day))
        # The first night's hotel starts the arrival day; the last one's ends the last day.
        start_venue = (before or tonight or (None,))[0]
        end_venue = (tonight or before or (None,))[0]
        days.append(
            leg_model.GuestDay(
                guest_id,
                day,
                start_venue.pk if start_venue else None,
                end_venue.pk if end_venue else None,
                tuple(stops),
            )
        )
    return days


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
