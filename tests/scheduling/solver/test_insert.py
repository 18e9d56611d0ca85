"""The greedy's programme completed by insertion (insert.py), and complete hints with the
languages chosen (rules/languages.choice_hints)."""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from benchmarks.solver.generate import generate
from scheduling.solver import Params, ProgrammeResult, solve_programme, validate
from scheduling.solver.build import build
from scheduling.solver.greedy import greedy
from scheduling.solver.insert import insert_missing
from scheduling.solver.policy import interpretation
from scheduling.solver.search import hint_result as _hint_result

from .factories import act, at, group, host, interp, problem

PARAMS = Params(time_limit_s=10, explain=False, sequencing="pairwise")


def test_insertion_completes_what_the_greedy_left_out():
    # M-0 since languages are choices: the greedy leaves mandatory activities out.
    p = generate("M", 0)
    partial, status, *_ = greedy(p, PARAMS)
    assert status == "incomplete"
    full = insert_missing(p, PARAMS, partial, time.perf_counter() + 20)
    assert full is not None
    assert validate(p, full) == []
    placed = {pl.activity for pl in full.placements}
    assert {a.id for a in p.activities if a.mandatory} <= placed


def test_insertion_gives_up_when_nothing_can_take_the_activity():
    # Two mandatory two-hour activities with the same host in a two-hour window.
    h = host(1, (at(0, 9), at(0, 11)))
    acts = [act(1, 120, hosts=(1,)), act(2, 120, hosts=(1,))]
    p = problem(acts, hosts=[h])
    partial, status, *_ = greedy(p, PARAMS)
    assert status == "incomplete"
    assert insert_missing(p, PARAMS, partial, time.perf_counter() + 5) is None


def test_a_programme_hinted_with_its_language_choices_is_a_complete_hint():
    # French or English spoken, a group following both: literals for the choice.
    acts = [
        act(1, 60, languages=("fr", "en"), interpretation_mode="consecutive"),
        act(2, 60, languages=("en",), interpretation_mode="consecutive"),
    ]
    p = problem(
        acts,
        groups=[group(1, languages=("fr", "es"))],
        interpreters=(interp(1, ("fr", "es"), ("en", "es"), ("en", "fr")), interp(2, ("en", "fr"))),
        interpretation=interpretation("liaison"),
    )
    r = solve_programme(p, Params(time_limit_s=5, explain=False))
    assert r.status == "optimal"
    assert {c.activity for c in r.languages} == {1, 2}
    ctx = build(p, dataclasses.replace(PARAMS, sequencing="both"))
    _hint_result(ctx, r)
    hinted = set(ctx.m.proto.solution_hint.vars)
    cv = ctx.choices[1]
    lits = [*cv.spoken.values(), *cv.targets.values(), *ctx.covers.values()]
    assert {x.Index() for x in lits} <= hinted
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(ctx.m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_solve_reports_the_completed_programme_as_the_first():
    # Any gap is accepted, so the solve ends with its first programme: the test waits for it
    # (a generous limit) instead of racing a clock on a loaded machine.
    p = generate("M", 1)
    r = solve_programme(p, Params(time_limit_s=120, explain=False, relative_gap=1e9))
    assert r.status in ("feasible", "optimal")
    assert validate(p, r) == []
    assert r.time_to_first_s is not None and r.time_to_first_s <= r.wall_time_s
    assert isinstance(r, ProgrammeResult)
