"""The time-indexed plan of a large problem without travel (time_indexed.py): where it
applies, its step, that its plan is a programme of the whole model, and that the solve
starts from it. Deterministic solves: no wall clock."""

from __future__ import annotations

import dataclasses

import pytest

from benchmarks.solver.generate import generate
from scheduling.solver import Params, Precedence, Window, solve_programme, time_indexed, validate
from scheduling.solver.model import Placement
from scheduling.solver.prepare import Prepared

PARAMS = Params(time_limit_s=2, deterministic=True)


@pytest.fixture(scope="module")
def forum():
    return generate("L", 0)


def test_it_applies_to_a_large_problem_without_travel_only(forum):
    assert time_indexed.applies(Prepared(forum, PARAMS))
    for visit in (generate("S", 0), generate("M", 0)):  # travel between venues
        assert not time_indexed.applies(Prepared(visit, PARAMS))
    ordered = dataclasses.replace(forum, precedences=(Precedence(10, 11, 0),))
    assert not time_indexed.applies(Prepared(ordered, PARAMS))  # the plan has no order
    replan = dataclasses.replace(forum, previous=(Placement(1, 0, 540),))
    assert not time_indexed.applies(Prepared(replan, PARAMS))


def test_its_step_is_the_largest_grid_every_time_sits_on(forum):
    # 45/60/90-minute sessions, days from 08:30, lunch 12:00-14:00.
    assert time_indexed.step(Prepared(forum, PARAMS)) == 15
    odd = dataclasses.replace(forum.activities[-1], duration=50)
    fifty = dataclasses.replace(forum, activities=(*forum.activities[:-1], odd))
    assert time_indexed.step(Prepared(fifty, PARAMS)) == 5  # the time grid


def test_its_plan_is_a_programme_of_the_whole_model(forum):
    # Its own plan (no hint): a rule it left out (a cohort's lunch, a room, a speaker, an
    # interpreter team) would leave the whole model without a programme at those starts.
    prep = Prepared(forum, PARAMS)
    starts = time_indexed.plan_starts(prep, PARAMS, None, 3.0)
    assert starts is not None
    mandatory = {a.id for a in forum.activities if a.mandatory}
    assert mandatory <= set(starts)
    read = time_indexed.programme_at(prep, PARAMS, starts, 2.0)
    assert read is not None
    _model, programme = read
    assert validate(forum, programme) == []
    assert {pl.activity: (pl.day, pl.start) for pl in programme.placements} == starts


def test_the_solve_starts_from_the_plan(forum, monkeypatch):
    with_plan = solve_programme(forum, PARAMS)
    monkeypatch.setattr(time_indexed, "MIN_ACTIVITIES", len(forum.activities) + 1)
    without = solve_programme(forum, PARAMS)
    assert validate(forum, with_plan) == [] and validate(forum, without) == []
    # L-0: -37795 against the construction's -36985 kept by the interval model.
    assert with_plan.objective < without.objective


def test_its_plan_keeps_to_the_interpreters_hours(forum):
    # Half the interpreters hired for the mornings only (08:30-12:30): the afternoons have
    # half the teams, and a plan that counted them all would leave the whole model without
    # a programme at its starts.
    mornings = tuple(Window(d.start, d.start + 240) for d in forum.days)
    hired = tuple(
        dataclasses.replace(i, windows=mornings) if i.id % 2 else i for i in forum.interpreters
    )
    p = dataclasses.replace(forum, interpreters=hired)
    prep = Prepared(p, PARAMS)
    starts = time_indexed.plan_starts(prep, PARAMS, None, 3.0)
    assert starts is not None
    read = time_indexed.programme_at(prep, PARAMS, starts, 2.0)
    assert read is not None and validate(p, read[1]) == []


def test_its_share_of_the_limit_binds_its_build_and_the_solve_goes_on(forum, monkeypatch):
    # At a 0.5 s limit L-0's plan model (0.4 s to build) ran the solve on to 0.70 s: its
    # build kept only to the whole solve's deadline. It gets the plan's share; out of it,
    # the plan is dropped and the search still starts from the first programme.
    from scheduling.solver import solve
    from scheduling.solver.deadline import OutOfTime

    given, passes = [], []

    def out_of_its_share(_prep, _params, _hint, _seconds, deadline=None):
        given.append(deadline)
        raise OutOfTime("time-indexed plan")

    real_pass = solve._solve_pass

    def spy(run, name, pass_params, ctx):
        passes.append(name)
        return real_pass(run, name, pass_params, ctx)

    monkeypatch.setattr(time_indexed, "plan_starts", out_of_its_share)
    monkeypatch.setattr(solve, "_solve_pass", spy)
    # 2 s: a pass starts only with a tenth of the limit left in wall time (search's guard),
    # and at 0.5 s the preparation and construction of L under a loaded CI took it all.
    r = solve_programme(forum, PARAMS)
    (deadline,) = given
    assert deadline.limit_s == pytest.approx(solve.PLAN_SHARE * max(60.0, 20 * PARAMS.time_limit_s))
    assert passes and validate(forum, r) == []
