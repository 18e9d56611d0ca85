"""solve.py's own machinery: the day neighbourhood search keeps programmes valid."""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from scheduling.solver import validate
from scheduling.solver.build import build
from scheduling.solver.prepare import Prepared
from scheduling.solver.report import extract as _extract
from scheduling.solver.search import SearchProgress as _Progress
from scheduling.solver.search import configure
from scheduling.solver.search import day_lns as _day_lns

from .factories import PARAMS, act, at, host, problem


def test_day_lns_keeps_the_programme_valid_and_never_worsens_it():
    hosts = [host(1, (at(0, 9), at(0, 12)), (at(1, 9), at(1, 12)))]
    acts = [act(1, 120, venue=1, hosts=(1,)), act(2, 90, venue=2)]
    acts += [act(k, 60, venue=1 + k % 2, mandatory=False, value=k) for k in range(3, 9)]
    p = problem(acts, days=2, lunch=True, hosts=hosts)
    params = dataclasses.replace(PARAMS, sequencing="pairwise")
    ctx = build(p, params, Prepared(p, params))
    # Start from a poor programme: the first solution CP-SAT finds.
    start = cp_model.CpSolver()
    configure(start, params)
    start.parameters.stop_after_first_solution = True
    assert start.solve(ctx.m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    cb = _Progress(time.perf_counter(), None, None)
    # A far deadline: the search ends when no neighbourhood improves (deterministic).
    best = _day_lns(ctx, start, cb, params, time.perf_counter() + 600.0)
    # Deterministic sub-solves: the first programme (-2850) leaves value out; the day
    # neighbourhoods find what fits (-3270 here). Never worse, whatever the machine's load.
    assert best.objective_value < start.objective_value
    r = _extract(ctx, best, "feasible", cb, time.perf_counter(), params, has_bound=False)
    assert validate(p, r) == []
    assert sorted(pl.activity for pl in r.placements)[:2] == [1, 2]
