"""Bounds that mean something (issue 18): on talks in fixed blocks whose optimum a bipartite
matching proves, the root relaxation of the model (no search) already has that optimum as
its bound. Before the cliques (no "at most one talk per interpreter and block") it stayed
above it: -7300 against -7100 and -24400 against -23800 on the two instances below."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from benchmarks.solver.bounds import VALUE_ONLY, blocks, matching_optimum
from scheduling.solver import Params, SolveStatus, Weights, solve_programme, validate
from scheduling.solver.build import build
from scheduling.solver.rules.bounds import visits_fit
from scheduling.solver.scoring import normalised_gap, score_offset

from .factories import PARAMS, act, at, group, problem

BLOCK_CASES = [dict(seed=1, talks=30, interpreters=4), dict(seed=2, talks=72, interpreters=8)]


def root_bound(p, weights=VALUE_ONLY) -> float:
    """CP-SAT's bound after presolve and the root node with the whole linear relaxation
    (every constraint in the LP at once), no search: one worker, no conflict allowed."""
    ctx = build(p, Params(weights=weights, explain=False))
    solver = cp_model.CpSolver()
    sp = solver.parameters
    sp.num_workers = 1
    sp.max_number_of_conflicts = 0
    sp.linearization_level = 2
    sp.add_lp_constraints_lazily = False
    sp.random_seed = 0
    solver.solve(ctx.m)
    return solver.best_objective_bound


@pytest.mark.parametrize("case", BLOCK_CASES)
def test_interpreter_blocks_root_bound_is_the_matching_optimum(case):
    p = blocks(**case)
    best = matching_optimum(p) * VALUE_ONLY.value
    assert root_bound(p) == -best


def test_interpreter_blocks_solved_to_the_matching_optimum():
    p = blocks(**BLOCK_CASES[0])
    params = dataclasses.replace(PARAMS, weights=VALUE_ONLY, explain=False)
    r = solve_programme(p, params)
    assert r.status == SolveStatus.OPTIMAL
    assert r.objective == r.bound == -matching_optimum(p) * VALUE_ONLY.value
    assert validate(p, r) == []
    assert r.gap == 0


def test_matching_optimum_by_hand():
    # Two talks in one block, one interpreter: only the better one; a talk without any
    # interpretation always counts.
    p = blocks(seed=0, talks=6, interpreters=2, slots=1)
    assert 0 < matching_optimum(p) <= sum(a.value for a in p.activities)


def test_visits_fit_caps_a_day_by_its_shortest_activities():
    # 09:00-18:00 is 540 minutes; the hotel (venue 3) is 20 minutes from Carcassonne (1):
    # 40 minutes out and back leave 500, so four activities of 120 fit, not five.
    p = problem([act(k, 120, 1) for k in range(1, 6)], groups=[group(1, lodging=3)])
    ctx = build(p, Params(explain=False))
    assert ctx.day_caps == {(1, 0): 4}
    # Without lodging 540 holds four of 120 as well; with 100-minute ones five fit.
    p = problem([act(k, 100, 1) for k in range(1, 6)], groups=[group(1, lodging=3)])
    ctx = build(p, Params(explain=False))
    assert ctx.day_caps == {}
    assert visits_fit is not None


def test_a_greedy_programme_has_the_problems_bound():
    from benchmarks.solver.generate import generate
    from scheduling.solver.greedy import greedy
    from scheduling.solver.report import from_greedy
    from scheduling.solver.scoring import problem_bound

    p = generate("S", 0)
    params = Params(explain=False)
    hint, *_ = greedy(p, params)
    r = from_greedy(p, params, hint, 0.0)
    assert r.bound == problem_bound(p, params) <= r.objective
    assert 0 <= r.gap <= 1


def test_normalised_gap():
    assert normalised_gap(-100, -100, 1000) == 0
    # score 1100 against a bound of 1200: 100 / 1200.
    assert normalised_gap(-100, -200, 1000) == pytest.approx(100 / 1200)
    # An objective near zero no longer makes the gap explode.
    assert normalised_gap(5, -50, 10_000) == pytest.approx(55 / 10_050)
    p = blocks(seed=0, talks=6, interpreters=2)
    assert score_offset(p, VALUE_ONLY) == 0  # value only: the score is the value placed


def plenary_day(sessions=12, days=2):
    """Days 09:00-18:00, each with a plenary for everyone 12:00-13:00 (mandatory, fixed),
    and optional sessions of 90 minutes in one exclusive room, each for its own audience,
    on any day: the room holds two a day in the morning gap (180 minutes) and three in the
    afternoon's (300), ten in all, not the twelve its 1,080 minutes would."""
    from scheduling.solver import Venue

    groups = [group(g) for g in range(1, sessions + 1)]
    acts = [act(100 + d, 60, 1, fixed_start=at(d, 12)) for d in range(days)]
    acts += [act(k, 90, 2, groups=(k,), mandatory=False, value=k) for k in range(1, sessions + 1)]
    venues = (Venue(1, "hall"), Venue(2, "room", exclusive=True), Venue(3, "hotel"))
    travel = {(1, 2): 0, (1, 3): 10, (2, 3): 10}
    return problem(acts, days=days, groups=groups, venues=venues, travel=travel)


