"""solve_programme: pre-checks, CP-SAT model, solve with progress and cancellation, result."""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from .build import build
from .explain import explain_infeasibility
from .model import (
    Assignment,
    Conflict,
    Params,
    Placement,
    Problem,
    ProgrammeResult,
    Progress,
    ProgressCallback,
)
from .objective import TERMS
from .precheck import precheck
from .prepare import Prepared
from .validate import group_travel_minutes

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "invalid",
    cp_model.UNKNOWN: "unknown",
}


def configure(solver: cp_model.CpSolver, params: Params) -> None:
    sp = solver.parameters
    sp.num_workers = params.workers
    sp.random_seed = params.seed
    sp.relative_gap_limit = params.relative_gap
    if params.deterministic:
        # Repeatable whatever the load of the machine; 15-40x slower (SOLVER-NOTES), tests only.
        sp.interleave_search = True
        sp.max_deterministic_time = params.time_limit_s
        sp.max_time_in_seconds = max(60.0, 20 * params.time_limit_s)
    else:
        sp.max_time_in_seconds = params.time_limit_s


def gap_of(obj: float, bound: float) -> float:
    return abs(obj - bound) / max(1.0, abs(obj))


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, t0: float, on_progress: ProgressCallback | None, stop):
        super().__init__()
        self.t0, self.on_progress, self.stop = t0, on_progress, stop
        self.solutions, self.first = 0, None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        elapsed = time.perf_counter() - self.t0
        if self.first is None:
            self.first = elapsed
        if self.on_progress is not None:
            obj, bound = self.objective_value, self.best_objective_bound
            self.on_progress(Progress(obj, bound, gap_of(obj, bound), elapsed, self.solutions))
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


def solve_programme(
    problem: Problem, params: Params | None = None, on_progress: ProgressCallback | None = None
) -> ProgrammeResult:
    params = params or Params()
    t0 = time.perf_counter()
    try:
        prep = Prepared(problem, params)
        status, conflicts = precheck(prep)
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        # Never raise on bad data: the caller gets a status it can show.
        return ProgrammeResult(
            "invalid",
            conflicts=(Conflict("bad_value", {}, {"error": f"{type(e).__name__}: {e}"}),),
            wall_time_s=time.perf_counter() - t0,
        )
    if status is not None:
        return ProgrammeResult(
            status, conflicts=tuple(conflicts), wall_time_s=time.perf_counter() - t0
        )

    ctx = build(problem, params, prep)
    solver = cp_model.CpSolver()
    configure(solver, params)
    cb = _Progress(t0, on_progress, params.stop)
    done = threading.Event()
    watcher = None
    if params.stop is not None:
        # The callback only runs on new solutions; this thread also stops a search that has
        # not found one yet.
        def watch():
            while not done.wait(0.05):
                if params.stop.is_set():
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    try:
        code = solver.solve(ctx.m, cb)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    status = _STATUS.get(code, "unknown")
    if status == "infeasible":
        conflicts = explain_infeasibility(problem, params, prep) if params.explain else []
        return ProgrammeResult(
            "infeasible", conflicts=tuple(conflicts), wall_time_s=time.perf_counter() - t0
        )
    if status not in ("optimal", "feasible"):
        return ProgrammeResult(status, wall_time_s=time.perf_counter() - t0)
    return _extract(ctx, solver, status, cb, t0)


def _extract(ctx, solver, status, cb, t0) -> ProgrammeResult:
    prep = ctx.prep
    placements, unplaced = [], []
    for a in ctx.problem.activities:
        if solver.boolean_value(ctx.present[a.id]):
            day = next(d for d, lit in ctx.on_day[a.id].items() if solver.boolean_value(lit))
            placements.append(Placement(a.id, day, solver.value(ctx.start[a.id])))
        elif not a.mandatory:
            unplaced.append(a.id)
    assignments = set()
    for (aid, iid, k), x in ctx.covers.items():
        if solver.boolean_value(x):
            need = prep.needs(prep.act[aid])[k]
            direction = sorted(need.directions & set(prep.interp[iid].directions))[0]
            assignments.add(Assignment(aid, iid, direction))
    terms = {}
    for name in TERMS:
        expr = ctx.terms.get(name, 0)
        terms[name] = int(solver.value(expr)) if not isinstance(expr, int) else expr
    if ctx.params.sequencing == "pairwise":
        terms["travel"] = group_travel_minutes(prep, placements)
    start_of = {pl.activity: pl.start for pl in placements}
    moved = tuple(sorted(aid for aid, pl in prep.prev.items() if start_of.get(aid) != pl.start))
    obj, bound = solver.objective_value, solver.best_objective_bound
    return ProgrammeResult(
        status=status,
        objective=obj,
        bound=bound,
        gap=gap_of(obj, bound),
        wall_time_s=time.perf_counter() - t0,
        time_to_first_s=cb.first,
        placements=tuple(placements),
        assignments=tuple(sorted(assignments, key=lambda x: (x.activity, x.interpreter))),
        unplaced=tuple(unplaced),
        terms=terms,
        moved=moved,
    )
