"""solve_programme as a list of stages over one `Run` (the state a solve carries from stage
to stage): prepare, pre-check, the first programme (greedy, completed by insertion), the
plan of CP-SAT passes, the search (each pass: build, hint, solve; the re-plan's repair
pass first), the explanation of a solve without a programme, and the report.

The CP-SAT machinery (parameters, progress, hints, the day neighbourhoods) is in
search.py, the reading of a solution in report.py, the model in build.py."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from . import floor, relaxation, time_indexed
from .build import build
from .construct import construct
from .construct import repair as construct_repair
from .day_search import improve_by_days, progress_reporter
from .deadline import Deadline, OutOfTime
from .explain import explain_infeasibility
from .greedy import greedy
from .insert import insert_missing, insert_on_days, left_out
from .model import (
    Conflict,
    Params,
    Problem,
    ProgrammeResult,
    Progress,
    ProgressCallback,
    SolveStatus,
    Weights,
)
from .objective import weighted
from .precheck import precheck
from .prepare import Prepared
from .repair import broken_activities, fixed_copy, neighbourhoods, repair_on_days
from .report import extract, from_greedy
from .scoring import normalised_gap, objective, score, score_offset
from .search import (
    SearchProgress,
    add_hints,
    configure,
    hint_from,
    hint_result,
    hint_solution,
    keep_days,
    run_search,
    solve_fixed,
    status_of,
)
from .tours import improve_tours
from .validate import validate

# The CP-SAT passes. 'first': no objective, stop at the first solution (a start for 'main').
# 'repair' (re-plan): the moves alone, in small neighbourhoods. 'main': the objective
# (without travel when lexicographic). 'travel': travel on circuits, the rest bounded.
FIRST, REPAIR, MAIN, TRAVEL = "first", "repair", "main", "travel"

# Share of the time limit within which the greedy's programme must be completed
# (insert.py); M: 1-5 s of 10 on a loaded machine, M-2 5.7-7 s (at 0.6 it ended `unknown`
# one run in two: no programme is the worst answer, the day search makes up for the time).
INSERT_SHARE = 0.75
# Share of the time limit the construction's ejections may take (construct.complete): on
# XL 3,000 the last missing activities need about a second.
COMPLETE_SHARE = 0.1
# Share of the time limit for the re-plan's repair without CP-SAT (its ejections): M-1's
# declines it repairs take 0.03-0.85 s at load 10-11; what they do not repair by then, the
# repair on one or two days (repair.repair_on_days, CP-SAT on those days alone) does in
# 0.05-0.6 s, with fewer moves.
REPAIR_PY_SHARE = 0.15
# A stage is not started with less than this share of the time limit left.
MIN_STAGE_SHARE = 0.1
# Share of the time limit kept back from CP-SAT's last pass (see _solve_pass).
SEARCH_MARGIN = 0.03
# ... and per activity: on a large model CP-SAT stops later after its limit, and the answer
# takes longer to read (XL 3,000 at 10 s: the pass 0.35 s past its limit, the answer 0.1-0.2
# s more, 10.2 s in all with the 3 % alone).
SEARCH_MARGIN_PER_ACTIVITY_S = 1e-4
# Share of the time limit given to CP-SAT on the whole model (the main pass, travel left
# out) when the day search (day_search.py, travel included) follows it to the end, in place
# of the travel pass. M-0..M-3 at 10 s: 1730/2460/4420/3395 with the whole-model passes,
# -15/2025/4345/2650 with this at 0.15 (760/2185/4035/- at 0.375).
LNS_SHARE = 0.15
# Smaller problems keep the travel pass after an unproven main pass (each activity on its
# day, proven in seconds): the day search ends only when every neighbourhood is proven
# around its programme, or at the limit, and a visit of Aude's size on a loaded machine
# then took its whole limit where the travel pass ended early.
DAY_SEARCH_MIN = 40
# Data errors that a stage may raise on bad input: the caller gets a status it can show.
_BAD_DATA = (TypeError, ValueError, KeyError, AttributeError)


@dataclass
class Run:
    """What one solve carries from stage to stage. A stage that sets `result` ends it."""

    problem: Problem
    params: Params
    on_progress: ProgressCallback | None
    t0: float
    deadline: Deadline  # the whole solve's: every stage's share of the time limit
    prep: Prepared | None = None
    main: Params | None = None  # the main pass's parameters
    lexicographic: bool = False
    passes: list = field(default_factory=list)  # [(pass name, params)]
    cb: SearchProgress | None = None
    start_hint: ProgrammeResult | None = None
    greedy_complete: bool = False
    first_at: float | None = None
    repaired_moves: int | None = None  # moves of the re-plan's repaired previous version
    # Mandatory activities no place was found for: by a re-plan's repair, or by the first
    # programme's insertion.
    no_place: tuple = ()
    tours_note: list = field(default_factory=list)  # what the tours stage did, or why not
    best: tuple | None = None  # (ctx, solver, status, pass name): the best programme
    global_bound: float | None = None
    improved: ProgrammeResult | None = None  # the day search's programme (day_search.py)
    planned: object = None  # the time-indexed plan's main-pass model, hinted (plan_times)
    beside: floor.Loop | None = None  # the travel floor's rounds beside the travel pass
    at_floor: bool = False  # run.best travels the floor: proven whatever its solver's bound
    floor_top: float | None = None  # (1)'s optimum plus the floor's travel: a bound
    filled: ProgrammeResult | None = None  # the first programme, completed by the greedy
    failed: tuple | None = None  # (ctx, status): the search ended without a programme
    result: ProgrammeResult | None = None

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0


def solve_programme(
    problem: Problem, params: Params | None = None, on_progress: ProgressCallback | None = None
) -> ProgrammeResult:
    """The programme. Never raises on any size: when the time limit (or memory) runs out in
    a stage, the answer is the best programme so far, or `unknown` with a `time_limit`
    conflict naming the stage (issue 18)."""
    params = params or Params()
    t0 = time.perf_counter()
    # Deterministic solves (tests) are limited in deterministic time; their wall-clock
    # deadline is the same generous one CP-SAT gets (search.configure).
    limit = params.time_limit_s
    if params.deterministic:
        limit = max(60.0, 20 * limit)
    run = Run(problem, params, on_progress, t0, Deadline(t0, limit, params.stop))
    for stage in STAGES:
        try:
            stage(run)
        except OutOfTime as e:
            run.result = _out_of_time(run, e.stage)
        except MemoryError:
            # A model too large for this machine: the same answer as a time limit, naming
            # the stage (the model's memory is freed with the exception's frames).
            run.result = _out_of_time(run, STAGE_NAMES[stage], memory=True)
        if run.result is not None:
            return run.result
    raise AssertionError("the report stage always sets the result")


def _out_of_time(run: Run, stage: str, memory: bool = False) -> ProgrammeResult:
    """The best programme so far, else `unknown` saying which stage the limit ended."""
    if run.best is not None:
        report(run)
        return run.result
    if run.start_hint is not None and run.greedy_complete:
        return _from_first(run)
    return ProgrammeResult(
        SolveStatus.UNKNOWN, conflicts=_limit_reason(run, stage, memory), wall_time_s=run.elapsed()
    )


def _limit_reason(run: Run, stage: str, memory: bool = False) -> tuple[Conflict, ...]:
    """Why there is no programme: the time limit (or memory) ran out in `stage`; nothing
    when the solve was cancelled."""
    if run.params.stop is not None and run.params.stop.is_set():
        return ()
    # A re-plan whose repair found no place for an activity (a declined one): named, so the
    # organiser knows which one holds the new version up (M-1's declines 3 and 12: a
    # programme exists but moves 29+ of 45 activities; CP-SAT's first one came after 27 s).
    # So are the mandatory activities a first programme found no place for: on a full
    # programme (generated M-23: one activity of 60 out after the insertion, CP-SAT's own
    # first programme after 14 s) they, not the visit's size, hold it up.
    said = {
        "stage": stage,
        "time_limit_s": run.params.time_limit_s,
        "activities": len(run.problem.activities),
        "reason": "out of memory" if memory else "out of time",
    }
    if run.no_place and not run.problem.previous:
        said["first"] = True
    left = {"activity": sorted(run.no_place)} if run.no_place else {}
    return (Conflict("time_limit", left, said),)


# ---- stages ----------------------------------------------------------------------------


def prepare(run: Run) -> None:
    try:
        run.prep = Prepared(run.problem, run.params)
    except _BAD_DATA as e:
        run.result = _bad_data(run, e)
        return
    run.prep.deadline = run.deadline


def check(run: Run) -> None:
    """Data errors and the infeasibilities found without CP-SAT (precheck.py)."""
    try:
        status, conflicts = precheck(run.prep)
    except _BAD_DATA as e:
        run.result = _bad_data(run, e)
        return
    if status is not None:
        run.result = ProgrammeResult(status, conflicts=tuple(conflicts), wall_time_s=run.elapsed())
        return
    run.deadline.check("pre-check")


def _bad_data(run: Run, e: Exception) -> ProgrammeResult:
    # Never raise on bad data: the caller gets a status it can show.
    return ProgrammeResult(
        SolveStatus.INVALID,
        conflicts=(Conflict("bad_value", {}, {"error": f"{type(e).__name__}: {e}"}),),
        wall_time_s=run.elapsed(),
    )


def plan(run: Run) -> None:
    """The CP-SAT passes and their parameters."""
    params, problem = run.params, run.problem
    run.lexicographic = (
        params.strategy != "weighted" and params.weights.travel != 0 and any(run.prep.dist.values())
    )
    if run.lexicographic:
        # All goals but travel on the pairwise encoding (strong propagation, proves fast),
        # then travel on circuits with that value as a bound. Measured on S seed 1: the
        # weighted circuit model was still at 35% gap after 5 s; this way the first stage is
        # optimal in 0.7 s and the travel stage proven in 4 s.
        run.main = dataclasses.replace(
            params,
            sequencing="pairwise",
            weights=dataclasses.replace(params.weights, travel=0),
        )
    else:
        run.main = params
    # 'first': on M instances the objective-driven search found no solution in 10 s while
    # the feasibility search found one in 2.7 s; the next pass starts from it as a hint.
    run.passes = [(FIRST, run.main), (MAIN, run.main)]
    if problem.previous and params.weights.moves:
        # Re-planning: first minimise the moves alone from the previous version (hinted).
        # A plain feasibility search ignores the now-infeasible hint and returned programmes
        # with 44 of 44 activities moved on M; the main pass then keeps moves at this level.
        zero = Weights(*(0 for _f in dataclasses.fields(Weights)))
        repair = dataclasses.replace(run.main, weights=dataclasses.replace(zero, moves=1))
        run.passes[0] = (REPAIR, repair)
    if run.lexicographic:
        # Circuits alone: the main pass's programme is its complete start, and the pairwise
        # order literals only slowed the proof (S-0/1/2 proven in 9-20 / 10-15 / 3.0-3.1 s
        # with circuits, 18-33 / 19-20 / 3.6-4.2 s with both encodings, 40 s limit).
        run.passes.append((TRAVEL, dataclasses.replace(params, sequencing="circuit")))
    offset = score_offset(problem, params, run.prep) if run.on_progress is not None else None
    run.cb = SearchProgress(run.t0, run.on_progress, params.stop, offset)


def first_programme(run: Run) -> None:
    """A programme by insertion by regret on the prepared problem (construct.py), before any
    CP-SAT model, completed by CP-SAT insertion (insert.py) if it leaves a mandatory activity
    out: when it places everything mandatory it is a better start than a bare feasibility
    search (on TOPTW, nothing mandatory, the empty programme is feasible and CP-SAT stayed
    near it: pr04 m=4, 28 points in 10 s), and the 'first' pass is skipped. A re-plan
    starts from the previous version repaired the same way (construct.repair)."""
    problem, params = run.problem, run.params
    if problem.previous:
        _first_repair(run)
        return
    limit = params.time_limit_s
    run.deadline.check("construction")
    hint, _missing = construct(
        run.prep, params.weights, deadline=run.deadline, complete_s=COMPLETE_SHARE * limit
    )
    run.deadline.check("construction")
    done = run.elapsed()
    # The independent validator checks it before anything uses it (on TOPTW pr06 it takes
    # 1.5 s, its own shortest paths: not counted in the time to the first programme, as
    # routing's own checks are not).
    violations = validate(problem, hint)
    run.start_hint = hint
    run.greedy_complete = not violations
    if run.greedy_complete:
        run.first_at = done
    elif any(v.rule != "mandatory" for v in violations):
        run.start_hint = None  # never hand on a programme that breaks a rule
    else:
        # As a partial hint it slowed the feasibility search on M (first solution in
        # 4-5 s vs 2-4 s, one more instance without any). What it left out is inserted
        # instead, one day (then two, then three) at a time as problems of their own
        # (insert.insert_on_days: M-0..M-4's 1-7 left out all in within 1-4 s of 10),
        # then in copies of the whole model (insert_missing); then the greedy's
        # programme the same way; only if that fails is the bare feasibility search the
        # start.
        run.start_hint = None
        hint = insert_on_days(problem, run.prep, params, hint, run.deadline.at(INSERT_SHARE))
        for partial in (hint, None):
            out_of_time = run.deadline.elapsed() >= run.deadline.limit_s * INSERT_SHARE
            if partial is None:
                if out_of_time:
                    break
                partial, *_ = greedy(problem, run.main, prep=run.prep, check=False)
            elif out_of_time and left_out(problem, partial):
                continue  # still incomplete, and no time to build the whole model
            try:
                # At once when nothing is left out.
                deadline = run.deadline.at(INSERT_SHARE)
                run.start_hint = insert_missing(problem, run.main, partial, deadline, params.stop)
            except OutOfTime:
                run.start_hint = None  # its model did not fit in the insertion's share
            if run.start_hint is not None:
                break
        if run.start_hint is not None:
            run.greedy_complete = True
            run.first_at = run.elapsed()
        else:
            run.no_place = tuple(left_out(problem, hint))
    if run.greedy_complete:
        run.passes = [(name, p) for name, p in run.passes if name != FIRST]
    if run.first_at is not None:
        # The completed greedy programme is a valid programme: the first one.
        run.cb.first = run.first_at
        if run.on_progress is not None:
            obj = float(objective(score(problem, run.start_hint, params), params))
            run.on_progress(Progress(obj, obj, 0.0, run.first_at, 0))  # as the repair reports


def _first_repair(run: Run) -> None:
    """The previous version repaired without CP-SAT: an answer from the first
    milliseconds, which the CP-SAT repair then tries to better (fewer moves)."""
    left: list[int] = []
    try:
        fixed = construct_repair(
            run.prep,
            run.params.weights,
            deadline=run.deadline,
            budget_s=REPAIR_PY_SHARE * run.params.time_limit_s,
            left=left,
        )
    except OutOfTime:
        fixed = None
    if fixed is None and left and not run.deadline.expired():
        # No place by ejection: the declined activity's day, or two days, re-planned by
        # CP-SAT as problems of their own (repair.repair_on_days).
        fixed = repair_on_days(run.problem, run.prep, run.params, run.deadline)
    if fixed is None:
        run.no_place = tuple(sorted(set(left)))
        return
    run.start_hint, run.greedy_complete, run.first_at = fixed, True, run.elapsed()
    run.repaired_moves = score(run.problem, fixed, run.params)["moves"]
    run.cb.first = run.first_at
    if run.on_progress is not None:
        obj = float(objective(score(run.problem, fixed, run.params), run.params))
        run.on_progress(Progress(obj, obj, 0.0, run.first_at, 0))


def _from_first(run: Run) -> ProgrammeResult:
    """The first programme (constructed, completed or repaired) as the answer."""
    # With the solve's Prepared: without it, scoring prepared the problem again (XL 3,000:
    # 0.35 s against 0.09 s, after the limit).
    r = from_greedy(run.problem, run.params, run.start_hint, run.t0, run.first_at, prep=run.prep)
    at = {pl.activity: pl.start for pl in r.placements}
    moved = tuple(sorted(a for a, pl in run.prep.prev.items() if at.get(a) != pl.start))
    return dataclasses.replace(r, moved=moved)


def search(run: Run) -> None:
    """The CP-SAT passes, each started from the previous one's programme."""
    params = run.params
    for name, pass_params in run.passes:
        have = run.best is not None or (run.start_hint is not None and run.greedy_complete)
        if have and params.time_limit_s - run.elapsed() <= max(
            0.05, MIN_STAGE_SHARE * params.time_limit_s
        ):
            # Building the next pass's model alone takes 0.1-0.2 s on M: with less time
            # left it only made the solve overrun its limit (re-plan, 2 s: wall p95 2.29 s).
            break
        run.deadline.check("model build")
        if name == REPAIR:
            found = _repair(run, pass_params)
            if found is not None:
                run.best = found
                continue
        ctx = _build_pass(run, name, pass_params, have)
        if have and _too_late(run):
            # The build took what the pass would have had (XL 1,000 at 5 s: built at 4.3 s;
            # CP-SAT given its 0.05 s minimum stopped 0.4 s later, the solve at 5.47 s).
            break
        if name == TRAVEL and _at_travel_floor(run, ctx, pass_params):
            break  # proven without the pass
        try:
            solved = _solve_pass(run, name, pass_params, ctx)
        finally:
            if run.beside is not None:
                _settle_floor(run, ctx)
        if not solved and run.best is None:
            return
        if run.improved is not None:
            break  # the day search weighed travel too: no travel pass after it
        if params.stop is not None and params.stop.is_set():
            break


