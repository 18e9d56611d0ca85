"""CP-SAT runs: parameters, the progress callback, a search with a stop and a soft deadline,
hints from one model to the next, and the day neighbourhood search."""

from __future__ import annotations

import dataclasses
import random
import threading
import time

from ortools.sat.python import cp_model

from . import relaxation
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
        self.stop_at_first = False

    def on_solution_callback(self) -> None:
        self.solutions += 1
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


LNS_NEIGHBOURHOOD_S = 0.3


def day_lns(ctx, solver, cb, params, deadline):
    """Large neighbourhood search by day: everything stays but the activities of one or two
    days (and the optional activities left out), which CP-SAT re-plans on a copy of the
    model, hinted with the current programme. With 2 workers CP-SAT runs no LNS of its own
    (only rins/rens); a two-day neighbourhood of M is solved in tenths of a second.
    Returns the solver holding the best programme (ctx's variables read it)."""
    days = [d.id for d in ctx.problem.days]
    hoods = [(d,) for d in days] + [(d, e) for i, d in enumerate(days) for e in days[i + 1 :]]
    random.Random(params.seed).shuffle(hoods)
    best, best_obj = solver, solver.objective_value
    light = {"num_workers": 1, "symmetry_level": 0, "max_presolve_iterations": 1}
    # The neighbourhoods use one worker: the other core bounds the problem meanwhile
    # (relaxation.py, with the user's weights: Prepared.params), kept for its report
    # (scoring.problem_bound reads it).
    prep = ctx.prep
    on = {
        aid: did
        for aid, lits in ctx.on_day.items()
        for did, lit in lits.items()
        if solver.boolean_value(lit)
    }
    relax = relaxation.InBackground(prep, prep.params.weights, deadline, on)
    try:
        return _day_lns(ctx, hoods, best, best_obj, cb, params, deadline, light)
    finally:
        found = relax.result()
        if found is not None:
            relaxation.remember(prep, prep.params.weights, found.bound)


def _day_lns(ctx, hoods, best, best_obj, cb, params, deadline, light):
    stale, proven, scale, k = 0, 0, 1.0, 0
    while hoods:
        remaining = deadline - time.perf_counter()
        if remaining < 0.05 or (params.stop is not None and params.stop.is_set()):
            break
        free = set(hoods[k % len(hoods)])
        k += 1
        m = ctx.m.clone()
        for aid, p in ctx.present.items():
            if not ctx.on_day[aid]:
                continue
            on = best.boolean_value(p)
            day = next((d for d, lit in ctx.on_day[aid].items() if best.boolean_value(lit)), None)
            if not on or day in free:
                continue  # movable: left out (may come in) or on a free day
            fix(m, p.Index(), 1)
            fix(m, ctx.on_day[aid][day].Index(), 1)
            if isinstance(ctx.start[aid], cp_model.IntVar):
                fix(m, ctx.start[aid].Index(), best.value(ctx.start[aid]))
        m.clear_hints()
        add_hints(m, ctx, ctx, best)
        sub = cp_model.CpSolver()
        limit = min(remaining, scale * max(LNS_NEIGHBOURHOOD_S, params.time_limit_s / 40))
        configure(
            sub, dataclasses.replace(params, time_limit_s=limit, cp_sat={**light, **params.cp_sat})
        )
        code = run_search(sub, ctx, cb, params.stop, model=m)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and sub.objective_value < best_obj - 0.5:
            best, best_obj, stale, proven = sub, sub.objective_value, 0, 0
        else:
            stale += 1
            proven += code == cp_model.OPTIMAL
        if stale == len(hoods):
            if proven == len(hoods):
                break  # every neighbourhood is optimal around this programme
            # A full round without gain: give each neighbourhood more time.
            stale, proven, scale = 0, 0, scale * 2
    return best


def fix(m, index: int, value: int) -> None:
    dom = m.proto.variables[index].domain
    dom.clear()
    dom.extend([value, value])
