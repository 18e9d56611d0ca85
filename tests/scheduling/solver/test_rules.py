"""One feasible and one infeasible case per hard rule, and the validator catching a
hand-made violation of it."""

from __future__ import annotations

import dataclasses

from scheduling.solver import Placement, Precedence, ProgrammeResult, solve_programme, validate
from scheduling.solver.model import Assignment, Venue

from .factories import PARAMS, act, at, group, host, interp, problem, starts


def solve(p):
    r = solve_programme(p, PARAMS)
    if r.status in ("optimal", "feasible"):
        assert validate(p, r) == []
    return r


def rules(result) -> set[str]:
    return {c.rule for c in result.conflicts}


def violations(p, placements, assignments=()) -> set[str]:
    r = ProgrammeResult("feasible", placements=tuple(placements), assignments=tuple(assignments))
    return {v.rule for v in validate(p, r)}


# ---- mandatory -----------------------------------------------------------------------------
def test_mandatory_feasible_places_every_activity():
    r = solve(problem([act(1, 240), act(2, 240)]))
    assert r.status == "optimal"
    assert sorted(starts(r)) == [1, 2]


def test_mandatory_infeasible_when_day_too_short_for_all():
    r = solve(problem([act(1, 240), act(2, 240), act(3, 240)]))
    assert r.status == "infeasible"
    assert "mandatory" in rules(r)


def test_mandatory_validator_reports_missing_and_duplicate():
    p = problem([act(1), act(2)])
    pls = [Placement(1, 0, at(0, 9)), Placement(1, 0, at(0, 11))]
    assert violations(p, pls) == {"mandatory", "once"}


def test_optional_left_out_when_no_room():
    p = problem([act(1, 481), act(2, 60, mandatory=False, value=5)])
    r = solve(p)
    assert r.status == "optimal"
    assert r.unplaced == (2,)


# ---- day window ----------------------------------------------------------------------------
def test_day_window_feasible_when_activity_fills_the_day():
    r = solve(problem([act(1, 540)]))
    assert starts(r) == {1: at(0, 9)}


def test_day_window_infeasible_when_longer_than_every_day():
    r = solve(problem([act(1, 541)]))
    assert r.status == "infeasible"
    assert r.conflicts[0].rule == "day_window"
    assert r.conflicts[0].entities == {"activity": (1,)}


def test_day_window_validator_catches_start_before_day():
    assert violations(problem([act(1)]), [Placement(1, 0, at(0, 8))]) == {"day_window"}


# ---- lunch ---------------------------------------------------------------------------------
def test_lunch_feasible_leaves_an_hour_between_noon_and_two():
    r = solve(problem([act(1, 180), act(2, 180)], lunch=True))
    s = sorted(starts(r).values())
    assert s[0] + 180 <= at(0, 13) or s[1] >= at(0, 13)


def test_lunch_infeasible_when_fixed_activity_covers_it():
    r = solve(problem([act(1, 240, fixed_start=at(0, 11))], lunch=True))
    assert r.status == "infeasible"
    # Minimal: dropping any one of the three makes it feasible.
    assert rules(r) == {"lunch", "fixed_start", "mandatory"}


def test_lunch_meal_activity_may_cover_the_break():
    r = solve(problem([act(1, 240, fixed_start=at(0, 11), meal=True)], lunch=True))
    assert r.status == "optimal"


def test_lunch_validator_catches_no_break():
    p = problem([act(1, 150), act(2, 150)], lunch=True)
    assert violations(p, [Placement(1, 0, at(0, 11)), Placement(2, 0, at(0, 13.5))]) == {"lunch"}


# ---- time window ---------------------------------------------------------------------------
def test_time_window_feasible_places_inside():
    r = solve(problem([act(1, 60, earliest=at(0, 15), latest=at(0, 16))]))
    assert starts(r) == {1: at(0, 15)}


def test_time_window_infeasible_when_window_shorter_than_activity():
    r = solve(problem([act(1, 90, earliest=at(0, 15), latest=at(0, 16))]))
    assert r.status == "infeasible"
    assert rules(r) == {"time_window"}


def test_time_window_validator_catches_late_end():
    p = problem([act(1, 60, latest=at(0, 12))])
    assert violations(p, [Placement(1, 0, at(0, 11.5))]) == {"time_window"}


