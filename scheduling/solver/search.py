"""CP-SAT runs: parameters, the progress callback, a search with a stop and a soft deadline,
hints from one model to the next. The day neighbourhood search is day_search.py."""

from __future__ import annotations

import dataclasses
import threading
import time

from ortools.sat.python import cp_model

from .model import Params, Progress, ProgressCallback, SolveStatus
from .rules.languages import choice_hints, choice_literals
from .scoring import normalised_gap

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.MODEL_INVALID: SolveStatus.INVALID,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}


def status_of(code: int) -> SolveStatus:
    """CP-SAT's status code as the solve's status."""
    return _STATUS.get(code, SolveStatus.UNKNOWN)


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
    for name, value in params.cp_sat.items():
        setattr(sp, name, value)


def gap_of(obj: float, bound: float, offset: float | None = None) -> float:
    """The progress's gap, on report.py's normalised basis (scoring.normalised_gap: relative
    to the score "reachable minus penalties") when the problem's `offset` is known; else on
    CP-SAT's basis (relative to an objective that may sit near zero)."""
    if offset is not None:
        return normalised_gap(obj, bound, offset)
    return abs(obj - bound) / max(1.0, abs(obj))


class SearchProgress(cp_model.CpSolverSolutionCallback):
    def __init__(self, t0: float, on_progress: ProgressCallback | None, stop, offset=None):
        super().__init__()
        self.t0, self.on_progress, self.stop = t0, on_progress, stop
        self.offset = offset  # scoring.score_offset of the problem: the gap as report.py's
        self.solutions, self.first = 0, None
        self.best: float | None = None  # the objective of the last solution
        self.stop_at_first = False

    def on_solution_callback(self) -> None:
        self.solutions += 1
        self.best = self.objective_value
        elapsed = time.perf_counter() - self.t0
        if self.first is None:
            self.first = elapsed
        if self.stop_at_first:
            self.stop_search()  # the feasibility stage only provides a starting point
            return
        if self.on_progress is not None:
            obj, bound = self.objective_value, self.best_objective_bound
            self.on_progress(
                Progress(obj, bound, gap_of(obj, bound, self.offset), elapsed, self.solutions)
            )
        if self.stop is not None and self.stop.is_set():
            self.stop_search()


def run_search(solver, ctx, cb, stop, soft_deadline=None, model=None) -> int:
    done = threading.Event()
    watcher = None
    start_count = cb.solutions
    if stop is not None or soft_deadline is not None:
        # The callback only runs on new solutions; this thread also stops a search that has
        # not found one yet, and ends stage 1 at its soft deadline once it has a solution.
        def watch():
            while not done.wait(0.05):
                if stop is not None and stop.is_set():
                    solver.stop_search()
                    return
                if (
                    soft_deadline is not None
                    and cb.solutions > start_count
                    and time.perf_counter() > soft_deadline
                ):
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    try:
        return solver.solve(ctx.m if model is None else model, cb)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()


def keep_days(ctx, prev_ctx, prev_solver) -> None:
    for aid, lits in ctx.on_day.items():
        if not lits:
            continue
        ctx.m.add(ctx.present[aid] == prev_solver.boolean_value(prev_ctx.present[aid]))
        for did, lit in lits.items():
            ctx.m.add(lit == prev_solver.boolean_value(prev_ctx.on_day[aid][did]))


def hint_result(ctx, result) -> None:
    """Hint a whole programme: placements, interpreters and, for activities whose languages
    are a choice, the choice and what each interpreter renders (a complete hint)."""
    placed = {pl.activity: pl for pl in result.placements}
    ctx.m.clear_hints()
    hints = {}
    for aid, p in ctx.present.items():
        if not ctx.on_day[aid]:
            continue
        pl = placed.get(aid)
        hints[p.Index()] = (p, pl is not None)
        if pl is not None and isinstance(ctx.start[aid], cp_model.IntVar):
            hints[ctx.start[aid].Index()] = (ctx.start[aid], pl.start)
        for did, lit in ctx.on_day[aid].items():
            hints[lit.Index()] = (lit, pl is not None and pl.day == did)
    team = {(x.activity, x.interpreter) for x in result.assignments}
    for key, y in ctx.assigned.items():
        hints[y.Index()] = (y, key in team)
    for lit, value in choice_hints(ctx, result):
        hints.setdefault(lit.Index(), (lit, value))
    for var, value in hints.values():
        ctx.m.add_hint(var, value)


