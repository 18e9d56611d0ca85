"""The travel floor (relaxation.Floor): the relaxation with its other terms at the main
pass's optimum, travel minimised, bounds the travel of every programme at that optimum; with
the interpreters' daily minutes stated it is tight on S, and a solve whose programme on the
floor's days travels the floor ends proven without the travel pass."""

from __future__ import annotations

import dataclasses
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from benchmarks.solver.generate import generate
from scheduling.solver import (
    Activity,
    Params,
    SolveStatus,
    Weights,
    Window,
    solve_programme,
    validate,
)
from scheduling.solver import solve as solve_module
from scheduling.solver.model import Interpretation
from scheduling.solver.prepare import Prepared
from scheduling.solver.relaxation import Floor, fewest_interpreters, relaxation_bound

from .factories import PARAMS, act, at, day, group, host, interp, problem


def travel_floor(prep, weights, main_best, seconds):
    """The floor's first round, in deterministic time."""
    return Floor(prep, weights, main_best, time.perf_counter() + seconds).solve(
        seconds, deterministic=True
    )


@pytest.fixture
def passes(monkeypatch):
    """The names of the CP-SAT passes a solve runs."""
    names = []
    solve_pass = solve_module._solve_pass

    def recorded(run, name, pass_params, ctx):
        names.append(name)
        return solve_pass(run, name, pass_params, ctx)

    monkeypatch.setattr(solve_module, "_solve_pass", recorded)
    return names


@st.composite
def interpreted(draw):
    """One group listening in English and French (or French only) over one or two days,
    visits spoken in French or in either language at four venues, hosts on half-days or
    days, one to three interpreters with daily caps of one to four hours, some hired for
    one day only, under the conference or the liaison policy."""
    n_days = draw(st.integers(1, 2))
    days = tuple(day(d, draw(st.booleans()), 17 * 60) for d in range(n_days))
    langs = draw(st.sampled_from([("en", "fr"), ("en", "fr"), ("fr",)]))
    lodging = draw(st.sampled_from([None, 3]))
    hosts = []
    for h in (1, 2):
        d = draw(st.integers(0, n_days - 1))
        s, e = draw(st.sampled_from([(9, 13), (13.5, 18), (9, 18)]))
        hosts.append(host(h, (at(d, s), at(d, e))))
    acts = []
    for k in range(1, draw(st.integers(2, 6)) + 1):
        acts.append(
            Activity(
                k,
                f"a{k}",
                draw(st.sampled_from([45, 60, 90, 120])),
                draw(st.integers(1, 4)),
                hosts=draw(st.sampled_from([(), (1,), (2,)])),
                languages=draw(st.sampled_from([("fr",), ("fr", "en")])),
                mandatory=draw(st.booleans()),
                value=draw(st.integers(0, 6)),
                interpretation_mode=draw(st.sampled_from(["consecutive", "simultaneous"])),
                two_way=draw(st.booleans()),
            )
        )
    interpreters = []
    for i in range(1, draw(st.integers(1, 3)) + 1):
        one_day = draw(st.booleans())
        interpreters.append(
            interp(
                i,
                ("fr", "en"),
                ("en", "fr"),
                daily_cap=draw(st.sampled_from([60, 120, 240])),
                windows=(Window(at(0, 9), at(0, 18)),) if one_day else (),
            )
        )
    policy = draw(st.sampled_from(["conference", "liaison"]))
    return problem(
        acts,
        days=days,
        groups=[group(1, langs, lodging)],
        hosts=hosts,
        interpreters=interpreters,
        interpretation=Interpretation(policy=policy),
    )


def lexicographic_without_floor(p, params, monkeypatch):
    """The solve as before the floor: the travel pass proves the lexicographic optimum."""
    monkeypatch.setattr(solve_module, "FLOOR_SHARE", 0.0)
    return solve_programme(p, params)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interpreted(), st.sampled_from([1, 3]))
def test_the_interpreters_minutes_keep_the_relaxation_below_the_optimum(p, travel):
    weights = Weights(travel=travel)
    params = dataclasses.replace(
        PARAMS, weights=weights, strategy="weighted", sequencing="circuit", explain=False
    )
    r = solve_programme(p, params)
    assume(r.status == SolveStatus.OPTIMAL)
    relaxed = relaxation_bound(Prepared(p, params), weights, 20.0)
    assert relaxed is not None and relaxed.bound <= r.objective


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interpreted())
def test_the_floor_is_below_the_travel_of_the_lexicographic_optimum(p):
    # The lexicographic optimum proven by the travel pass alone (no floor); the floor at its
    # main optimum travels no more than it.
    with pytest.MonkeyPatch.context() as mp:
        params = dataclasses.replace(PARAMS, explain=False)
        r = lexicographic_without_floor(p, params, mp)
    assume(r.status == SolveStatus.OPTIMAL and "travel" in r.terms)
    weights = params.weights
    main_best = round(r.objective) - weights.travel * r.terms["travel"]
    floor = travel_floor(Prepared(p, params), weights, main_best, 20.0)
    assert floor is not None and floor.bound <= r.terms["travel"]
    # The solve with the floor and its rounds (floor.py) proves the same optimum, or its
    # bound stays below it.
    with_floor = solve_programme(p, params)
    assert validate(p, with_floor) == []
    if with_floor.status == SolveStatus.OPTIMAL:
        assert with_floor.objective == r.objective
    assert with_floor.bound <= r.objective + 1e-6


