"""Re-planning: a host decline moves only what must move; locked slots never move."""

from __future__ import annotations

import dataclasses
import threading

from scheduling.solver import (
    Params,
    Placement,
    ProgrammeResult,
    Weights,
    Window,
    solve_programme,
    validate,
)
from scheduling.solver.prepare import Prepared
from scheduling.solver.repair import broken_activities, neighbourhoods

from .factories import PARAMS, act, at, host, problem, starts


def _base():
    hosts = [
        host(1, (at(0, 9), at(0, 12)), (at(1, 9), at(1, 12))),
        host(2, (at(0, 9), at(1, 18))),
        host(3, (at(0, 14), at(0, 18)), (at(1, 14), at(1, 18))),
    ]
    acts = [act(1, 90, venue=1, hosts=(1,)), act(2, 60, venue=2, hosts=(2,))]
    acts += [act(3, 120, venue=1, hosts=(3,)), act(4, 60, venue=2), act(5, 60, venue=1)]
    return problem(acts, days=2, lunch=True, hosts=hosts)


def _replan(p, first, **changes):
    return dataclasses.replace(
        p, previous=first.placements, previous_assignments=first.assignments, **changes
    )


def test_replan_without_change_moves_nothing():
    p = _base()
    first = solve_programme(p, PARAMS)
    again = solve_programme(_replan(p, first), PARAMS)
    assert again.moved == ()
    assert again.terms["moves"] == 0


def test_replan_host_decline_moves_only_its_activity():
    p = _base()
    sent = (
        Placement(1, 0, at(0, 9)),
        Placement(2, 0, at(0, 14)),
        Placement(3, 1, at(1, 14)),
        Placement(4, 1, at(1, 9)),
        Placement(5, 0, at(0, 10.5)),
    )
    assert validate(p, ProgrammeResult("feasible", placements=sent)) == []
    # Host 1 declines Monday: activity 1 must move (Tuesday morning still has room).
    hosts = (dataclasses.replace(p.hosts[0], windows=p.hosts[0].windows[1:]), *p.hosts[1:])
    r = solve_programme(dataclasses.replace(p, hosts=hosts, previous=sent), PARAMS)
    assert r.status == "optimal"
    assert validate(dataclasses.replace(p, hosts=hosts), r) == []
    assert r.moved == (1,)
    assert r.terms["moves"] == 1


def test_replan_locked_never_move_even_when_moving_helps():
    p = _base()
    first = solve_programme(p, PARAMS)
    locked = frozenset({2, 4})
    # Host 2 now prefers day 1 afternoon: without the lock, activity 2 would move there.
    pref = (Window(at(0, 9), at(1, 18)), Window(at(1, 15), at(1, 16), True))
    hosts = (p.hosts[0], dataclasses.replace(p.hosts[1], windows=pref), p.hosts[2])
    # Moves cost nothing here, so only the lock can keep activity 2 in place.
    free = dataclasses.replace(PARAMS, weights=Weights(moves=0))
    unlocked = solve_programme(_replan(p, first, hosts=hosts), free)
    r = solve_programme(_replan(p, first, hosts=hosts, locked=locked), free)
    before = starts(first)
    assert starts(unlocked)[2] == at(1, 15) != before[2]
    assert [starts(r)[a] for a in sorted(locked)] == [before[a] for a in sorted(locked)]
    assert 2 not in r.moved and 4 not in r.moved


def test_replan_locked_conflicting_with_decline_is_explained():
    p = _base()
    first = solve_programme(p, PARAMS)
    hosts = (dataclasses.replace(p.hosts[0], windows=()), *p.hosts[1:])
    r = solve_programme(_replan(p, first, hosts=hosts, locked=frozenset({1})), PARAMS)
    assert r.status == "infeasible"
    assert [c.rule for c in r.conflicts] == ["host_no_windows"]


def test_solve_progress_is_reported_and_stop_cancels():
    p = _base()
    seen = []
    r = solve_programme(p, Params(time_limit_s=5), on_progress=seen.append)
    assert r.status == "optimal"
    counts = [x.solutions for x in seen]
    assert counts and counts == sorted(set(counts))
    assert all(x.elapsed_s <= r.wall_time_s for x in seen)
    stop = threading.Event()
    stop.set()
    cancelled = solve_programme(p, Params(time_limit_s=30, stop=stop))
    assert cancelled.status in ("feasible", "unknown", "optimal")
    assert cancelled.wall_time_s < 30


def _full_days():
    """Day 0: activities 1 (host 1) and 3; day 1: activity 2 (6 h); day 2: activity 4."""
    hosts = [host(1, (at(0, 9), at(0, 18)), (at(1, 9), at(1, 18)))]
    acts = [act(1, 240, hosts=(1,)), act(2, 360), act(3, 240), act(4, 120)]
    sent = (
        Placement(1, 0, at(0, 9)),
        Placement(2, 1, at(1, 9)),
        Placement(3, 0, at(0, 13)),
        Placement(4, 2, at(2, 9)),
    )
    p = problem(acts, days=3, hosts=hosts, previous=sent)
    # Host 1 declines day 0: activity 1 can only go to day 1, where 240 + 360 min do not fit
    # in 9 h, so activity 2 must make room by moving to day 2.
    declined = (dataclasses.replace(p.hosts[0], windows=p.hosts[0].windows[1:]),)
    return dataclasses.replace(p, hosts=declined)


def test_replan_decline_moves_a_second_activity_to_make_room_on_another_day():
    p = _full_days()
    r = solve_programme(p, PARAMS)
    assert r.status == "optimal"
    assert validate(p, r) == []
    assert r.moved == (1, 2)
    assert starts(r)[1] // 1440 == 1 and starts(r)[2] // 1440 == 2


def test_replan_neighbourhoods_start_with_the_broken_activitys_own_day_then_its_targets():
    p = _full_days()
    prep = Prepared(p)
    assert broken_activities(p, prep) == ({1}, 1)
    hoods = neighbourhoods(p, prep)
    # Own day 0 (with activity 3, same group), then day 1, the only one it can move to.
    assert hoods[:2] == [{1, 3}, {1, 2}]
    assert hoods[-1] == {1, 2, 3, 4}


def test_progress_gap_is_the_normalised_one_of_the_report():
    """The progress shown while solving (search.gap_of) is on the same basis as the answer's
    gap (report.py): scoring.normalised_gap with the problem's score_offset, not CP-SAT's
    |objective - bound| / |objective|."""
    from scheduling.solver.scoring import normalised_gap, score_offset

    p = _base()
    params = Params(time_limit_s=5, explain=False)
    seen = []
    solve_programme(p, params, on_progress=seen.append)
    offset = score_offset(p, params, Prepared(p, params))
    cpsat = [x for x in seen if x.objective != x.bound]
    assert cpsat, "a CP-SAT solution before the optimum is proven"
    for x in seen:
        assert x.gap == normalised_gap(x.objective, x.bound, offset)