def _search_left(run: Run) -> float:
    """What is left of the limit for CP-SAT: the time left less what its last pass keeps
    back (SEARCH_MARGIN, _solve_pass); all of it in a deterministic solve."""
    left = run.params.time_limit_s - run.elapsed()
    if run.params.deterministic:
        return left
    margin = SEARCH_MARGIN * run.params.time_limit_s
    return left - margin - SEARCH_MARGIN_PER_ACTIVITY_S * len(run.problem.activities)


def _build_pass(run: Run, name: str, pass_params: Params, have: bool = False):
    """The pass's model, bounded by and hinted with the previous pass's programme. `have`:
    a programme exists already (the pass may then be skipped)."""
    if name == MAIN and run.best is None and run.planned is not None:
        ctx, run.planned = run.planned, None
        return ctx  # built with these parameters, its hint complete (plan_times)
    ctx = build(run.problem, pass_params, run.prep, objective=name != FIRST, deadline=run.deadline)
    if run.best is None:
        if run.start_hint is not None:
            hint_result(ctx, run.start_hint)
            if run.repaired_moves is not None and "moves" in ctx.terms:
                # No better programme moves more than the repaired one.
                ctx.m.add(ctx.terms["moves"] <= run.repaired_moves)
            if run.greedy_complete and not (have and _too_late(run)):
                _complete_hint(run, ctx, pass_params)
        return ctx
    prev_ctx, prev_solver, prev_status, prev_name = run.best
    if name == TRAVEL and prev_name == MAIN:
        ctx.m.add(weighted(ctx, travel=False) <= round(prev_solver.objective_value))
    if name == TRAVEL and prev_status != SolveStatus.OPTIMAL:
        # The main pass is unproven (M, L): the whole model with circuits often found
        # nothing, not even its hint, in the time left (M, 5 s). Keeping each activity on
        # its day leaves one small routing problem per day.
        keep_days(ctx, prev_ctx, prev_solver)
        # Its bound holds for those days only; the main pass's holds for all (travel >= 0).
        if run.global_bound is None:
            run.global_bound = prev_solver.best_objective_bound
    if prev_name == REPAIR:
        # Moves dominate the objective: no better programme moves more.
        ctx.m.add(ctx.terms["moves"] <= round(prev_solver.objective_value))
    if prev_name == FIRST and run.filled is not None:
        hint_result(ctx, run.filled)
    else:
        hint_from(ctx, prev_ctx, prev_solver)
    return ctx