def test_a_days_interpreted_minutes_are_within_the_caps():
    # Two interpreters, each at most 150 interpreted minutes a day; two visits of 120
    # minutes with the whole team (conference consecutive of 120 minutes: two interpreters),
    # on one day only. The two fit the day's hours, not the interpreters': one is left out.
    acts = [
        act(
            k,
            120,
            1,
            languages=("fr",),
            mandatory=False,
            value=5,
            interpretation_mode="consecutive",
        )
        for k in (1, 2)
    ]
    team = [interp(i, ("fr", "en"), daily_cap=150) for i in (1, 2)]
    p = problem(acts, groups=[group(1, ("en", "fr"))], interpreters=team)
    prep = Prepared(p, Params(explain=False))
    assert fewest_interpreters(prep, prep.act[1]) == (2, frozenset({1, 2}))
    relaxed = relaxation_bound(prep, Weights(), 20.0)
    assert relaxed.proven and relaxed.bound == -500  # one visit's value, not both (-1000)
    best = solve_programme(p, dataclasses.replace(PARAMS, strategy="weighted", explain=False))
    assert best.status == SolveStatus.OPTIMAL and best.objective == relaxed.bound


def test_the_floor_is_the_travel_of_s0s_optimum():
    # S-0 (benchmarks/solver/generate.py): the main optimum -550, the lexicographic optimum
    # travels 585 minutes. Without the interpreters' minutes the relaxation put 390 minutes
    # of interpreted visits on a day two interpreters (a team of two each) cap at 360, and
    # its floor was 390.
    p = generate("S", 0)
    prep = Prepared(p, Params())
    floor = travel_floor(prep, Weights(), -550, 30.0)
    assert floor.proven and floor.bound == 585
    assert len(floor.days) >= sum(a.mandatory for a in p.activities)


def test_a_solve_at_the_floor_needs_no_travel_pass(passes):
    p = generate("S", 0)
    r = solve_programme(p, Params(time_limit_s=30, explain=False, deterministic=True, seed=0))
    assert r.status == SolveStatus.OPTIMAL and validate(p, r) == []
    assert r.objective == r.bound == -550 + 585
    assert "travel" not in passes and "main" in passes


def test_the_days_raise_the_floor_to_the_optimum(passes):
    # S-3: the floor's first days (930 minutes) do not fit the whole model; each day checked
    # alone forbids its set or costs it what it travels, and the rounds end at 980, the
    # travel of the lexicographic optimum (main -1750), on days that fit.
    p = generate("S", 3)
    prep = Prepared(p, Params())
    first = travel_floor(prep, Weights(), -1750, 30.0)
    assert first.proven and first.bound == 930
    r = solve_programme(p, Params(time_limit_s=30, explain=False, deterministic=True, seed=0))
    assert r.status == SolveStatus.OPTIMAL and validate(p, r) == []
    assert r.objective == r.bound == -1750 + 980
    assert "travel" not in passes


def test_a_day_that_travels_more_than_its_venues_tour_raises_the_floor(passes, monkeypatch):
    # From the hotel: Carcassonne in the morning, Villerouge at noon, Carcassonne again in
    # the afternoon (each host's window). The venues' tour (hotel - Carcassonne -
    # Villerouge - hotel) is 90 minutes, the day's order takes 100 (back to Carcassonne):
    # the floor starts at 90, the day checked alone costs its set 100, and the next round
    # proves 100 without the travel pass.
    from scheduling.solver import floor

    outcomes = []
    run = floor.Loop.run
    monkeypatch.setattr(floor.Loop, "run", lambda self: outcomes.append(run(self)) or outcomes[-1])
    hosts = [host(1, (at(0, 9), at(0, 10.5))), host(2, (at(0, 11), at(0, 12.5)))]
    hosts.append(host(3, (at(0, 14), at(0, 15.5))))
    acts = [act(k, 60, v, hosts=(k,), mandatory=True) for k, v in ((1, 1), (2, 2), (3, 1))]
    p = problem(acts, groups=[group(1, lodging=3)], hosts=hosts)
    params = Params(time_limit_s=20, explain=False, deterministic=True, seed=0)
    assert travel_floor(Prepared(p, params), Weights(), 0, 20.0).bound == 90
    r = solve_programme(p, params)
    assert r.status == SolveStatus.OPTIMAL and validate(p, r) == []
    assert r.objective == r.bound == 100 and r.terms["travel"] == 100
    assert "travel" not in passes and outcomes[0].proven and outcomes[0].bound == 100


def test_beside_the_travel_pass_the_first_at_the_floor_ends_the_solve(monkeypatch):
    # A solve that is not deterministic runs the rounds in a thread beside the travel pass
    # and stops both once either is at the floor: S-0 ends proven at its optimum whichever
    # came first, and the thread is over when the solve returns.
    from scheduling.solver import floor

    loops = []
    start = floor.Loop.start

    def started(self):
        loops.append(self)
        start(self)

    monkeypatch.setattr(floor.Loop, "start", started)
    p = generate("S", 0)
    r = solve_programme(p, Params(time_limit_s=60, explain=False))
    assert r.status == SolveStatus.OPTIMAL and validate(p, r) == []
    assert r.objective == r.bound == -550 + 585 and r.gap == 0.0
    assert len(loops) == 1 and not loops[0]._thread.is_alive()
    assert loops[0].bound == 585
