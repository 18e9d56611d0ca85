"""solve_programme: pre-checks, CP-SAT model, solve with progress and cancellation, result."""

from __future__ import annotations

import dataclasses
import random
import threading
import time

from ortools.sat.python import cp_model

from .build import build
from .explain import explain_infeasibility
from .greedy import greedy
from .insert import insert_missing
from .model import (
    Assignment,
    Conflict,
    Params,
    Placement,
    Problem,
    ProgrammeResult,
    Progress,
    ProgressCallback,
    Weights,
)
from .objective import TERMS, weighted
from .precheck import precheck
from .prepare import Prepared
from .repair import broken_activities, fixed_copy, neighbourhoods
from .rules.languages import choice_hints, choice_literals, chosen, covered_direction
from .scoring import group_travel_minutes, objective, score

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
    for name, value in params.cp_sat.items():
        setattr(sp, name, value)


def gap_of(obj: float, bound: float) -> float:
    return abs(obj - bound) / max(1.0, abs(obj))


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, t0: float, on_progress: ProgressCallback | None, stop):
        super().__init__()
        self.t0, self.on_progress, self.stop = t0, on_progress, stop
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

    lexicographic = (
        params.strategy != "weighted" and params.weights.travel != 0 and any(prep.dist.values())
    )
    if lexicographic:
        # All goals but travel on the pairwise encoding (strong propagation, proves fast),
        # then travel on circuits with that value as a bound. Measured on S seed 1: the
        # weighted circuit model was still at 35% gap after 5 s; this way the first stage is
        # optimal in 0.7 s and the travel stage proven in 4 s.
        main = dataclasses.replace(
            params,
            sequencing="pairwise",
            weights=dataclasses.replace(params.weights, travel=0),
        )
    else:
        main = params
    # 'first': no objective, stop at the first solution. On M instances the objective-driven
    # search found no solution in 10 s while the feasibility search found one in 2.7 s; the
    # next stage starts from it as a hint.
    stages = [("first", main), ("main", main)]
    start_hint, greedy_complete, first_at = None, False, None
    if not problem.previous:
        # A greedy earliest-fit programme, when it places everything mandatory, is a better
        # start than a bare feasibility search: on TOPTW (nothing mandatory) the empty
        # programme is feasible and CP-SAT stayed near it (pr04 m=4: 28 points in 10 s).
        start_hint, g_status, *_ = greedy(problem, main, params.time_limit_s * 0.2)
        greedy_complete = g_status == "feasible"
        if greedy_complete:
            stages = [("main", main)]
        else:
            # As a partial hint it slowed the feasibility search on M (first solution in
            # 4-5 s vs 2-4 s, one more instance without any). What it left out is inserted
            # instead, one day's neighbourhood at a time (insert.py); only if that fails is
            # the bare feasibility search the start.
            deadline = t0 + params.time_limit_s * INSERT_SHARE
            start_hint = insert_missing(problem, main, start_hint, deadline, params.stop)
            if start_hint is not None:
                greedy_complete = True
                stages = [("main", main)]
                first_at = time.perf_counter() - t0
    if problem.previous and params.weights.moves:
        # Re-planning: first minimise the moves alone from the previous version (hinted).
        # A plain feasibility search ignores the now-infeasible hint and returned programmes
        # with 44 of 44 activities moved on M; the main stage then keeps moves at this level.
        zero = Weights(*(0 for _f in dataclasses.fields(Weights)))
        repair = dataclasses.replace(main, weights=dataclasses.replace(zero, moves=1))
        stages[0] = ("repair", repair)
    if lexicographic:
        stages.append(("travel", dataclasses.replace(params, sequencing="both")))
    cb = _Progress(t0, on_progress, params.stop)
    if first_at is not None:
        # The completed greedy programme is a valid programme: the first one.
        cb.first = first_at
        if on_progress is not None:
            obj = float(objective(score(problem, start_hint, params), params))
            on_progress(Progress(obj, obj, 0.0, first_at, 0))  # as the repair reports
    best = None  # (ctx, solver, status, stage)
    global_bound = None
    filled = None  # the first programme, completed by the greedy
    for stage, stage_params in stages:
        remaining = params.time_limit_s - (time.perf_counter() - t0)
        if best is not None and remaining <= max(0.05, MIN_STAGE_SHARE * params.time_limit_s):
            # Building the next stage's model alone takes 0.1-0.2 s on M: with less time
            # left it only made the solve overrun its limit (re-plan, 2 s: wall p95 2.29 s).
            break
        if stage == "repair":
            found = _repair(problem, stage_params, prep, cb, t0, params)
            if found is not None:
                best = found
                continue
        ctx = build(problem, stage_params, prep, objective=stage != "first")
        if best is None and start_hint is not None:
            _hint_result(ctx, start_hint)
        if best is not None:
            prev_ctx, prev_solver, prev_status, prev_stage = best
            if stage == "travel" and prev_stage == "main":
                ctx.m.add(weighted(ctx, travel=False) <= round(prev_solver.objective_value))
            if stage == "travel" and prev_status != "optimal":
                # The first stage is unproven (M, L): the whole model with circuits often
                # found nothing, not even its hint, in the time left (M, 5 s). Keeping each
                # activity on its day leaves one small routing problem per day.
                _keep_days(ctx, prev_ctx, prev_solver)
                # Its bound holds for those days only; the first stage's holds for all
                # (travel >= 0).
                if global_bound is None:
                    global_bound = prev_solver.best_objective_bound
            if prev_stage == "repair":
                # Moves dominate the objective: no better programme moves more.
                ctx.m.add(ctx.terms["moves"] <= round(prev_solver.objective_value))
            if prev_stage == "first" and filled is not None:
                _hint_result(ctx, filled)
            else:
                _hint_from(ctx, prev_ctx, prev_solver)
        solver = cp_model.CpSolver()
        # The time limit covers model building too (hundreds of ms on M, seconds on TOPTW).
        remaining = params.time_limit_s - (time.perf_counter() - t0)
        configure(solver, dataclasses.replace(stage_params, time_limit_s=max(remaining, 0.05)))
        cb.stop_at_first = stage == "first"
        soft = None
        # Only with travel (S, M): on L (no travel, 100 sessions a day) a day's
        # neighbourhood did not even get back to its hint in 1.5 s (-37100 at 60 s against
        # -41580 for CP-SAT alone).
        lns = stage == "main" and lexicographic and not params.deterministic
        lns = lns and not problem.previous
        main_end = params.time_limit_s * (params.stage1_share if lexicographic else 1.0)
        if lns:
            # With each activity kept on its day, the travel stage of M is proven in ~3 s of
            # 10 (1-1.5 s when the machine is quiet) and the run ended at 5.7-7 s: the day search
            # gets that time instead.
            main_end = max(main_end, params.time_limit_s * LNS_MAIN_SHARE)
        if stage == "main" and lexicographic:
            soft = t0 + main_end
        if lns:
            # CP-SAT on the whole model for part of the stage, then day neighbourhoods.
            soft = t0 + main_end * LNS_AFTER
        if stage == "repair":
            soft = t0 + params.time_limit_s * params.stage1_share / 2
        code = _run(solver, ctx, cb, params.stop, soft)
        status = _STATUS.get(code, "unknown")
        if status in ("optimal", "feasible"):
            if stage in ("first", "repair"):
                status = "feasible"
            if stage == "first":
                filled = _fill_in(problem, main, ctx, solver, cb, t0, params)
            if lns and status != "optimal":
                global_bound = solver.best_objective_bound
                solver = _day_lns(ctx, solver, cb, stage_params, t0 + main_end)
            elif stage == "travel" and prev_status != "optimal":
                status = "feasible"  # optimal only relative to an unproven stage
            best = (ctx, solver, status, stage)
        elif best is None:
            if start_hint is not None and greedy_complete and status != "infeasible":
                # CP-SAT found nothing in time: the greedy programme is still a programme.
                return _from_greedy(problem, params, start_hint, t0, first_at)
            if status == "infeasible":
                conflicts = explain_infeasibility(problem, params, prep) if params.explain else []
                return ProgrammeResult(
                    "infeasible", conflicts=tuple(conflicts), wall_time_s=time.perf_counter() - t0
                )
            conflicts = ()
            if status == "invalid":
                # CP-SAT refused the model: say why, never a bare status.
                reason = ctx.m.validate() or "the model is invalid"
                conflicts = (Conflict("bad_value", {}, {"error": reason}),)
            return ProgrammeResult(
                status, conflicts=conflicts, wall_time_s=time.perf_counter() - t0
            )
        if params.stop is not None and params.stop.is_set():
            break
    ctx, solver, status, stage = best
    return _extract(
        ctx,
        solver,
        status,
        cb,
        t0,
        params,
        has_bound=stage == "main" or stage == "travel",
        bound=global_bound if stage in ("travel", "main") else None,
    )


