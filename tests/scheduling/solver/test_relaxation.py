"""The relaxation's bound (relaxation.py: days, tours, minutes, no times) is a lower bound of
every programme's objective: on small random instances it is at most the optimum CP-SAT
proves on the whole model (weighted sum, circuits: travel exact). And it is tighter than
the problem's own bound (all the optional value placed) when travel fills the days."""

from __future__ import annotations

import dataclasses
import time

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from scheduling.solver import (
    Activity,
    Params,
    Precedence,
    SolveStatus,
    Weights,
    relaxation,
    solve_programme,
    validate,
)
from scheduling.solver.prepare import Prepared
from scheduling.solver.relaxation import relaxation_bound
from scheduling.solver.scoring import problem_bound

from .factories import PARAMS, act, at, day, group, host, problem


@st.composite
def instances(draw):
    """One or two groups with a lodging (or none) over one to three days with or without
    lunch, activities at four venues (20-150 minutes apart) with hosts on half-days or
    days, mandatory or optional with a value, precedences and phases, and sometimes a
    plenary at a fixed time."""
    n_days = draw(st.integers(1, 3))
    lunch = draw(st.booleans())
    days = tuple(day(d, lunch, 17 * 60) for d in range(n_days))
    n_groups = draw(st.integers(1, 2))
    groups = [
        group(g, ("fr",), draw(st.sampled_from([None, 3, 1]))) for g in range(1, n_groups + 1)
    ]
    hosts = []
    for h in (1, 2, 3):
        wins = []
        for d in sorted(draw(st.sets(st.integers(0, n_days - 1), min_size=1, max_size=2))):
            s, e = draw(st.sampled_from([(9, 13), (13.5, 18), (9, 18), (10, 16)]))
            wins.append((at(d, s), at(d, e), draw(st.booleans())))
        hosts.append(host(h, *wins))
    acts = []
    n = draw(st.integers(2, 7))
    for k in range(1, n + 1):
        acts.append(
            Activity(
                k,
                f"a{k}",
                draw(st.sampled_from([45, 60, 90, 120, 180])),
                draw(st.integers(1, 4)),
                hosts=draw(st.sampled_from([(), (1,), (2,), (3,)])),
                languages=("fr",),
                groups=draw(st.sampled_from([(), (1,), (n_groups,)])),
                mandatory=draw(st.booleans()),
                value=draw(st.integers(0, 6)),
                phase=draw(st.sampled_from([None, None, 1, 2])),
            )
        )
    if draw(st.booleans()):
        # A plenary at a fixed time (mandatory, one possible start): the gaps it leaves.
        d = draw(st.integers(0, n_days - 1))
        acts.append(
            act(
                n + 1,
                60,
                draw(st.sampled_from([1, 2])),
                groups=draw(st.sampled_from([(), (1,)])),
                mandatory=True,
                fixed_start=at(d, draw(st.sampled_from([10, 11.5, 14]))),
            )
        )
    pairs = [(a, b) for a in range(1, n + 1) for b in range(1, n + 1) if a != b]
    precs = tuple(
        Precedence(a, b, draw(st.sampled_from([0, 30])))
        for a, b in draw(st.lists(st.sampled_from(pairs), max_size=2, unique=True))
    )
    return problem(acts, days=days, groups=groups, hosts=hosts, precedences=precs)


weights_st = st.builds(
    lambda value, travel, balance, preferred: Weights(
        value=value, travel=travel, balance=balance, preferred=preferred
    ),
    st.sampled_from([0, 1, 100]),
    st.sampled_from([0, 1, 3]),
    st.sampled_from([0, 1]),
    st.sampled_from([0, 30]),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), weights_st)
def test_relaxation_bound_is_below_the_proven_optimum(p, weights):
    params = dataclasses.replace(
        PARAMS, weights=weights, strategy="weighted", sequencing="circuit", explain=False
    )
    r = solve_programme(p, params)
    assume(r.status == SolveStatus.OPTIMAL)
    assert validate(p, r) == []
    relaxed = relaxation_bound(Prepared(p, params), weights, 20.0)
    assert relaxed is not None
    assert relaxed.bound <= r.objective
    if relaxed.proven:
        assert relaxed.objective == relaxed.bound


def tight_day():
    """One day 09:00-18:00 from the hotel (venue 3): four optional visits of 90 minutes,
    one in each direction (Carcassonne 20 minutes away, Villerouge 40, Sarrant 130).
    540 minutes hold the four visits' 360 but not with the shortest tour through the three
    venues away (hotel - Villerouge - Carcassonne - Sarrant - hotel, 320): the best day
    leaves Sarrant out."""
    acts = [act(k, 90, v, mandatory=False, value=3) for k, v in ((1, 1), (2, 2), (3, 4), (4, 3))]
    return problem(acts, groups=[group(1, lodging=3)])