# Share of the time limit the completion of a pass's hint may take (search.solve_fixed: 0.12 s
# on M, 0.01 s on S).
COMPLETE_HINT_SHARE = 0.05


def _too_late(run: Run) -> bool:
    """Too little left for a pass (at least a tenth of the limit, as for its build); never
    in a deterministic solve (tests: the same passes whatever the load)."""
    if run.params.deterministic:
        return False
    return _search_left(run) <= max(0.05, MIN_STAGE_SHARE * run.params.time_limit_s)


def _complete_hint(run: Run, ctx, pass_params: Params) -> None:
    """The first programme as a complete hint: its placements name the starts, days and
    interpreters, not the pass's other variables (the pairwise order literals, lunch
    breaks, the terms), and CP-SAT did not always complete them: M-2's main pass, hinted
    with its complete first programme at 3.7 s, found no solution by 9.7 s, so neither it
    nor the day search improved on that programme."""
    seconds = min(COMPLETE_HINT_SHARE * run.params.time_limit_s, run.deadline.left())
    solver = solve_fixed(ctx, run.start_hint, pass_params, seconds)
    if solver is not None:
        hint_solution(ctx.m, solver)


# Share of the time limit for the travel floor and its rounds (floor.py; S-0..S-5: the
# floor alone 0.1-4.3 s on one worker, 0.2-3.5 s on two; the whole model on its days
# 0.01-0.06 s).
FLOOR_SHARE = 0.3