# ---- host window ---------------------------------------------------------------------------
def test_host_window_feasible_places_inside_availability():
    p = problem([act(1, 60, hosts=(1,))], days=2, hosts=[host(1, (at(1, 14), at(1, 15)))])
    assert starts(solve(p)) == {1: at(1, 14)}


def test_host_window_infeasible_when_busy_covers_the_window():
    h = host(1, (at(0, 9), at(0, 12)), busy=[(at(0, 10), at(0, 11))])
    r = solve(problem([act(1, 90, hosts=(1,))], hosts=[h]))
    assert r.status == "infeasible"
    assert r.conflicts[0].rule == "host_window"
    assert r.conflicts[0].entities == {"activity": (1,), "host": (1,)}


def test_host_window_host_without_windows_is_diagnosed():
    r = solve(problem([act(1, hosts=(1,))], hosts=[host(1)]))
    assert r.status == "infeasible"
    assert rules(r) == {"host_no_windows"}


def test_host_window_validator_catches_start_outside():
    p = problem([act(1, 60, hosts=(1,))], hosts=[host(1, (at(0, 14), at(0, 15)))])
    assert violations(p, [Placement(1, 0, at(0, 13.5))]) == {"host_window"}


def test_host_window_prefers_preferred_window():
    h = host(1, (at(0, 9), at(0, 12)), (at(0, 15), at(0, 17), True))
    r = solve(problem([act(1, 60, hosts=(1,))], hosts=[h]))
    assert starts(r) == {1: at(0, 15)}
    assert r.terms["preferred"] == 0


# ---- host overlap (double booking, across groups) --------------------------------------------
def _host_problem(n):
    g = [group(k) for k in range(1, n + 1)]
    acts = [act(k, 60, hosts=(1,), groups=(k,)) for k in range(1, n + 1)]
    return problem(acts, groups=g, hosts=[host(1, (at(0, 9), at(0, 11)))])


def test_host_overlap_feasible_back_to_back():
    assert sorted(starts(solve(_host_problem(2))).values()) == [at(0, 9), at(0, 10)]


def test_host_overlap_infeasible_three_in_two_hours():
    r = solve(_host_problem(3))
    assert r.status == "infeasible"
    assert "host_overlap" in rules(r) or "host_window" in rules(r)


def test_host_overlap_validator_catches_double_booking():
    pls = [Placement(1, 0, at(0, 9)), Placement(2, 0, at(0, 9.5))]
    assert violations(_host_problem(2), pls) == {"host_overlap"}


# ---- group travel --------------------------------------------------------------------------
def _travel_problem(latest_hh, lodging=None):
    acts = [act(1, 60, venue=1, fixed_start=at(0, 9)), act(2, 60, venue=2, latest=at(0, latest_hh))]
    return problem(acts, groups=[group(1, lodging=lodging)])


def test_group_travel_feasible_with_exact_travel_gap():
    r = solve(_travel_problem(11.5))  # 60 + 30 travel + 60 from 09:00
    assert starts(r) == {1: at(0, 9), 2: at(0, 10.5)}
    assert r.terms["travel"] == 30


def test_group_travel_infeasible_one_minute_short():
    r = solve(_travel_problem(11.5 - 0.5 / 60))
    assert r.status == "infeasible"
    assert "group_travel" in rules(r)


def test_group_travel_lodging_first_leg():
    p = problem([act(1, 60, venue=2, fixed_start=at(0, 9.5))], groups=[group(1, lodging=3)])
    assert solve(p).status == "infeasible"  # hotel -> Villerouge is 40 min from 09:00
    p2 = dataclasses.replace(p, activities=(act(1, 60, venue=2, fixed_start=at(0, 9) + 40),))
    r = solve(p2)
    assert r.status == "optimal"
    assert r.terms["travel"] == 80


def test_group_travel_validator_catches_missing_travel_time():
    pls = [Placement(1, 0, at(0, 9)), Placement(2, 0, at(0, 10) + 10)]
    assert violations(_travel_problem(17), pls) == {"group_travel"}