def test_relaxation_is_tighter_than_all_the_value():
    p = tight_day()
    params = Params(explain=False)
    prep = Prepared(p, params)
    old = problem_bound(p, params, prep)
    assert old == -100 * 12  # all the value (nothing mandatory: no travel floor)
    relaxed = relaxation_bound(prep, params.weights, 20.0)
    assert relaxed.proven
    # The best day: three visits (Carcassonne, Villerouge, the hotel), 9 points, 90 minutes
    # of travel (hotel - Carcassonne - Villerouge - hotel).
    assert relaxed.bound == -100 * 9 + 90 > old
    best = solve_programme(p, dataclasses.replace(PARAMS, strategy="weighted", explain=False))
    assert best.status == SolveStatus.OPTIMAL
    assert relaxed.bound <= best.objective
    # Remembered for this Prepared: the problem's bound reported with a programme is it.
    relaxation.remember(prep, params.weights, relaxed.bound)
    assert problem_bound(p, params, prep) == relaxed.bound
    assert problem_bound(p, params, Prepared(p, params)) == old  # another solve: not known


def test_plenaries_leave_gaps_that_hold_whole_activities():
    # Two plenaries at fixed times (10:00 and 15:00, an hour each) cut the 09:00-18:00 day
    # into gaps of 60, 240 and 120 minutes; five optional visits of 90 minutes in the same
    # room. The day's 420 free minutes would hold four; the gaps hold two and one.
    plenaries = [act(k, 60, mandatory=True, fixed_start=at(0, h)) for k, h in ((1, 10), (2, 15))]
    visits = [act(k, 90, mandatory=False, value=3) for k in range(3, 8)]
    p = problem(plenaries + visits)
    params = Params(explain=False)
    relaxed = relaxation_bound(Prepared(p, params), params.weights, 20.0)
    assert relaxed.proven and relaxed.bound == -100 * 3 * 3
    best = solve_programme(p, dataclasses.replace(PARAMS, strategy="weighted", explain=False))
    assert best.status == SolveStatus.OPTIMAL and best.objective == relaxed.bound


def test_lunch_leg_and_precedence_day_order():
    # Lunch (an hour within 12:00-14:00) on a day with travel: only one leg may run under
    # it. Two visits of 225 minutes at Carcassonne and Villerouge from the hotel: 450 +
    # 90 of travel fill the 540 minutes, and the break adds 60 less at most the 40 of one
    # leg: only one visit fits (-500 + 40 out and back), where minutes + travel and
    # minutes + lunch alone let both in (-1000 + 90).
    acts = [act(1, 225, 1, mandatory=False, value=5), act(2, 225, 2, mandatory=False, value=5)]
    p = problem(acts, lunch=True, groups=[group(1, lodging=3)])
    params = Params(explain=False)
    relaxed = relaxation_bound(Prepared(p, params), params.weights, 20.0)
    assert relaxed.proven and relaxed.bound == -500 + 40
    best = solve_programme(p, dataclasses.replace(PARAMS, strategy="weighted", explain=False))
    assert best.status == SolveStatus.OPTIMAL and best.objective == -500 + 40
    # `after` cannot be on an earlier day than `before`: on two days, each fixed by its
    # host, the precedence leaves only one of them.
    hosts = [host(1, (at(1, 9), at(1, 18))), host(2, (at(0, 9), at(0, 18)))]
    acts = [
        act(1, 60, 1, mandatory=False, value=2, hosts=(1,)),
        act(2, 60, 1, mandatory=False, value=3, hosts=(2,)),
    ]
    p = problem(acts, days=2, hosts=hosts, precedences=(Precedence(1, 2),))
    relaxed = relaxation_bound(Prepared(p, params), params.weights, 20.0)
    assert relaxed.proven and relaxed.bound == -300 + 60  # balance: 60 minutes against 0


def test_no_bound_with_a_rewarded_cost_or_no_time():
    p = tight_day()
    prep = Prepared(p, Params())
    assert relaxation_bound(prep, Weights(travel=-1), 5.0) is None
    assert relaxation_bound(prep, Weights(), 0.0) is None


def test_in_background_gives_its_bound():
    p = tight_day()
    prep = Prepared(p, Params())
    bg = relaxation.InBackground(prep, Weights(), time.perf_counter() + 30.0)
    bg._thread.join()  # let it finish: a proven relaxation ends on its own
    found, alone = bg.result(), relaxation_bound(prep, Weights(), 30.0)
    assert (found.bound, found.proven) == (alone.bound, alone.proven) == (-810, True)


def test_a_relaxation_stopped_early_claims_no_bound():
    # Stopped before its presolve ends, CP-SAT's best_objective_bound is 0: no bound at
    # all, not "every programme of M-0 scores at most the reachable". A programme of M-0
    # with -1350 exists (a 240 s solve), so a bound is at most that.
    from benchmarks.solver.generate import generate

    p = generate("M", 0)
    prep = Prepared(p, Params())
    for limit in (0.001, 0.01, 0.05):
        found = relaxation_bound(prep, Weights(), limit)
        assert found is None or found.bound <= -1350


class _BoundThenInfeasible:
    """A solve that reports a bound on its way and then proves the model infeasible (CP-SAT
    does so on an infeasible problem whose LP it tightened before the proof)."""

    def __init__(self):
        self.best_bound_callback = None

    def solve(self, _model):
        self.best_bound_callback(-500.0)
        return cp_model.INFEASIBLE


def test_an_infeasible_relaxation_claims_no_bound():
    prep = Prepared(tight_day(), Params())
    model = relaxation._Model(prep, Weights())
    assert relaxation._solve(_BoundThenInfeasible(), model, time.perf_counter()) is None