def _at_travel_floor(run: Run, ctx, pass_params: Params) -> bool:
    """Before the travel pass after a proven main pass (S, Aude): the fewest travel minutes
    any programme at the main optimum has, and a programme on the floor's days (floor.py).
    Beside the pass (run.beside), which stops once either is at the floor (Aude: the pass
    proves its optimum in 0.1 s, the rounds in 1-1.5 s; S-0: the floor in 0.5 s, the pass
    in 3-8 s). A deterministic solve (tests) takes the floor first: True when its
    programme travels the floor (kept in run.best: no pass); else the floor and the main
    optimum bound the pass (its own relaxation saw neither: on S-1 its bound started 218
    below the main optimum alone), and the programme hints it."""
    prev_ctx, prev_solver, prev_status, prev_name = run.best
    if prev_name != MAIN or prev_status != SolveStatus.OPTIMAL or not run.lexicographic:
        return False
    main_best = round(prev_solver.objective_value)
    if prev_solver.best_objective_bound < main_best:
        return False  # "optimal" within a relative gap limit (Params.relative_gap), unproven
    seconds = min(FLOOR_SHARE * run.params.time_limit_s, run.deadline.left())
    days = {
        aid: did
        for aid, lits in prev_ctx.on_day.items()
        for did, lit in lits.items()
        if prev_solver.boolean_value(lit)
    }
    loop = floor.Loop(ctx, run.prep, pass_params, main_best, days, seconds)
    if not run.params.deterministic:
        loop.start()
        run.beside = loop
        return False
    outcome = loop.run()
    if outcome is None:
        return False
    if outcome.proven:
        run.best, run.at_floor = (ctx, outcome.solver, SolveStatus.OPTIMAL, TRAVEL), True
        return True
    ctx.m.add(weighted(ctx, travel=False) >= main_best)
    if outcome.bound:
        ctx.m.add(ctx.terms["travel"] >= outcome.bound)
    if outcome.solver is not None:
        hint_solution(ctx.m, outcome.solver)
    return False