# Share of the time limit within which the greedy's programme must be completed
# (insert.py); M: 1-5 s of 10 on a loaded machine.
INSERT_SHARE = 0.6
# A stage is not started with less than this share of the time limit left.
MIN_STAGE_SHARE = 0.1
# Share of the time limit for the main stage when the day search follows it.
LNS_MAIN_SHARE = 0.75
# Share of the main stage given to CP-SAT on the whole model before the day neighbourhoods.
LNS_AFTER = 0.5


def _day_lns(ctx, solver, cb, params, deadline):
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
            _fix(m, p.Index(), 1)
            _fix(m, ctx.on_day[aid][day].Index(), 1)
            if isinstance(ctx.start[aid], cp_model.IntVar):
                _fix(m, ctx.start[aid].Index(), best.value(ctx.start[aid]))
        m.clear_hints()
        _add_hints(m, ctx, ctx, best)
        sub = cp_model.CpSolver()
        limit = min(remaining, scale * max(LNS_NEIGHBOURHOOD_S, params.time_limit_s / 40))
        configure(
            sub, dataclasses.replace(params, time_limit_s=limit, cp_sat={**light, **params.cp_sat})
        )
        code = _run(sub, ctx, cb, params.stop, model=m)
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


LNS_NEIGHBOURHOOD_S = 0.3