def _apart_problem(days):
    # 09:00 in Carcassonne (1), then 10:30 in Sarrant (4), 120 min away: on one day, neither
    # order works, so the pair cannot share a day.
    hosts = [
        host(1, *((at(d, 9), at(d, 10)) for d in range(days))),
        host(2, *((at(d, 10.5), at(d, 11.5)) for d in range(days))),
    ]
    acts = [act(1, 60, venue=1, hosts=(1,)), act(2, 60, venue=4, hosts=(2,))]
    return problem(acts, days=days, hosts=hosts)


def test_group_travel_feasible_on_two_days_when_no_order_fits_one():
    r = solve(_apart_problem(2))
    assert r.status == "optimal"
    assert sorted(starts(r).values()) in ([at(0, 9), at(1, 10.5)], [at(0, 10.5), at(1, 9)])


def test_group_travel_infeasible_on_one_day_when_no_order_fits():
    r = solve(_apart_problem(1))
    assert r.status == "infeasible"
    assert "group_travel" in rules(r)


# Per-night lodging: the hotel (3) on day 0, Sarrant (4) on day 1.
def _tour_problem(day1_duration, day1_venue):
    acts = [
        act(1, 60, venue=1, latest=at(0, 18)),
        act(2, day1_duration, venue=day1_venue, earliest=at(1, 9)),
    ]
    return problem(acts, days=2, groups=[group(1, lodging=3, by_day=[(1, 4)])])


def test_group_travel_lodging_by_day_feasible_starts_from_that_nights_lodging():
    r = solve(_tour_problem(480, 4))
    assert r.status == "optimal"
    # Day 1 starts and ends at Sarrant: the whole 09:00-18:00 day minus nothing fits 8 h there
    # (from the hotel it would take 130 min each way).
    assert starts(r)[2] in range(at(1, 9), at(1, 10) + 1)
    # Day 0: hotel -> Carcassonne -> hotel (20 + 20); day 1: no travel at all.
    assert r.terms["travel"] == 40


def test_group_travel_lodging_by_day_infeasible_when_lodging_too_far_from_the_venue():
    # Sarrant -> Villerouge is 150 min each way: 150 + 300 + 150 > 540 min of the day
    # (from the hotel, 40 min each way, it would fit).
    r = solve(_tour_problem(300, 2))
    assert r.status == "infeasible"
    assert "group_travel" in rules(r)
    p = dataclasses.replace(_tour_problem(300, 2), groups=(group(1, lodging=3),))
    assert solve(p).status == "optimal"


def test_group_travel_validator_uses_the_days_lodging():
    p = _tour_problem(60, 4)
    pls = [Placement(1, 0, at(0, 9) + 20), Placement(2, 1, at(1, 9))]
    assert violations(p, pls) == set()
    # Leaving from the day-0 hotel would be fine, but day 1 starts at Sarrant: Carcassonne is
    # 120 min away, so a 09:30 start is too early.
    p2 = dataclasses.replace(
        p, activities=(p.activities[0], act(2, 60, venue=1, earliest=at(1, 9)))
    )
    assert violations(p2, [pls[0], Placement(2, 1, at(1, 9.5))]) == {"group_travel"}


# ---- venue overlap -------------------------------------------------------------------------
def _room_problem(exclusive):
    venues = (Venue(1, "room", exclusive), Venue(2), Venue(3), Venue(4))
    acts = [act(k, 60, groups=(k,), fixed_start=at(0, 10)) for k in (1, 2)]
    return problem(acts, groups=[group(1), group(2)], venues=venues)


def test_venue_overlap_feasible_when_not_exclusive():
    assert solve(_room_problem(False)).status == "optimal"


def test_venue_overlap_infeasible_when_exclusive():
    assert solve(_room_problem(True)).status == "infeasible"


def test_venue_overlap_validator_catches_two_in_room():
    pls = [Placement(1, 0, at(0, 10)), Placement(2, 0, at(0, 10))]
    assert violations(_room_problem(True), pls) == {"venue_overlap"}


# ---- interpretation and team strength ----------------------------------------------------------
def _lang_problem(*interpreters, mode="consecutive", duration=60, two_way=False):
    a = act(1, duration, languages=("fr",), interpretation_mode=mode, two_way=two_way)
    return problem([a], groups=[group(1, ("en", "fr"))], interpreters=interpreters)


def test_interpretation_feasible_assigns_needed_direction():
    r = solve(_lang_problem(interp(1, ("fr", "en")), interp(2, ("fr", "en"))))
    assert r.assignments == (Assignment(1, 1, ("fr", "en")), Assignment(1, 2, ("fr", "en")))