class _StopBeside:
    """The pass's stop: the user's (Params.stop), or the floor beside it reached."""

    def __init__(self, stop, loop: floor.Loop, cb: SearchProgress):
        self.stop, self.loop, self.cb = stop, loop, cb

    def is_set(self) -> bool:
        user = self.stop is not None and self.stop.is_set()
        return user or self.loop.reached(self.cb.best)


def _settle_floor(run: Run, ctx) -> None:
    """After the pass beside the floor: the floor's programme if the pass has none as good,
    and the pass's proven when at the floor."""
    loop, run.beside = run.beside, None
    loop.stop()
    outcome = loop.outcome
    if loop.bound is not None:
        run.floor_top = float(loop.main_best + loop.params.weights.travel * loop.bound)
    best = run.best if run.best is not None and run.best[3] == TRAVEL else None
    if best is not None and best[2] == SolveStatus.OPTIMAL:
        return
    proven = outcome is not None and outcome.proven
    if proven and (best is None or outcome.solver.objective_value <= best[1].objective_value):
        run.best, run.at_floor = (ctx, outcome.solver, SolveStatus.OPTIMAL, TRAVEL), True
        return
    if best is not None and loop.reached(best[1].objective_value):
        run.best, run.at_floor = (*best[:2], SolveStatus.OPTIMAL, TRAVEL), True