def hint_solution(m, solver) -> None:
    """Every variable of `m` hinted at its value in `solver`'s solution of a copy of `m`
    (the same variables): a complete hint, which CP-SAT takes as its first solution. With
    only the placements and assignments hinted, its first solution of L was half as good
    (-27855 against the hinted -48985) and the search took a second to get back to it."""
    m.clear_hints()
    for i in range(len(m.proto.variables)):
        var = m.get_int_var_from_proto_index(i)
        m.add_hint(var, solver.value(var))


def solve_fixed(ctx, result, params: Params, seconds: float):
    """CP-SAT's first solution of `ctx`'s model with `result`'s placements fixed (every
    activity it leaves out absent, its interpreters hinted): the variables a programme does
    not name (order literals, lunch breaks, the terms) found for it. The solver, or None if
    it finds none in `seconds`. Its solution reads through ctx's variables (a copy)."""
    m = ctx.m.clone()
    placed = {pl.activity: pl for pl in result.placements}
    for aid, present in ctx.present.items():
        if not ctx.on_day[aid]:
            continue
        pl = placed.get(aid)
        m.add(present == (pl is not None))
        if pl is not None and isinstance(ctx.start[aid], cp_model.IntVar):
            m.add(ctx.start[aid] == pl.start)
    solver = cp_model.CpSolver()
    _configure_fixed(solver, params, seconds)
    solver.parameters.stop_after_first_solution = True
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def _configure_fixed(solver: cp_model.CpSolver, params: Params, seconds: float) -> None:
    """A fixed copy's solve: when deterministic, on one worker without interleave_search.
    CP-SAT 9.15 aborts the process ("Check failed: heuristics.fixed_search != nullptr") on a
    hinted model that is infeasible in an interleaved search: a generated test problem whose
    first programme the whole model refused took the test run down."""
    configure(solver, dataclasses.replace(params, time_limit_s=max(seconds, 0.01)))
    if params.deterministic:
        solver.parameters.num_workers = 1  # deterministic on its own
        solver.parameters.interleave_search = False


def solve_days(ctx, days: dict[int, int], params: Params, seconds: float):
    """`ctx`'s model (a copy) with each activity on its day in `days` and the others absent,
    solved within `seconds`: each group's day is then a small tour (S: optimal in 0.01-0.06
    s). The solver, or None without a solution; it reads through ctx's variables."""
    m = ctx.m.clone()
    m.clear_hints()  # the pass's hint is another programme
    for aid, lits in ctx.on_day.items():
        if not lits:
            continue
        m.add(ctx.present[aid] == (aid in days))
        for did, lit in lits.items():
            m.add(lit == (days.get(aid) == did))
    solver = cp_model.CpSolver()
    _configure_fixed(solver, params, seconds)
    if solver.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver


def hint_from(ctx, prev_ctx, prev_solver) -> None:
    ctx.m.clear_hints()
    add_hints(ctx.m, ctx, prev_ctx, prev_solver)


def add_hints(m, ctx, prev_ctx, prev_solver) -> None:
    hinted = set()
    for aid, p in ctx.present.items():
        if not ctx.on_day[aid]:
            continue  # cannot take place; its start is a shared constant (no duplicate hints)
        m.add_hint(p, prev_solver.boolean_value(prev_ctx.present[aid]))
        if isinstance(ctx.start[aid], cp_model.IntVar):
            m.add_hint(ctx.start[aid], prev_solver.value(prev_ctx.start[aid]))
        for did, lit in ctx.on_day[aid].items():
            m.add_hint(lit, prev_solver.boolean_value(prev_ctx.on_day[aid][did]))
        hinted |= {p.Index(), *(lit.Index() for lit in ctx.on_day[aid].values())}
    for key, y in ctx.assigned.items():
        m.add_hint(y, prev_solver.boolean_value(prev_ctx.assigned[key]))
        hinted.add(y.Index())
    # The language choices and what each interpreter renders: without them the hint is
    # partial and CP-SAT has to find them again.
    for lit, prev_lit in choice_literals(ctx, prev_ctx):
        if lit.Index() not in hinted:
            hinted.add(lit.Index())
            m.add_hint(lit, prev_solver.boolean_value(prev_lit))