def _fix(m, index: int, value: int) -> None:
    dom = m.proto.variables[index].domain
    dom.clear()
    dom.extend([value, value])


def _fill_in(problem, main, ctx, solver, cb, t0, user):
    """The first programme with the greedy's additions (None if it adds nothing valid)."""
    first = _extract(ctx, solver, "feasible", cb, t0, user, has_bound=False)
    result, status, *_ = greedy(problem, main, seed=first)
    if status != "feasible" or len(result.placements) <= len(first.placements):
        return None
    return result


def _from_greedy(problem, params, result, t0, first_at=None) -> ProgrammeResult:
    terms = score(problem, result, params)
    placed = {pl.activity for pl in result.placements}
    return ProgrammeResult(
        status="feasible",
        objective=float(objective(terms, params)),
        wall_time_s=time.perf_counter() - t0,
        time_to_first_s=first_at if first_at is not None else time.perf_counter() - t0,
        placements=result.placements,
        assignments=result.assignments,
        unplaced=tuple(a.id for a in problem.activities if not a.mandatory and a.id not in placed),
        terms=terms,
        languages=result.languages,
    )


def _hint_result(ctx, result) -> None:
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


# Re-planning spends most of its time on the repair: after a decline, a programme with few
# moves is what the organiser needs first (M, 2 s limit: with a quarter of the time, 7 of 20
# declines ended without any programme).
# When no neighbourhood has given a programme, the repair goes on nearly to the end: the
# whole model never found one in the half second that was left (M, loaded machine).
REPAIR_SHARE = 0.9
# One neighbourhood may not take all of it: an infeasible one (the activity cannot move
# within that day) can be slow to prove, and the next one may be the answer. Small ones
# (one day, up to SMALL activities) get less: they are proven infeasible in 0.03-0.1 s
# when the machine is idle.
NEIGHBOURHOOD_S = 0.5
SMALL, SMALL_S = 25, 0.25
# Once a neighbourhood gave a programme, the others are tried (for fewer moves) only up to
# this share of the time limit: the organiser wants the repaired programme first.
IMPROVE_SHARE = 0.35


