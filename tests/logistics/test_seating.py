"""Vehicles for legs (pure): enough seats, no vehicle in two places, shortfalls named."""

import datetime as dt
from zoneinfo import ZoneInfo

from logistics.seating import SeatLeg, SeatVehicle, Shortfall, assign_vehicles

PARIS = ZoneInfo("Europe/Paris")


def at(hour, minute=0):
    return dt.datetime(2009, 4, 20, hour, minute, tzinfo=PARIS)


def leg(key, start, end, people, origin=1, destination=2):
    return SeatLeg(key, origin, destination, at(*start), at(*end), people)


MINIBUS, CAR, VAN = SeatVehicle(1, 8), SeatVehicle(2, 3), SeatVehicle(3, 5)


def test_smallest_vehicle_with_enough_seats_is_chosen():
    result = assign_vehicles([leg("a", (9, 0), (10, 0), 3)], [MINIBUS, CAR, VAN])
    assert result.vehicles == {"a": (2,)}
    assert result.shortfalls == [] and result.split == []


def test_overlapping_legs_get_different_vehicles():
    legs = [leg("a", (9, 0), (10, 0), 3), leg("b", (9, 30), (10, 30), 3)]
    result = assign_vehicles(legs, [MINIBUS, CAR])
    assert result.vehicles == {"a": (2,), "b": (1,)}


def test_a_vehicle_drives_empty_to_its_next_leg():
    # The car ends at 2 at 10:00 and needs 30 minutes to reach 3 where the next leg starts.
    legs = [
        leg("a", (9, 0), (10, 0), 2, origin=1, destination=2),
        leg("b", (10, 15), (11, 0), 2, origin=3, destination=1),
    ]
    result = assign_vehicles(legs, [CAR, VAN], travel={(2, 3): 30})
    assert result.vehicles == {"a": (2,), "b": (3,)}
    assert assign_vehicles(legs, [CAR, VAN], travel={(2, 3): 15}).vehicles == {"a": (2,), "b": (2,)}


def test_more_people_than_any_vehicle_split_over_several():
    result = assign_vehicles([leg("a", (9, 0), (10, 0), 11)], [MINIBUS, CAR, VAN])
    assert result.vehicles == {"a": (1, 3)}
    assert result.split == ["a"]
    assert result.shortfalls == []


def test_leg_short_of_seats_reports_how_many():
    result = assign_vehicles([leg("a", (9, 0), (10, 0), 12)], [MINIBUS, CAR])
    assert result.vehicles == {"a": (1, 2)}
    assert result.shortfalls == [Shortfall("a", 12, 11)]
    assert result.shortfalls[0].missing == 1


def test_no_vehicle_at_all_is_short_by_everyone():
    result = assign_vehicles([leg("a", (9, 0), (10, 0), 4)], [])
    assert result.vehicles == {"a": ()}
    assert [s.missing for s in result.shortfalls] == [4]


def test_vehicle_outside_its_hours_is_not_used():
    late = SeatVehicle(4, 8, available_from=at(12, 0))
    result = assign_vehicles([leg("a", (9, 0), (10, 0), 4)], [late, VAN])
    assert result.vehicles == {"a": (3,)}
    early = SeatVehicle(5, 8, available_until=at(9, 30))
    assert assign_vehicles([leg("a", (9, 0), (10, 0), 4)], [early]).shortfalls == [
        Shortfall("a", 4, 0)
    ]


def test_pinned_vehicle_is_kept_and_its_conflict_reported():
    legs = [leg("a", (9, 0), (10, 0), 2), leg("b", (9, 30), (10, 30), 2)]
    result = assign_vehicles(legs, [MINIBUS, CAR], pinned={"a": (1,), "b": (1,)})
    assert result.vehicles == {"a": (1,), "b": (1,)}
    assert result.pin_conflicts == [("b", 1)]


def test_pinned_vehicle_too_small_is_short():
    result = assign_vehicles([leg("a", (9, 0), (10, 0), 5)], [MINIBUS, CAR], pinned={"a": (2,)})
    assert result.vehicles == {"a": (2,)}
    assert result.shortfalls == [Shortfall("a", 5, 3)]


def test_empty_leg_needs_no_vehicle():
    assert assign_vehicles([leg("a", (9, 0), (10, 0), 0)], [CAR]).vehicles == {}