def _solve_pass(run: Run, name: str, pass_params: Params, ctx) -> bool:
    """Solve one pass; True if it gave a programme (kept in run.best), else False with
    run.failed set."""
    params = run.params
    solver = cp_model.CpSolver()
    # The time limit covers model building too (hundreds of ms on M, seconds on TOPTW).
    # CP-SAT stops a little after its limit on a large model, and the answer is still to be
    # read and written (XL 1,000: 11.1 s for 10 without the margin).
    remaining = _search_left(run)
    # Beside the floor (its thread on one worker), one worker: each has a core (S-1 proven in
    # 1.8 s, against 2.0-2.2 s with two workers here, S-2 1.3-1.4 against 1.7-2.0 s).
    workers = 1 if run.beside is not None else pass_params.workers
    configure(
        solver, dataclasses.replace(pass_params, time_limit_s=max(remaining, 0.05), workers=workers)
    )
    run.cb.stop_at_first = name == FIRST
    # Only with travel (S, M): on L (no travel, 100 sessions a day) a day's neighbourhood
    # did not even get back to its hint in 1.5 s (-37100 at 60 s against -41580 for CP-SAT
    # alone).
    lns = name == MAIN and run.lexicographic and not params.deterministic
    lns = lns and not run.problem.previous and len(run.problem.activities) >= DAY_SEARCH_MIN
    soft = None
    if name == MAIN and run.lexicographic:
        soft = run.t0 + params.time_limit_s * params.stage1_share
    if lns:
        soft = run.t0 + params.time_limit_s * LNS_SHARE  # then day by day (day_search.py)
    if name == REPAIR:
        soft = run.t0 + params.time_limit_s * params.stage1_share / 2
    run.cb.best = None  # this pass's solutions only (the main pass's leaves travel out)
    stop = params.stop if run.beside is None else _StopBeside(params.stop, run.beside, run.cb)
    status = status_of(run_search(solver, ctx, run.cb, stop, soft))
    if not status.has_programme:
        run.failed = (ctx, status)
        return False
    prev_status = run.best[2] if run.best is not None else None
    if name in (FIRST, REPAIR):
        status = SolveStatus.FEASIBLE
    if name == FIRST:
        run.filled = _fill_in(run.problem, run.main, ctx, solver, run.cb, run.t0, params)
    if lns and status != SolveStatus.OPTIMAL:
        run.global_bound = solver.best_objective_bound
        run.improved = _improve_by_days(run, ctx, solver)
    elif name == TRAVEL and prev_status != SolveStatus.OPTIMAL:
        status = SolveStatus.FEASIBLE  # optimal only relative to an unproven pass
    run.best = (ctx, solver, status, name)
    return True


def explain_failure(run: Run) -> None:
    """No pass gave a programme: the greedy's if it is complete, else why not."""
    if run.best is not None:
        return
    if run.failed is None:
        # No pass started (too little time left after the first programme).
        run.result = _from_first(run)
        return
    ctx, status = run.failed
    if run.start_hint is not None and run.greedy_complete and status != SolveStatus.INFEASIBLE:
        # CP-SAT found nothing in time: the greedy programme is still a programme.
        run.result = _from_first(run)
        return
    conflicts = ()
    if status == SolveStatus.UNKNOWN:
        conflicts = _limit_reason(run, "search")
    if status == SolveStatus.INFEASIBLE and run.params.explain:
        conflicts = tuple(
            explain_infeasibility(run.problem, run.params, run.prep, deadline=run.deadline)
        )
    if status == SolveStatus.INVALID:
        # CP-SAT refused the model: say why, never a bare status.
        reason = ctx.m.validate() or "the model is invalid"
        conflicts = (Conflict("bad_value", {}, {"error": reason}),)
    run.result = ProgrammeResult(status, conflicts=conflicts, wall_time_s=run.elapsed())


def report(run: Run) -> None:
    """The best programme, in the user's objective; the bound only from a pass that has one
    for the whole objective."""
    if run.improved is not None:
        run.result = from_greedy(
            run.problem,
            run.params,
            run.improved,
            run.t0,
            run.cb.first,
            prep=run.prep,
            search_bound=run.global_bound,
        )
        return
    ctx, solver, status, name = run.best
    run.result = extract(
        ctx,
        solver,
        status,
        run.cb,
        run.t0,
        run.params,
        has_bound=name in (MAIN, TRAVEL),
        bound=run.global_bound if name in (TRAVEL, MAIN) else None,
    )
    result = run.result
    if run.at_floor:
        run.result = dataclasses.replace(result, bound=result.objective, gap=0.0)
    elif run.floor_top is not None and result.bound is not None and run.floor_top > result.bound:
        offset = score_offset(run.problem, run.params, run.prep)
        gap = normalised_gap(result.objective, run.floor_top, offset)
        run.result = dataclasses.replace(result, bound=run.floor_top, gap=gap)


