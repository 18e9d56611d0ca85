"""The attendance module alone, on plain data (no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

from scheduling import attendance as at
from scheduling.attendance import WHOLE

PARIS = ZoneInfo("Europe/Paris")
DAY = dt.date(2030, 4, 2)
HOTEL, TOWNHALL, FARM, INN = 1, 2, 3, 4
TRAVEL = {
    (HOTEL, TOWNHALL): 20,
    (TOWNHALL, FARM): 60,
    (FARM, HOTEL): 50,
    (INN, TOWNHALL): 30,
    (FARM, INN): 40,
}
RED, BLUE = 10, 11  # sub-groups


def t(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), PARIS)


# RED sleeps at the inn; BLUE and the whole delegation at the visit's hotel. Guests 1, 2 are
# in RED, 3 in BLUE, 4 in no sub-group.
LODGING = {RED: INN, BLUE: HOTEL, WHOLE: HOTEL}
GUESTS = {1: RED, 2: RED, 3: BLUE, 4: None}


def test_an_activity_without_audience_is_for_the_whole_delegation():
    assert at.audience_groups([], [RED, BLUE]) == [RED, BLUE, WHOLE]
    assert [g for g, sub in GUESTS.items() if at.attends(frozenset(), sub)] == [1, 2, 3, 4]


def test_a_sub_group_audience_is_that_group_only():
    assert at.audience_groups([RED], [RED, BLUE]) == [RED]
    assert [g for g, sub in GUESTS.items() if at.attends(frozenset({RED}), sub)] == [1, 2]


def test_a_guest_in_no_sub_group_follows_only_the_whole_delegation():
    assert at.attends(frozenset(), None)
    assert not at.attends(frozenset({RED}), None)
    assert at.attends(frozenset({RED}), RED)
    assert not at.attends(frozenset({RED}), BLUE)


def test_the_solver_names_a_delegation_without_sub_groups_apart_from_sub_groups():
    gid = at.solver_group(3)
    assert gid >= at.SOLVER_WHOLE_OFFSET
    assert at.solver_delegation(gid) == 3
    assert at.solver_delegation(RED) is None


def test_a_group_day_path_goes_from_its_lodging_through_its_stops_and_back():
    plenary = ((), at.Stop(100, TOWNHALL, t(9), t(10)))
    workshop = ((RED,), at.Stop(101, FARM, t(11), t(12)))
    stops = [
        (group, stop)
        for audience, stop in (plenary, workshop)
        for group in at.audience_groups(audience, [RED, BLUE])
    ]
    paths = {p.guest: p for p in at.day_paths(stops, PARIS, lambda g, _d: (LODGING[g],) * 2)}
    red = paths[RED]
    assert (red.day, red.start_venue, red.end_venue) == (DAY, INN, INN)
    assert at.path_legs(red, TRAVEL) == [
        (at.PROGRAMME, INN, TOWNHALL, t(8, 30), t(9), 30, None, 100),
        (at.PROGRAMME, TOWNHALL, FARM, t(10), t(11), 60, 100, 101),
        (at.PROGRAMME, FARM, INN, t(12), t(12, 40), 40, 101, None),
    ]
    assert [stop.activity for stop in paths[BLUE].stops] == [100]
    assert at.path_legs(paths[WHOLE], TRAVEL)[0] == (
        at.PROGRAMME,
        HOTEL,
        TOWNHALL,
        t(8, 40),
        t(9),
        20,
        None,
        100,
    )


def test_a_guest_day_path_follows_their_group_and_its_lodging():
    plenary = (frozenset(), at.Stop(100, TOWNHALL, t(9), t(10)))
    workshop = (frozenset({RED}), at.Stop(101, FARM, t(11), t(12)))
    stops = [
        (guest, stop)
        for audience, stop in (plenary, workshop)
        for guest, sub in GUESTS.items()
        if at.attends(audience, sub)
    ]
    paths = {
        p.guest: p
        for p in at.day_paths(stops, PARIS, lambda g, _d: (LODGING[GUESTS[g] or WHOLE],) * 2)
    }
    assert [stop.activity for stop in paths[1].stops] == [100, 101]
    assert (paths[1].start_venue, paths[1].end_venue) == (INN, INN)
    # The guest in no sub-group: the whole delegation's activities, from the visit's hotel.
    assert [stop.activity for stop in paths[4].stops] == [100]
    assert at.path_legs(paths[4], TRAVEL) == [
        (at.PROGRAMME, HOTEL, TOWNHALL, t(8, 40), t(9), 20, None, 100),
        (at.PROGRAMME, TOWNHALL, HOTEL, t(10), t(10), None, 100, None),
    ]


def test_day_paths_split_at_local_midnight_and_a_missing_lodging_has_no_leg():
    late = dt.datetime(2030, 4, 2, 22, 30, tzinfo=dt.UTC)  # 00:30 on the 3rd in Paris
    stops = [("g", at.Stop(100, TOWNHALL, t(9), t(10))), ("g", at.Stop(101, FARM, late, late))]
    paths = at.day_paths(stops, PARIS, lambda _owner, _day: (None, None))
    assert [p.day for p in paths] == [DAY, dt.date(2030, 4, 3)]
    assert at.path_legs(paths[0], TRAVEL) == []


def test_same_venue_stops_need_no_leg():
    path = at.DayPath(
        1,
        DAY,
        TOWNHALL,
        TOWNHALL,
        (at.Stop(100, TOWNHALL, t(9), t(10)), at.Stop(101, TOWNHALL, t(11), t(12))),
    )
    assert at.path_legs(path, TRAVEL) == []
