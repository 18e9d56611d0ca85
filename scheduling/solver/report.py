"""The result of a solve: read a programme off a CP-SAT solution, or take the greedy's."""

from __future__ import annotations

import time

from .model import Assignment, Placement, ProgrammeResult, SolveStatus
from .prepare import Prepared
from .rules.languages import chosen, covered_direction
from .scoring import (
    TERMS,
    group_travel_minutes,
    normalised_gap,
    objective,
    problem_bound,
    score,
    score_offset,
    travel_floor,
)


def extract(ctx, solver, status, cb, t0, user, has_bound=True, bound=None) -> ProgrammeResult:
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
    # The gap is on the normalised basis (scoring.normalised_gap): relative to the score
    # "reachable minus penalties", not to an objective that may sit near zero.
    obj = float(objective(terms, user))
    if has_bound:
        # A stage whose objective leaves travel out (the lexicographic main stage, and the
        # travel stage reporting the main stage's bound): travel >= its floor, not >= 0.
        no_travel = bound is not None or not ctx.params.weights.travel
        bound = float(solver.best_objective_bound if bound is None else bound)
        if no_travel and user.weights.travel > 0:
            bound += user.weights.travel * travel_floor(prep)
        # The problem's own bound (all the optional value, travel at its floor) when the
        # stage's is weaker: a stage that ran out early reports at least that.
        static = problem_bound(ctx.problem, user, prep)
        if static is not None:
            bound = max(bound, float(static))
    # Travel was not in a pairwise model's objective: the bound stays valid (travel >= 0) but
    # optimality of the full sum is unproven unless there is no travel at all.
    if (
        ctx.params.sequencing == "pairwise"
        and status == SolveStatus.OPTIMAL
        and user.weights.travel
        and terms["travel"]
    ):
        status = SolveStatus.FEASIBLE
    return ProgrammeResult(
        status=status,
        objective=obj,
        bound=bound,
        gap=normalised_gap(obj, bound, score_offset(ctx.problem, user, prep))
        if bound is not None
        else None,
        wall_time_s=time.perf_counter() - t0,
        time_to_first_s=cb.first,
        placements=tuple(placements),
        assignments=tuple(sorted(assignments, key=lambda x: (x.activity, x.interpreter))),
        unplaced=tuple(unplaced),
        terms=terms,
        moved=moved,
        languages=tuple(c for c in choices if c is not None),
    )


class _NoTiming:
    first = None  # extract reads the time to the first programme off a progress callback


def programme_of(ctx, solver) -> ProgrammeResult:
    """A solution of `ctx`'s model read as a programme (a neighbourhood's, an insertion's):
    no bound, no timing."""
    return extract(
        ctx, solver, SolveStatus.FEASIBLE, _NoTiming, time.perf_counter(), ctx.params, False
    )


def from_greedy(
    problem, params, result, t0, first_at=None, prep=None, search_bound=None
) -> ProgrammeResult:
    """The greedy's (or the insertion's, or the day search's) programme; its bound is the
    problem's own (scoring.problem_bound), or, when higher, `search_bound`: a CP-SAT pass's
    bound on an objective that left travel out (plus travel's floor)."""
    terms = score(problem, result, params, prep)
    placed = {pl.activity for pl in result.placements}
    obj = float(objective(terms, params))
    bound = problem_bound(problem, params, prep)
    if search_bound is not None:
        floor = params.weights.travel * travel_floor(prep or Prepared(problem, params))
        bound = max(search_bound + floor, bound if bound is not None else -float("inf"))
    gap = None
    if bound is not None:
        bound = float(bound)
        gap = normalised_gap(obj, bound, score_offset(problem, params, prep))
    return ProgrammeResult(
        status=SolveStatus.FEASIBLE,
        objective=obj,
        bound=bound,
        gap=gap,
        wall_time_s=time.perf_counter() - t0,
        time_to_first_s=first_at if first_at is not None else time.perf_counter() - t0,
        placements=result.placements,
        assignments=result.assignments,
        unplaced=tuple(a.id for a in problem.activities if not a.mandatory and a.id not in placed),
        terms=terms,
        languages=result.languages,
    )