def test_gaps_between_fixed_activities_bound_the_room(monkeypatch):
    from scheduling.solver.rules import bounds

    p = plenary_day()
    best = -100 * (sum(range(1, 13)) - 1 - 2)  # ten sessions: the two least valuable out
    r = solve_programme(p, dataclasses.replace(PARAMS, explain=False, strategy="weighted"))
    assert r.status == SolveStatus.OPTIMAL and r.objective == best
    assert validate(p, r) == []
    # With the gaps the root (no search) has the optimum as its bound; without, the room's
    # day knapsack of 540 minutes lets all twelve in.
    assert root_bound(p, Weights()) == best
    monkeypatch.setattr(bounds, "add_gaps", lambda ctx: None)
    assert root_bound(p, Weights()) == -100 * sum(range(1, 13))


@st.composite
def fixed_instances(draw):
    """One or two days, each maybe with a fixed plenary for everyone (mandatory) at a
    drawn hour and venue; sessions for one or two groups at venues some of which are
    exclusive, mandatory or optional, travel, lunch or not."""
    from scheduling.solver import Venue

    n_days = draw(st.integers(1, 2))
    lunch = draw(st.booleans())
    acts = []
    for d in range(n_days):
        if draw(st.booleans()):
            hour = draw(st.sampled_from([9, 10.5, 12, 13, 14.5, 16]))
            acts.append(
                act(
                    100 + d,
                    draw(st.sampled_from([30, 60, 90])),
                    draw(st.integers(1, 4)),
                    fixed_start=at(d, hour),
                )
            )
    assume(acts)
    n_groups = draw(st.integers(1, 2))
    for k in range(1, draw(st.integers(2, 6)) + 1):
        acts.append(
            act(
                k,
                draw(st.sampled_from([45, 60, 90, 120])),
                draw(st.integers(1, 4)),
                groups=draw(st.sampled_from([(), (1,), (n_groups,)])),
                mandatory=draw(st.booleans()),
                value=draw(st.integers(0, 6)),
            )
        )
    exclusive = draw(st.sets(st.integers(1, 4)))
    venues = tuple(Venue(v, f"v{v}", v in exclusive) for v in range(1, 5))
    groups = [group(g, lodging=draw(st.sampled_from([None, 3]))) for g in range(1, n_groups + 1)]
    return problem(acts, days=n_days, lunch=lunch, groups=groups, venues=venues)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fixed_instances())
def test_gaps_keep_the_optimum(p):
    # Redundant: the optimum with the gaps is the optimum without them.
    from scheduling.solver.rules import bounds

    params = dataclasses.replace(PARAMS, explain=False, strategy="weighted", sequencing="circuit")
    with_gaps = solve_programme(p, params)
    saved = bounds.add_gaps
    bounds.add_gaps = lambda ctx: None
    try:
        without = solve_programme(p, params)
    finally:
        bounds.add_gaps = saved
    assume(SolveStatus.OPTIMAL in (with_gaps.status, without.status))
    assert with_gaps.status == without.status
    assert with_gaps.objective == without.objective
