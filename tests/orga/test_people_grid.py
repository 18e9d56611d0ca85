"""The week grid's pure functions: rows, cells from windows and windows from cells, and the
parts of a window the grid cannot show."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from orga import people_grid as grid

PARIS = ZoneInfo("Europe/Paris")
DAYS = [dt.date(2009, 4, 20), dt.date(2009, 4, 21)]


def at(day: int, hhmm: str) -> dt.datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(DAYS[0] + dt.timedelta(days=day), dt.time(hours, minutes), PARIS)


def test_half_hours_cover_the_day_window_from_the_half_hour_before():
    rows = grid.half_hours(dt.time(8, 45), dt.time(10, 15))
    assert rows == [dt.time(8, 30), dt.time(9, 0), dt.time(9, 30), dt.time(10, 0)]


def test_cells_show_overlapped_half_hours_and_preferred_wins():
    rows = grid.half_hours(dt.time(9, 0), dt.time(11, 0))
    windows = [
        grid.Window(at(0, "09:10"), at(0, "10:00"), "available"),
        grid.Window(at(0, "09:30"), at(0, "10:00"), "preferred"),
    ]
    assert grid.cell_states(windows, DAYS, rows, PARIS) == {
        "2009-04-20T09:00": "available",
        "2009-04-20T09:30": "preferred",
    }


def test_runs_of_one_kind_on_one_day_make_one_window():
    states = {
        "2009-04-20T09:00": "available",
        "2009-04-20T09:30": "available",
        "2009-04-20T10:00": "preferred",
        "2009-04-20T11:00": "available",
        "2009-04-21T09:00": "available",
    }
    assert grid.windows_from_cells(states, PARIS) == [
        grid.Window(at(0, "09:00"), at(0, "10:00"), "available"),
        grid.Window(at(0, "10:00"), at(0, "10:30"), "preferred"),
        grid.Window(at(0, "11:00"), at(0, "11:30"), "available"),
        grid.Window(at(1, "09:00"), at(1, "09:30"), "available"),
    ]


def test_parse_week_refuses_cells_off_the_grid_and_unknown_kinds():
    allowed = {"2009-04-20T09:00"}
    assert grid.parse_week("2009-04-20T09:00=p", allowed) == {"2009-04-20T09:00": "preferred"}
    with pytest.raises(grid.BadCell):
        grid.parse_week("2009-04-20T09:30=a", allowed)
    with pytest.raises(grid.BadCell):
        grid.parse_week("2009-04-20T09:00=u", allowed)


def test_outside_parts_keep_what_the_grid_cannot_show():
    rows = grid.half_hours(dt.time(9, 0), dt.time(18, 0))
    windows = [
        grid.Window(at(0, "17:00"), at(0, "21:00"), "available"),
        grid.Window(at(0, "10:00"), at(0, "11:00"), "available"),
        # From Monday evening to Tuesday noon: the night and Tuesday's early morning stay.
        grid.Window(at(0, "19:00"), at(1, "12:00"), "preferred"),
    ]
    assert grid.outside_parts(windows, DAYS, rows, PARIS) == [
        grid.Window(at(0, "18:00"), at(0, "21:00"), "available"),
        grid.Window(at(0, "19:00"), at(1, "09:00"), "preferred"),
    ]