def test_interpretation_infeasible_when_nobody_covers_direction():
    r = solve(_lang_problem(interp(1, ("en", "fr"))))
    assert r.status == "infeasible"
    assert r.conflicts[0].rule == "interpretation"
    assert r.conflicts[0].params["language"] == "en"


def test_interpretation_two_way_needs_reverse_direction():
    r = solve(_lang_problem(interp(1, ("fr", "en")), interp(2, ("fr", "en")), two_way=True))
    assert r.status == "infeasible"
    assert r.conflicts[0].params == {"kind": "from", "language": "en", "mode": "consecutive"}


def test_interpretation_validator_catches_missing_assignment():
    p = _lang_problem(interp(1, ("fr", "en")))
    assert "interpretation" in violations(p, [Placement(1, 0, at(0, 9))])


def test_team_strength_simultaneous_two_hours_needs_two():
    r = solve(_lang_problem(interp(1, ("fr", "en")), mode="simultaneous", duration=120))
    assert r.status == "infeasible"
    assert rules(r) == {"team_strength"}


def test_team_strength_simultaneous_short_needs_one():
    r = solve(_lang_problem(interp(1, ("fr", "en")), mode="simultaneous", duration=40))
    assert r.assignments == (Assignment(1, 1, ("fr", "en")),)


def test_team_strength_validator_catches_short_team():
    p = _lang_problem(interp(1, ("fr", "en")), interp(2, ("fr", "en")))
    got = violations(p, [Placement(1, 0, at(0, 9))], [Assignment(1, 1, ("fr", "en"))])
    assert got == {"team_strength"}


def test_whisper_listeners_infeasible_for_a_group_of_five():
    r = solve(_lang_problem(interp(1, ("fr", "en")), mode="whispered", duration=30))
    assert rules(r) == {"whisper_listeners"}


# ---- interpreter window, overlap (with travel), daily cap ----------------------------------
def _two_groups(interpreters, t1, t2, venue2=2, d1=60, d2=60):
    g = [group(1, ("en",)), group(2, ("en",))]
    acts = [
        act(1, d1, venue=1, groups=(1,), fixed_start=t1, interpretation_mode="simultaneous"),
        act(2, d2, venue=venue2, groups=(2,), fixed_start=t2, interpretation_mode="simultaneous"),
    ]
    # Minutes apart on purpose (one minute short of the travel): no time grid.
    return problem(acts, groups=g, interpreters=interpreters, time_grid=1)


def test_interpreter_window_feasible_inside():
    from scheduling.solver import Window

    w = (Window(at(0, 9), at(0, 12)),)
    p = _lang_problem(interp(1, ("fr", "en"), windows=w), mode="simultaneous", duration=40)
    r = solve(p)
    assert r.status == "optimal"


def test_interpreter_window_infeasible_outside():
    from scheduling.solver import Window

    i = interp(1, ("fr", "en"), windows=(Window(at(0, 9), at(0, 10)),))
    p = _two_groups([i], at(0, 9.5), at(0, 15), d1=30, d2=30)
    r = solve(p)
    assert r.status == "infeasible"
    assert "interpreter_window" in rules(r) or "interpretation" in rules(r)


def test_interpreter_overlap_feasible_with_travel_gap():
    p = _two_groups([interp(1, ("fr", "en"))], at(0, 9), at(0, 9.5) + 30, d1=30, d2=30)
    assert solve(p).status == "optimal"


def test_interpreter_overlap_infeasible_without_travel_gap():
    p = _two_groups([interp(1, ("fr", "en"))], at(0, 9), at(0, 9.5) + 29, d1=30, d2=30)
    r = solve(p)
    assert r.status == "infeasible"
    assert "interpreter_overlap" in rules(r)


def test_interpreter_overlap_validator_catches_double_booking():
    p = _two_groups([interp(1, ("fr", "en"))], at(0, 9), at(0, 9), d1=30, d2=30)
    asg = [Assignment(1, 1, ("fr", "en")), Assignment(2, 1, ("fr", "en"))]
    pls = [Placement(1, 0, at(0, 9)), Placement(2, 0, at(0, 9))]
    assert violations(p, pls, asg) == {"interpreter_overlap"}