# Share of the time limit kept back after the tours stage (validating and scoring its
# routes: 0.1-0.5 s on TOPTW pr10).
TOURS_MARGIN = 0.05
# Smaller tour problems get routing's descent to a local optimum only, and CP-SAT after it
# (which proves them: a guided local search never stops before its limit).
TOURS_GLS_MIN = 30


def tours(run: Run) -> None:
    """A tour problem (tours.tour_reason: one group, windows and travel only): the first
    programme improved by routing's guided local search (tours.py) until near the limit, in
    place of the CP-SAT search, which then has too little time left and is skipped (TOPTW
    pr10 m=4: 1679 -> 1774 at 10 s, CP-SAT had kept 1679). Deterministic solves (tests)
    and small problems: routing's descent to a local optimum, and CP-SAT after it."""
    if run.start_hint is None or not run.greedy_complete or run.problem.previous:
        return
    params = run.params
    until = run.deadline.end - max(0.05, TOURS_MARGIN * params.time_limit_s)
    descent = params.deterministic or len(run.problem.activities) < TOURS_GLS_MIN
    if descent:
        until = min(until, run.deadline.t0 + params.time_limit_s)
    better = improve_tours(run.prep, params, run.start_hint, until, run.tours_note, descent)
    if better is None:
        return
    run.start_hint = better
    if run.on_progress is not None:
        obj = float(objective(score(run.problem, better, params), params))
        run.on_progress(Progress(obj, obj, 0.0, run.elapsed(), 0))


# Share of the time limit (from the start) the time-indexed plan may take (time_indexed.py);
# reading it off the whole model may take the rest (L: 0.1-0.2 s; 900 sessions: 1-2 s),
# the interval model then improves the other terms and some value. L at 60 s: the plan
# gains most of its value in 20-40 s (L-0..2: -50805 / -41980 / -49260 at 0.7; -51200 /
# -41530 / -48245 at 0.85).
PLAN_SHARE = 0.7


def plan_times(run: Run) -> None:
    """A large problem without travel (a forum): a time-indexed plan (time_indexed.py), read as
    a programme of the whole model, replaces the first programme if it is better; the
    search starts from it."""
    prep, params = run.prep, run.params
    if not time_indexed.applies(prep):
        return
    run.deadline.check("time-indexed plan")
    limit = params.time_limit_s
    # A deterministic solve (tests) gives each its share in deterministic time.
    seconds = PLAN_SHARE * limit - (0 if params.deterministic else run.elapsed())
    # Its model's build keeps to the plan's share too: at a 0.5 s limit L-0's (0.4 s) ran on
    # to 0.70 s with the whole solve's deadline alone. Out of its share, no plan: the first
    # programme stays the start.
    share = Deadline(run.t0, PLAN_SHARE * run.deadline.limit_s, params.stop)
    try:
        starts = time_indexed.plan_starts(prep, params, run.start_hint, seconds, share)
    except OutOfTime:
        return
    run.deadline.check("time-indexed plan")
    if starts is None:
        return
    seconds = (1 - SEARCH_MARGIN - PLAN_SHARE) * limit
    if not params.deterministic:
        seconds = _search_left(run)
    read = time_indexed.programme_at(prep, run.main, starts, seconds, run.deadline)
    if read is None or validate(run.problem, read[1]):
        return
    model, planned = read
    value = objective(score(run.problem, planned, params, prep), params)
    first = run.start_hint if run.greedy_complete else None
    if first is not None and value >= objective(score(run.problem, first, params, prep), params):
        return
    run.start_hint, run.greedy_complete = planned, True
    run.planned = model  # the main pass's model, hinted with this programme in full
    run.passes = [(name, p) for name, p in run.passes if name != FIRST]
    if run.first_at is None:
        run.first_at = run.cb.first = run.elapsed()
    if run.on_progress is not None:
        run.on_progress(Progress(float(value), float(value), 0.0, run.elapsed(), 0))


STAGES = (
    prepare,
    check,
    plan,
    first_programme,
    tours,
    plan_times,
    search,
    explain_failure,
    report,
)
# What the `time_limit` conflict calls each stage (a stage may name a finer one itself:
# 'model build', 'insertion').
STAGE_NAMES = {
    prepare: "preparation",
    check: "pre-check",
    plan: "plan",
    first_programme: "construction",
    tours: "tours",
    plan_times: "time-indexed plan",
    search: "search",
    explain_failure: "explanation",
    report: "report",
}


# ---- helpers of the stages ---------------------------------------------------------------


def _fill_in(problem, main, ctx, solver, cb, t0, user):
    """The first programme with the greedy's additions (None if it adds nothing valid)."""
    first = extract(ctx, solver, SolveStatus.FEASIBLE, cb, t0, user, has_bound=False)
    result, status, *_ = greedy(problem, main, seed=first)
    if status != SolveStatus.FEASIBLE or len(result.placements) <= len(first.placements):
        return None
    return result


