"""The timetable's travel before each block: the legs between the day's slots, as
``scheduling.attendance`` reads them (plain objects, no database)."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import translation

from scheduling import timetable

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2030, 4, 2)
HALL, FARM = 1, 2


def slot(pk, venue, hour, minutes=60, day=DAY):
    start = dt.datetime.combine(day, dt.time(hour), PARIS)
    activity = SimpleNamespace(local_title=f"A{pk}", kind="visit", languages=["fr"], host_links=[])
    activity.host_links = SimpleNamespace(all=lambda: [])
    return SimpleNamespace(
        pk=pk,
        activity_id=100 + pk,
        activity=activity,
        venue_id=venue,
        venue=SimpleNamespace(name=f"V{venue}"),
        start=start,
        end=start + dt.timedelta(minutes=minutes),
        status="proposed",
        locked=False,
        assignments=SimpleNamespace(all=lambda: []),
        languages={},
        change_reason="",
    )


VISIT = SimpleNamespace(
    time_zone="Europe/Paris",
    start_date=DAY,
    day_start=dt.time(8),
    day_end=dt.time(18),
    days=[DAY, DAY + dt.timedelta(days=1)],
)


def test_a_leg_ends_at_the_next_block_when_the_venue_changes_within_a_day():
    slots = [
        slot(1, HALL, 9),
        slot(2, FARM, 12),
        slot(3, FARM, 14),  # same venue: no leg
        slot(4, HALL, 9, day=DAY + dt.timedelta(days=1)),  # next day: no leg from the farm
    ]
    with translation.override("en"):
        table = timetable.build(visit=VISIT, slots=slots, travel={(HALL, FARM): 60})
    first, second = table.days
    assert [leg.minutes for leg in first.legs] == [60]
    (leg,) = first.legs
    noon = next(b for b in first.blocks if b.slot_id == 2)
    assert leg.top + leg.height == noon.top
    assert second.legs == []


def test_no_leg_without_a_travel_time():
    with translation.override("en"):
        table = timetable.build(visit=VISIT, slots=[slot(1, HALL, 9), slot(2, FARM, 12)], travel={})
    assert table.days[0].legs == []
