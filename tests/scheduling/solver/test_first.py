"""The first programme by insertion by regret (construct.py, issue 18 part 3): the most
constrained activity first, so a flexible one no longer takes the day a one-day-only one
needs; built from the prepared problem alone, before any CP-SAT model."""

from __future__ import annotations

from benchmarks.solver.generate import season
from scheduling.solver import Params, solve_programme, validate
from scheduling.solver.construct import construct
from scheduling.solver.greedy import greedy
from scheduling.solver.prepare import Prepared

from .factories import act, at, host, problem


def _mandatory_out(p, result) -> set[int]:
    placed = {pl.activity for pl in result.placements}
    return {a.id for a in p.activities if a.mandatory and a.id not in placed}


def _flexible_and_one_day():
    # Two 8-hour meetings, two days: the valuable one may take either day, the other's
    # host is there on day 0 only.
    acts = [act(1, 480, value=5), act(2, 480, hosts=(1,), value=1)]
    return problem(acts, days=2, hosts=[host(1, (at(0, 9), at(0, 18)))])


def test_the_one_day_only_activity_gets_its_day():
    p = _flexible_and_one_day()
    partial, status, *_ = greedy(p)
    assert status == "incomplete" and _mandatory_out(p, partial) == {2}  # flexible first
    result, missing = construct(Prepared(p))
    assert missing == []
    assert validate(p, result) == []
    assert {pl.activity: pl.day for pl in result.placements} == {1: 1, 2: 0}


def test_no_placeable_mandatory_activity_is_left_out_of_a_season():
    # A season of visits (XL, 150 activities): the greedy leaves a mandatory activity out.
    p = season(150, 0)
    partial, _status, *_ = greedy(p, check=False)
    assert _mandatory_out(p, partial)
    result, missing = construct(Prepared(p))
    assert missing == []
    assert validate(p, result) == []
    assert not _mandatory_out(p, result)


def test_the_constructed_programme_is_the_solves_first_and_its_hint():
    # The model cannot improve in a deterministic hair of time: the answer is at least the
    # constructed programme, reported as the first.
    p = _flexible_and_one_day()
    r = solve_programme(p, Params(time_limit_s=0.001, deterministic=True, explain=False))
    assert r.status in ("feasible", "optimal")
    assert validate(p, r) == []
    assert r.time_to_first_s is not None and r.time_to_first_s <= r.wall_time_s