def test_daily_cap_feasible_at_cap():
    i = interp(1, ("fr", "en"), daily_cap=80)
    assert solve(_two_groups([i], at(0, 9), at(0, 15), d1=40, d2=40)).status == "optimal"


def test_daily_cap_infeasible_over_cap():
    i = interp(1, ("fr", "en"), daily_cap=79)
    r = solve(_two_groups([i], at(0, 9), at(0, 15), d1=40, d2=40))
    assert r.status == "infeasible"
    assert "daily_cap" in rules(r)


def test_daily_cap_validator_catches_overwork():
    i = interp(1, ("fr", "en"), daily_cap=79)
    p = _two_groups([i], at(0, 9), at(0, 15), d1=40, d2=40)
    asg = [Assignment(1, 1, ("fr", "en")), Assignment(2, 1, ("fr", "en"))]
    pls = [Placement(1, 0, at(0, 9)), Placement(2, 0, at(0, 15))]
    assert violations(p, pls, asg) == {"daily_cap"}


# ---- phases and precedences ------------------------------------------------------------------
def test_phase_feasible_orders_illustrate_debate_propose():
    acts = [act(3, phase=3), act(2, phase=2), act(1, phase=1)]
    s = starts(solve(problem(acts)))
    assert s[1] < s[2] < s[3]


def test_phase_infeasible_when_later_phase_is_pinned_first():
    r = solve(problem([act(1, phase=1), act(2, phase=2, fixed_start=at(0, 9))]))
    assert r.status == "infeasible"
    assert "phase" in rules(r)


def test_phase_validator_catches_inversion():
    p = problem([act(1, phase=1), act(2, phase=2)])
    assert violations(p, [Placement(1, 0, at(0, 11)), Placement(2, 0, at(0, 9))]) == {"phase"}


def test_precedence_feasible_respects_gap():
    p = problem([act(1), act(2)], precedences=(Precedence(2, 1, 120),))
    s = starts(solve(p))
    assert s[1] >= s[2] + 60 + 120


def test_precedence_infeasible_when_pinned_against_it():
    p = problem([act(1, fixed_start=at(0, 9)), act(2)], precedences=(Precedence(2, 1, 0),))
    r = solve(p)
    assert r.status == "infeasible"
    assert "precedence" in rules(r)


def test_precedence_validator_catches_inversion():
    p = problem([act(1), act(2)], precedences=(Precedence(1, 2, 30),))
    assert violations(p, [Placement(1, 0, at(0, 9)), Placement(2, 0, at(0, 10))]) == {"precedence"}


# ---- fixed and locked ------------------------------------------------------------------------
def test_fixed_start_feasible_keeps_time():
    assert starts(solve(problem([act(1, fixed_start=at(0, 16))]))) == {1: at(0, 16)}


def test_fixed_start_infeasible_when_two_overlap():
    r = solve(problem([act(1, fixed_start=at(0, 10)), act(2, fixed_start=at(0, 10.5))]))
    assert r.status == "infeasible"
    assert "fixed_start" in rules(r)


def test_fixed_start_validator_catches_move():
    p = problem([act(1, fixed_start=at(0, 16))])
    assert violations(p, [Placement(1, 0, at(0, 15))]) == {"fixed_start"}


def test_locked_feasible_keeps_previous_start():
    p = problem(
        [act(1, mandatory=False, value=1)],
        previous=(Placement(1, 0, at(0, 17)),),
        locked=frozenset({1}),
    )
    assert starts(solve(p)) == {1: at(0, 17)}


def test_locked_infeasible_outside_new_host_availability():
    p = problem(
        [act(1, hosts=(1,))],
        hosts=[host(1, (at(0, 9), at(0, 12)))],
        previous=(Placement(1, 0, at(0, 15)),),
        locked=frozenset({1}),
    )
    r = solve(p)
    assert r.status == "infeasible"
    assert r.conflicts[0].rule == "host_window"
    assert r.conflicts[0].params["start"] == at(0, 15)


def test_locked_validator_catches_move():
    p = problem([act(1)], previous=(Placement(1, 0, at(0, 17)),), locked=frozenset({1}))
    assert violations(p, [Placement(1, 0, at(0, 9))]) == {"locked"}
