"""Travel legs derived from each guest's day (pure: no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

from logistics.legs import (
    DROPOFF,
    PICKUP,
    PROGRAMME,
    Transfer,
    all_legs,
    programme_legs,
    transfer_legs,
)
from scheduling.attendance import DayPath as GuestDay
from scheduling.attendance import Stop
from scheduling.attendance import path_legs as guest_day_legs

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2009, 4, 20)
HOTEL, TOWNHALL, FARM, AIRPORT = 1, 2, 3, 9
TRAVEL = {
    (HOTEL, TOWNHALL): 45,
    (TOWNHALL, FARM): 60,
    (FARM, HOTEL): 90,
    (AIRPORT, HOTEL): 75,
    (HOTEL, AIRPORT): 75,
}


def at(hour, minute=0, day=DAY):
    return dt.datetime.combine(day, dt.time(hour, minute), PARIS)


def day_of(guest, *stops, start=HOTEL, end=HOTEL):
    return GuestDay(guest, DAY, start, end, tuple(stops))


MEETING = Stop(10, TOWNHALL, at(10), at(11, 30))
VISIT = Stop(11, FARM, at(14), at(16))


def test_day_legs_go_from_lodging_through_each_venue_and_back():
    legs = guest_day_legs(day_of(1, MEETING, VISIT), TRAVEL)
    assert [(leg[1], leg[2], leg[3], leg[4], leg[5]) for leg in legs] == [
        (HOTEL, TOWNHALL, at(9, 15), at(10), 45),
        (TOWNHALL, FARM, at(11, 30), at(12, 30), 60),
        (FARM, HOTEL, at(16), at(17, 30), 90),
    ]
    assert [(leg[6], leg[7]) for leg in legs] == [(None, 10), (10, 11), (11, None)]


def test_day_without_activities_has_no_legs():
    assert guest_day_legs(day_of(1), TRAVEL) == []


def test_consecutive_activities_at_one_venue_need_no_leg():
    second = Stop(12, TOWNHALL, at(12), at(13))
    legs = guest_day_legs(day_of(1, MEETING, second), TRAVEL)
    assert [(leg[1], leg[2]) for leg in legs] == [(HOTEL, TOWNHALL), (TOWNHALL, HOTEL)]


def test_unknown_travel_time_is_reported_as_none_and_counts_zero():
    legs = guest_day_legs(day_of(1, MEETING), {})
    assert [(leg[3], leg[4], leg[5]) for leg in legs] == [
        (at(10), at(10), None),
        (at(11, 30), at(11, 30), None),
    ]


def test_guests_on_the_same_leg_ride_together():
    legs = programme_legs([day_of(1, MEETING), day_of(2, MEETING), day_of(3, VISIT)], TRAVEL)
    together = [leg for leg in legs if leg.origin == HOTEL and leg.destination == TOWNHALL]
    assert [(leg.guests, leg.people, leg.kind) for leg in together] == [((1, 2), 2, PROGRAMME)]
    assert sorted(leg.people for leg in legs) == [1, 1, 2, 2]


def test_leg_key_is_stable_and_names_the_kind_time_and_places():
    (leg,) = [leg for leg in programme_legs([day_of(1, MEETING)], TRAVEL) if leg.origin == HOTEL]
    assert leg.key == "L20090420T0715Z-1-2"


def test_arrivals_close_in_time_share_one_pickup_that_waits_for_the_last():
    transfers = [
        Transfer(1, "arrival", AIRPORT, at(10, 40), "plane", HOTEL),
        Transfer(2, "arrival", AIRPORT, at(11, 30), "plane", HOTEL),
        Transfer(3, "arrival", AIRPORT, at(15, 0), "plane", HOTEL),
    ]
    legs = transfer_legs(transfers, TRAVEL, PARIS)
    assert [(leg.kind, leg.guests, leg.depart, leg.arrive) for leg in legs] == [
        (PICKUP, (1, 2), at(12, 15), at(13, 30)),
        (PICKUP, (3,), at(15, 45), at(17, 0)),
    ]


def test_dropoff_leaves_to_make_check_in_of_the_earliest_flight():
    transfers = [
        Transfer(1, "departure", AIRPORT, at(12, 0), "plane", HOTEL),
        Transfer(2, "departure", AIRPORT, at(12, 30), "plane", HOTEL),
    ]
    (leg,) = transfer_legs(transfers, TRAVEL, PARIS)
    assert (leg.kind, leg.origin, leg.destination, leg.depart, leg.arrive, leg.guests) == (
        DROPOFF,
        HOTEL,
        AIRPORT,
        at(8, 45),
        at(10, 0),
        (1, 2),
    )


def test_transfer_without_lodging_makes_no_leg():
    assert (
        transfer_legs([Transfer(1, "arrival", AIRPORT, at(10), "train", None)], TRAVEL, PARIS) == []
    )


def test_all_legs_are_sorted_by_departure():
    legs = all_legs(
        [day_of(1, VISIT)],
        [Transfer(1, "arrival", AIRPORT, at(8), "train", HOTEL)],
        TRAVEL,
        PARIS,
    )
    assert [leg.kind for leg in legs] == [PICKUP, PROGRAMME, PROGRAMME]
    assert [leg.depart for leg in legs] == sorted(leg.depart for leg in legs)
