"""Issue 14: the time grid, the groups' presence, the welcome first and the closing last, and
data the solver must never misread. One feasible and one infeasible case per rule, and the
validator catching a hand-made violation."""

from __future__ import annotations

import dataclasses

from scheduling.solver import (
    Day,
    Placement,
    ProgrammeResult,
    Window,
    solve_programme,
    validate,
)
from scheduling.solver.greedy import greedy

from .factories import PARAMS, act, at, group, host, problem, starts


def solve(p):
    r = solve_programme(p, PARAMS)
    if r.status in ("optimal", "feasible"):
        assert validate(p, r) == []
    return r


def rules(result) -> set[str]:
    return {c.rule for c in result.conflicts}


def violations(p, placements, **kw) -> set[str]:
    r = ProgrammeResult("feasible", placements=tuple(placements))
    return {v.rule for v in validate(dataclasses.replace(p, **kw), r)}


# ---- time grid -----------------------------------------------------------------------------
def _after_travel(grid: int, latest: float):
    # The hotel (venue 3) is 20 minutes from Carcassonne (1): the earliest start is 09:20.
    return problem(
        [act(1, 60, venue=1, earliest=at(0, 9) + 13, latest=at(0, latest))],
        groups=[group(1, lodging=3)],
        time_grid=grid,
    )


def test_grid_feasible_every_start_is_a_multiple_of_the_grid():
    # Starts 09:20-09:30 fit the travel and the window; on a 15-minute grid only 09:30.
    r = solve(_after_travel(15, 10.5))
    assert r.status == "optimal"
    assert starts(r) == {1: at(0, 9.5)}


def test_grid_one_keeps_minute_starts():
    r = solve(_after_travel(1, 10 + 20 / 60))
    assert starts(r) == {1: at(0, 9) + 20}


def test_grid_infeasible_when_travel_leaves_no_grid_start():
    # Starts 09:20-09:29: none on a 15-minute grid.
    r = solve(_after_travel(15, 10 + 29 / 60))
    assert r.status == "infeasible"


def test_grid_infeasible_when_window_holds_no_grid_start():
    # 09:02-10:05 for a 60-minute meeting: starts 09:02..09:05, none on a 15-minute grid.
    p = problem([act(1, 60, earliest=at(0, 9) + 2, latest=at(0, 10) + 5)], time_grid=15)
    r = solve(p)
    assert r.status == "infeasible"
    assert rules(r) == {"grid"}
    assert r.conflicts[0].params["grid"] == 15


def test_grid_infeasible_when_host_window_holds_no_grid_start():
    p = problem(
        [act(1, 60, hosts=(1,))],
        hosts=[host(1, (at(0, 9) + 2, at(0, 10) + 5))],
        time_grid=15,
    )
    assert solve(p).status == "infeasible"
    assert solve(dataclasses.replace(p, time_grid=1)).status == "optimal"


def test_grid_validator_catches_off_grid_start():
    p = problem([act(1)], time_grid=5)
    assert violations(p, [Placement(1, 0, at(0, 9) + 3)]) == {"grid"}
    assert violations(p, [Placement(1, 0, at(0, 9) + 5)]) == set()


def test_grid_locked_previous_start_off_the_grid_keeps_its_time():
    off = at(0, 9) + 3
    p = problem(
        [act(1), act(2)],
        previous=(Placement(1, 0, off), Placement(2, 0, at(0, 11))),
        locked=frozenset({1}),
        time_grid=5,
    )
    r = solve(p)
    assert r.status in ("optimal", "feasible")
    assert starts(r) == {1: off, 2: at(0, 11)}
    # Not locked: the same old time is a grid violation to repair.
    assert violations(p, [Placement(1, 0, off)], locked=frozenset()) >= {"grid"}


def test_grid_fixed_start_off_the_grid_is_a_data_error():
    p = problem([act(1, fixed_start=at(0, 9) + 3)], time_grid=5)
    r = solve(p)
    assert r.status == "invalid"
    assert [(c.rule, c.params["field"]) for c in r.conflicts] == [("bad_value", "fixed_start")]