def _repair(problem, params, prep, cb, t0, user):
    """Minimise moves with everything outside a small neighbourhood kept in place, over the
    neighbourhoods of repair.neighbourhoods (one model, a fixed copy each); the best one, or
    None if none gives a programme in time.

    A neighbourhood is small once presolved: one worker and a light presolve find its
    programme 2-3x sooner than the default (M, 30-40 movable activities: 0.2-0.35 s
    against 0.4-0.9 s on this 2-core machine) and prove the infeasible ones in 0.1 s."""
    hoods = neighbourhoods(problem, prep)
    if not hoods:
        return None
    _broken, lower = broken_activities(problem, prep)
    ctx = build(problem, params, prep)
    best = None  # (moves, solver)
    light = {
        "num_workers": 1,
        "symmetry_level": 0,
        "max_presolve_iterations": 1,
        "cp_model_probing_level": 0,
    }
    for movable in hoods:
        elapsed = time.perf_counter() - t0
        share = REPAIR_SHARE if best is None else IMPROVE_SHARE
        remaining = params.time_limit_s * share - elapsed
        if remaining <= 0.02:
            break
        cap = SMALL_S if len(movable) <= SMALL else NEIGHBOURHOOD_S
        m = fixed_copy(ctx, movable)
        if best is not None:
            m.clear_hints()
            _add_hints(m, ctx, ctx, best[1])
            m.add(ctx.terms["moves"] <= best[0] - 1)
        solver = cp_model.CpSolver()
        configure(
            solver,
            dataclasses.replace(
                params,
                time_limit_s=max(min(remaining, cap), 0.05),
                cp_sat={**light, **params.cp_sat},
            ),
        )
        code = _run(solver, ctx, cb, params.stop, model=m)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = (round(solver.objective_value), solver)
            if cb.on_progress is not None:
                # A complete programme already: report it in the user's objective.
                r = _extract(ctx, solver, "feasible", cb, t0, user, has_bound=False)
                cb.on_progress(Progress(r.objective, r.objective, 0.0, r.wall_time_s, cb.solutions))
            if best[0] <= lower:
                break  # no programme moves fewer
        if params.stop is not None and params.stop.is_set():
            break
    if best is None:
        return None
    return (ctx, best[1], "feasible", "repair")


def _run(solver, ctx, cb, stop, soft_deadline=None, model=None) -> int:
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


def _keep_days(ctx, prev_ctx, prev_solver) -> None:
    for aid, lits in ctx.on_day.items():
        if not lits:
            continue
        ctx.m.add(ctx.present[aid] == prev_solver.boolean_value(prev_ctx.present[aid]))
        for did, lit in lits.items():
            ctx.m.add(lit == prev_solver.boolean_value(prev_ctx.on_day[aid][did]))


def _hint_from(ctx, prev_ctx, prev_solver) -> None:
    ctx.m.clear_hints()
    _add_hints(ctx.m, ctx, prev_ctx, prev_solver)


def _add_hints(m, ctx, prev_ctx, prev_solver) -> None:
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


def _extract(ctx, solver, status, cb, t0, user, has_bound=True, bound=None) -> ProgrammeResult:
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
            assignments.add(Assignment(aid, iid, covered_direction(ctx, solver, aid, iid, k)))
    choices = [chosen(ctx, solver, prep.act[pl.activity]) for pl in placements]
    terms = {}
    for name in TERMS:
        expr = ctx.terms.get(name, 0)
        terms[name] = int(solver.value(expr)) if not isinstance(expr, int) else expr
    if ctx.params.sequencing == "pairwise":
        terms["travel"] = group_travel_minutes(prep, placements)
    start_of = {pl.activity: pl.start for pl in placements}
    moved = tuple(sorted(aid for aid, pl in prep.prev.items() if start_of.get(aid) != pl.start))
    # The objective is always the full weighted sum of the user's weights, whatever the stage.
    obj = float(objective(terms, user))
    if has_bound:
        bound = float(solver.best_objective_bound if bound is None else bound)
    # Travel was not in a pairwise model's objective: the bound stays valid (travel >= 0) but
    # optimality of the full sum is unproven unless there is no travel at all.
    if (
        ctx.params.sequencing == "pairwise"
        and status == "optimal"
        and user.weights.travel
        and terms["travel"]
    ):
        status = "feasible"
    return ProgrammeResult(
        status=status,
        objective=obj,
        bound=bound,
        gap=gap_of(obj, bound) if bound is not None else None,
        wall_time_s=time.perf_counter() - t0,
        time_to_first_s=cb.first,
        placements=tuple(placements),
        assignments=tuple(sorted(assignments, key=lambda x: (x.activity, x.interpreter))),
        unplaced=tuple(unplaced),
        terms=terms,
        moved=moved,
        languages=tuple(c for c in choices if c is not None),
    )
