"""solve.py's own machinery: the day search keeps programmes valid."""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from scheduling.solver import validate
from scheduling.solver.build import build
from scheduling.solver.day_search import improve_by_days
from scheduling.solver.prepare import Prepared
from scheduling.solver.report import extract as _extract
from scheduling.solver.scoring import objective, score
from scheduling.solver.search import SearchProgress as _Progress
from scheduling.solver.search import configure

from .factories import PARAMS, act, at, host, problem


def test_the_day_search_keeps_the_programme_valid_and_never_worsens_it():
    hosts = [host(1, (at(0, 9), at(0, 12)), (at(1, 9), at(1, 12)))]
    acts = [act(1, 120, venue=1, hosts=(1,)), act(2, 90, venue=2)]
    acts += [act(k, 60, venue=1 + k % 2, mandatory=False, value=k) for k in range(3, 9)]
    p = problem(acts, days=2, lunch=True, hosts=hosts)
    params = dataclasses.replace(PARAMS, sequencing="pairwise")
    prep = Prepared(p, params)
    ctx = build(p, params, prep)
    # Start from a poor programme: the first solution CP-SAT finds.
    first = cp_model.CpSolver()
    configure(first, params)
    first.parameters.stop_after_first_solution = True
    assert first.solve(ctx.m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    cb = _Progress(time.perf_counter(), None, None)
    start = _extract(ctx, first, "feasible", cb, time.perf_counter(), params, has_bound=False)
    seen = []
    # A far deadline: the search ends when every neighbourhood is proven optimal around
    # its programme (deterministic sub-solves).
    best = improve_by_days(
        p, prep, params, start, time.perf_counter() + 600.0, lambda r, o: seen.append(o)
    )
    before, after = (objective(score(p, r, params), params) for r in (start, best))
    # The first programme leaves value out; the day neighbourhoods find what fits. Each
    # programme reported is better than the last, and the last is the answer.
    assert after < before and seen == sorted(seen, reverse=True) and seen[-1] == after
    assert validate(p, best) == []
    assert sorted(pl.activity for pl in best.placements)[:2] == [1, 2]