def test_grid_greedy_places_on_the_grid():
    p = _after_travel(15, 12)
    result, status, *_ = greedy(p)
    assert status == "feasible"
    assert all(pl.start % 15 == 0 for pl in result.placements)


# ---- presence ------------------------------------------------------------------------------
def _presence(arrives, leaves, *acts, groups=None):
    g = groups or [dataclasses.replace(group(1), presence=(arrives, leaves))]
    return problem(list(acts), days=2, groups=g)


def test_presence_feasible_places_after_arrival_and_before_departure():
    p = _presence(at(0, 14), at(1, 12), act(1, 120), act(2, 120), act(3, 120))
    r = solve(p)
    assert r.status == "optimal"
    for aid, s in starts(r).items():
        assert at(0, 14) <= s and s + 120 <= at(1, 12), aid


def test_presence_infeasible_when_the_delegation_is_there_too_short():
    # Arrives Monday 17:00, leaves Tuesday 10:00: two 1-hour slots, three meetings.
    p = _presence(at(0, 17), at(1, 10), act(1), act(2), act(3))
    r = solve(p)
    assert r.status == "infeasible"
    assert "presence" in rules(r)


def test_presence_infeasible_precheck_names_the_arrival():
    p = _presence(at(0, 14), at(1, 18), act(1, 60, latest=at(0, 13)))
    r = solve(p)
    assert r.status == "infeasible"
    [c] = r.conflicts
    assert (c.rule, c.entities, c.params["arrives"]) == (
        "presence",
        {"activity": (1,), "group": (1,)},
        at(0, 14),
    )


def test_presence_only_binds_the_groups_it_belongs_to():
    g1 = dataclasses.replace(group(1), presence=(at(0, 14), at(1, 18)))
    p = _presence(0, 0, act(1, 60, groups=(2,), latest=at(0, 12)), groups=[g1, group(2)])
    assert solve(p).status == "optimal"


def test_presence_validator_catches_activity_before_arrival():
    p = _presence(at(0, 14), at(1, 17), act(1, 60))
    assert violations(p, [Placement(1, 0, at(0, 9))]) == {"presence"}
    assert violations(p, [Placement(1, 1, at(1, 16.5))]) == {"presence"}
    assert violations(p, [Placement(1, 0, at(0, 14))]) == set()


def test_presence_replan_moves_what_lies_before_the_arrival():
    p = _presence(at(0, 14), at(1, 18), act(1), act(2))
    p = dataclasses.replace(p, previous=(Placement(1, 0, at(0, 9)), Placement(2, 0, at(0, 15))))
    r = solve(p)
    assert r.status in ("optimal", "feasible")
    assert r.moved == (1,)
    assert starts(r)[1] >= at(0, 14)


# ---- first and last of the visit ------------------------------------------------------------
def test_place_in_visit_feasible_welcome_first_and_closing_last():
    p = problem(
        [
            act(1, 60, value=1),
            act(2, 30, place_in_visit="last"),
            act(3, 60, place_in_visit="first"),
            act(4, 60),
        ],
        days=2,
    )
    r = solve(p)
    assert r.status == "optimal"
    s = starts(r)
    assert s[3] + 60 <= min(s[1], s[4]) and max(s[1], s[4]) + 60 <= s[2]


def test_place_in_visit_infeasible_when_the_welcome_cannot_come_first():
    p = problem([act(1, 60, place_in_visit="first", earliest=at(0, 15)), act(2, latest=at(0, 12))])
    r = solve(p)
    assert r.status == "infeasible"
    assert "place_in_visit" in rules(r)


def test_place_in_visit_infeasible_when_the_closing_cannot_come_last():
    p = problem([act(1, 60, place_in_visit="last", latest=at(0, 11)), act(2, earliest=at(0, 14))])
    r = solve(p)
    assert r.status == "infeasible"
    assert "place_in_visit" in rules(r)


