"""Large neighbourhood search over days, each neighbourhood a problem of its own (issue 18:
M at short limits).

A programme is improved one day (or two) at a time: the activities on those days and the
optional ones left out that could go there become a small problem (repair.on_days: the
other days' activities are left out of it, a precedence with one of them a bound), solved
by CP-SAT with the user's weights, travel on circuits included, hinted with the current
programme. Its programme is merged with the rest, checked by the validator and kept when the
whole programme's objective (scoring.py) is lower: terms across days (balance, interpreter
spread) are the whole programme's, so the neighbourhood's own view of them never decides.

A day's problem builds in hundredths of a second and needs no presolve of the rest; the
day neighbourhoods on copies of the whole model (the search it replaces) cost 0.2-0.5 s
each in presolve on M, and optimised without travel (a travel pass keeping the days came
after). Measured on M-0 at 10 s: the programme went from 3435 (the first one, at 0.7 s) to
-495 (-15 to 760 inside the solve), where the whole-model passes ended at 1730 (-70 after
60 s).
"""

from __future__ import annotations

import dataclasses
import random
import time

from ortools.sat.python import cp_model

from .build import build
from .model import Params, ProgrammeResult, Progress, SolveStatus
from .prepare import Prepared
from .repair import LIGHT, SolutionCount, on_days, solve_within
from .report import programme_of
from .scoring import objective, score
from .search import configure, gap_of, hint_result
from .validate import validate

# Seconds one neighbourhood may take; doubled after a round without gain.
NEIGHBOURHOOD_S = 0.3


def improve_by_days(
    problem,
    prep: Prepared,
    params: Params,
    start: ProgrammeResult,
    end: float,
    report=None,
    enough: float | None = None,
) -> ProgrammeResult:
    """The best programme found from `start` (a valid programme) by `end` (perf_counter), or
    as soon as one's objective is at most `enough` (the solve's relative gap reached);
    `report(result, objective)` is called with each better one."""
    sub_params = dataclasses.replace(
        params,
        weights=dataclasses.replace(params.weights, moves=0),
        sequencing="both",
        explain=False,
        workers=1,
        cp_sat={**LIGHT, **params.cp_sat},
    )
    days = [d.id for d in problem.days]
    hoods = [(d,) for d in days] + [(d, e) for i, d in enumerate(days) for e in days[i + 1 :]]
    random.Random(params.seed).shuffle(hoods)
    best, best_obj = start, _objective(problem, prep, params, start)
    stale, proven, scale, k = 0, 0, 1.0, 0
    while hoods:
        if enough is not None and best_obj <= enough:
            break
        left = end - time.perf_counter()
        if left < 0.05 or (params.stop is not None and params.stop.is_set()):
            break
        free = frozenset(hoods[k % len(hoods)])
        k += 1
        limit = min(left, scale * NEIGHBOURHOOD_S)
        found, optimal = _neighbour(problem, prep, sub_params, best, free, limit)
        obj = None if found is None else _objective(problem, prep, params, found)
        if obj is not None and obj < best_obj:
            best, best_obj, stale, proven = found, obj, 0, 0
            if report is not None:
                report(best, best_obj)
            continue
        stale += 1
        proven += optimal
        if stale >= len(hoods):
            if proven >= len(hoods):
                break  # every neighbourhood is optimal around this programme
            stale, proven, scale = 0, 0, scale * 2
    return best


def _neighbour(problem, prep, params, cur: ProgrammeResult, free: frozenset, limit: float):
    """(`cur` with the days `free` re-planned, or None; whether that was proven optimal)."""
    at = {pl.activity: pl for pl in cur.placements}
    left_out = {
        a.id
        for a in problem.activities
        if a.id not in at and not a.mandatory and set(prep.domains.get(a.id) or ()) & free
    }
    sub = on_days(problem, prep, free, left_out, prev=at)
    sub = dataclasses.replace(sub, previous=(), previous_assignments=(), locked=frozenset())
    sub_prep = Prepared(sub, params)
    ctx = build(sub, params, sub_prep)
    inside = {a.id for a in sub.activities}
    hint_result(
        ctx,
        ProgrammeResult(
            SolveStatus.FEASIBLE,
            placements=tuple(pl for pl in cur.placements if pl.activity in inside),
            assignments=tuple(x for x in cur.assignments if x.activity in inside),
            languages=tuple(c for c in cur.languages if c.activity in inside),
        ),
    )
    solver = cp_model.CpSolver()
    configure(solver, dataclasses.replace(params, time_limit_s=max(limit, 0.05)))
    # A cancel ends the neighbourhood's search too (its limit doubles after each round
    # without gain: seconds on a long solve).
    never = float("inf")
    code = solve_within(solver, ctx.m, SolutionCount(), never, never, params.stop)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, code == cp_model.INFEASIBLE
    part = programme_of(ctx, solver)
    merged = ProgrammeResult(
        SolveStatus.FEASIBLE,
        placements=(*(pl for pl in cur.placements if pl.activity not in inside), *part.placements),
        assignments=(*(x for x in cur.assignments if x.activity not in inside), *part.assignments),
        languages=(*(c for c in cur.languages if c.activity not in inside), *part.languages),
    )
    if validate(problem, merged):
        return None, False  # a rule across days the neighbourhood could not see
    return merged, code == cp_model.OPTIMAL


def _objective(problem, prep, params, result) -> float:
    return float(objective(score(problem, result, params, prep), params))


def progress_reporter(cb, bound: float | None, offset: float | None):
    """`report` for improve_by_days: each better programme as the solve's progress."""

    def report(_result, obj):
        if cb.on_progress is None:
            return
        elapsed = time.perf_counter() - cb.t0
        b = obj if bound is None else bound
        cb.on_progress(Progress(obj, b, gap_of(obj, b, offset), elapsed, cb.solutions))

    return report