def _improve_by_days(run: Run, ctx, solver) -> ProgrammeResult:
    """The main pass's programme (or the first one, if better in the user's objective)
    improved a day or two at a time, travel included, until the end of the time limit
    (day_search.py), while the relaxation bounds the problem on the other core."""
    params, prep = run.params, run.prep
    found = extract(ctx, solver, SolveStatus.FEASIBLE, run.cb, run.t0, params, has_bound=False)
    start = min(
        (r for r in (found, run.start_hint if run.greedy_complete else None) if r is not None),
        key=lambda r: objective(score(run.problem, r, params, prep), params),
    )
    end = time.perf_counter() + _search_left(run)
    on = {pl.activity: pl.day for pl in start.placements}
    relax = relaxation.InBackground(prep, prep.params.weights, end, on)
    try:
        bound = from_greedy(
            run.problem, params, start, run.t0, prep=prep, search_bound=run.global_bound
        ).bound
        offset = score_offset(run.problem, params, prep)
        report = progress_reporter(run.cb, bound, offset)
        # The solve's relative gap, on report.py's basis (scoring.normalised_gap): a test
        # or a caller content with any programme (relative_gap 1e9) waited the whole limit.
        enough = None if bound is None else bound + params.relative_gap * (offset - bound)
        return improve_by_days(run.problem, prep, params, start, end, report, enough)
    finally:
        relaxed = relax.result()
        if relaxed is not None:
            relaxation.remember(prep, prep.params.weights, relaxed.bound)


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


def _repair(run: Run, params: Params):
    """Minimise moves with everything outside a small neighbourhood kept in place, over the
    neighbourhoods of repair.neighbourhoods (one model, a fixed copy each); the best one, or
    None if none gives a programme in time.

    A neighbourhood is small once presolved: one worker and a light presolve find its
    programme 2-3x sooner than the default (M, 30-40 movable activities: 0.2-0.35 s
    against 0.4-0.9 s on this 2-core machine) and prove the infeasible ones in 0.1 s."""
    problem, prep, cb, t0, user = run.problem, run.prep, run.cb, run.t0, run.params
    hoods = neighbourhoods(problem, prep)
    if not hoods:
        return None
    _broken, lower = broken_activities(problem, prep)
    if run.repaired_moves is not None and run.repaired_moves <= lower:
        return None  # the repaired version moves no more than it must
    if run.repaired_moves is not None and run.elapsed() > IMPROVE_SHARE * params.time_limit_s:
        return None  # no time to look for fewer moves: not worth the model's build
    ctx = build(problem, params, prep, deadline=run.deadline)
    best = None  # (moves, solver)
    # With a repaired version in hand, only fewer moves are worth a neighbourhood, and only
    # within the share for improving.
    limit = run.repaired_moves
    light = {
        "num_workers": 1,
        "symmetry_level": 0,
        "max_presolve_iterations": 1,
        "cp_model_probing_level": 0,
    }
    for movable in hoods:
        elapsed = time.perf_counter() - t0
        share = REPAIR_SHARE if best is None and limit is None else IMPROVE_SHARE
        remaining = params.time_limit_s * share - elapsed
        if remaining <= 0.02:
            break
        cap = SMALL_S if len(movable) <= SMALL else NEIGHBOURHOOD_S
        if best is None and limit is None and run.no_place:
            # The ejections found no place for a declined activity: what is left is a
            # reshuffle of its day (M-1's decline 12: 8 of its 24 activities move, CP-SAT's
            # first programme of that neighbourhood after 0.8-0.9 s with one worker) or of
            # two days (decline 3: 4 moves, 2.2 s). The caps cut those off; an infeasible
            # neighbourhood was proven in 0.2-0.8 s there.
            cap = remaining
        m = fixed_copy(ctx, movable)
        if best is not None:
            m.clear_hints()
            add_hints(m, ctx, ctx, best[1])
            m.add(ctx.terms["moves"] <= best[0] - 1)
        elif limit is not None:
            m.add(ctx.terms["moves"] <= limit - 1)
        solver = cp_model.CpSolver()
        configure(
            solver,
            dataclasses.replace(
                params,
                time_limit_s=max(min(remaining, cap), 0.05),
                cp_sat={**light, **params.cp_sat},
            ),
        )
        code = run_search(solver, ctx, cb, params.stop, model=m)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = (round(solver.objective_value), solver)
            if cb.on_progress is not None:
                # A complete programme already: report it in the user's objective.
                r = extract(ctx, solver, SolveStatus.FEASIBLE, cb, t0, user, has_bound=False)
                cb.on_progress(Progress(r.objective, r.objective, 0.0, r.wall_time_s, cb.solutions))
            if best[0] <= lower:
                break  # no programme moves fewer
        if params.stop is not None and params.stop.is_set():
            break
    if best is None:
        return None
    return (ctx, best[1], SolveStatus.FEASIBLE, REPAIR)