def test_place_in_visit_validator_catches_closing_before_a_visit():
    p = problem([act(1, place_in_visit="last"), act(2)])
    assert violations(p, [Placement(1, 0, at(0, 9)), Placement(2, 0, at(0, 11))]) == {
        "place_in_visit"
    }
    assert violations(p, [Placement(1, 0, at(0, 11)), Placement(2, 0, at(0, 9))]) == set()


def test_place_in_visit_greedy_keeps_first_and_last():
    # The earliest fit alone would put the closing at 09:00, before the 14:00 visit, and
    # the welcome after it.
    p = problem(
        [
            act(1, place_in_visit="last"),
            act(2, earliest=at(0, 14)),
            act(3, place_in_visit="first", earliest=at(0, 14)),
        ]
    )
    result, status, *_ = greedy(p)
    assert status == "feasible"
    assert starts(result) == {3: at(0, 14), 2: at(0, 15), 1: at(0, 16)}


# ---- data the solver must never misread -----------------------------------------------------
def test_touching_windows_merged_hold_a_four_hour_meeting():
    p = problem(
        [act(1, 240, hosts=(1,))],
        hosts=[host(1, (at(0, 9), at(0, 12)), (at(0, 12), at(0, 15), True))],
    )
    r = solve(p)
    assert r.status == "optimal"
    assert starts(r) == {1: at(0, 9)}


def test_touching_windows_merged_keep_the_preferred_part():
    # A 2-hour meeting: the preferred afternoon part of the merged window still counts.
    p = problem(
        [act(1, 120, hosts=(1,))],
        hosts=[host(1, (at(0, 9), at(0, 12)), (at(0, 12), at(0, 15), True))],
    )
    r = solve(p)
    assert r.terms["preferred"] == 0
    assert starts(r)[1] >= at(0, 12)


def test_windows_with_a_gap_are_not_merged():
    p = problem(
        [act(1, 240, hosts=(1,))],
        hosts=[host(1, (at(0, 9), at(0, 12)), (at(0, 12) + 5, at(0, 15)))],
    )
    r = solve(p)
    assert r.status == "infeasible"
    assert rules(r) == {"host_window"}


def test_overlapping_days_are_a_data_error():
    days = (Day(0, at(0, 9), at(0, 18)), Day(1, at(0, 17), at(0, 23)))
    r = solve(problem([act(1)], days=days))
    assert r.status == "invalid"
    assert [(c.rule, c.entities) for c in r.conflicts] == [("day_overlap", {"day": (0, 1)})]


def test_lunch_window_shorter_than_the_lunch_is_a_data_error():
    days = (Day(0, at(0, 9), at(0, 18), at(0, 12), at(0, 12.5), 60),)
    r = solve(problem([act(1)], days=days))
    assert r.status == "invalid"
    assert [c.params.get("reason") for c in r.conflicts] == ["lunch_window_short"]


def test_time_beyond_the_horizon_is_a_data_error():
    r = solve(problem([act(1, latest=10**7)]))
    assert r.status == "invalid"
    assert [(c.params["field"], c.params["reason"]) for c in r.conflicts] == [
        ("latest", "beyond_horizon")
    ]


def test_windows_given_unsorted_and_overlapping_are_one():
    p = problem(
        [act(1, 300, hosts=(1,))],
        hosts=[host(1, (at(0, 11), at(0, 15)), (at(0, 9), at(0, 12)))],
    )
    assert starts(solve(p)) == {1: at(0, 9)}
    assert Window(at(0, 9), at(0, 12)) in p.hosts[0].windows


def test_grid_locked_off_the_grid_is_not_blamed_when_something_else_is_infeasible():
    # Two one-hour meetings between 14:00 and 15:30 cannot both happen; the lock at 09:03
    # (an older version's minute) has nothing to do with it.
    window = {"earliest": at(0, 14), "latest": at(0, 15.5)}
    p = problem(
        [act(1), act(2, **window), act(3, **window)],
        previous=(Placement(1, 0, at(0, 9) + 3),),
        locked=frozenset({1}),
        time_grid=5,
    )
    r = solve(p)
    assert r.status == "infeasible"
    assert rules(r) and "locked" not in rules(r)
