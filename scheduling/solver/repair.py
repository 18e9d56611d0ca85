"""Re-planning neighbourhoods: which activities may move first.

A decline breaks a few rules of the previous version; everything else can usually stay.
Solving with the rest fixed is tiny and fast, and gives a programme with few moves that the
full solve starts from (CP-SAT alone tends to drop an infeasible hint and start afresh).

The broken activities either move within their own day or to another day; so the first
neighbourhoods are one per candidate day (the broken activities plus what shares a group or
a host with them on that day), the best of which is kept; then the whole of the broken
activities' days, then everything that shares with them. The model is built once and each
neighbourhood is a copy with the fixed activities' "same start" literals set (a copy costs
milliseconds, a build a tenth of a second on M).
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import fields, replace

from ortools.sat.python import cp_model

from .build import build
from .model import Assignment, Params, Placement, Problem, ProgrammeResult, SolveStatus, Weights
from .prepare import Prepared
from .rules.languages import covered_direction
from .search import configure
from .validate import validate

# Rules whose violation names one activity that can only be mended by moving it (an old
# time off the grid or outside its groups' presence too); others may be mended by moving
# another activity, or by another interpreter.
UNARY = frozenset({"day_window", "time_window", "fixed_start", "host_window", "grid", "presence"})


def broken_activities(problem: Problem, prep: Prepared) -> tuple[set[int], int]:
    """(activities that take part in a violation of the previous version, or are new and
    mandatory; a lower bound on the moves)."""
    prev = prep.prev
    broken, must = set(), set()
    result = ProgrammeResult(
        SolveStatus.FEASIBLE,
        placements=tuple(prev.values()),
        assignments=problem.previous_assignments,
    )
    for v in validate(problem, result):
        ids = set(v.entities.get("activity", ()))
        broken |= ids
        if v.rule in UNARY:
            must |= ids
    return broken, max(len(must), 1 if broken else 0)


def neighbourhoods(problem: Problem, prep: Prepared) -> list[set[int]]:
    """Growing sets of movable activities; the last one before 'everything'."""
    prev = prep.prev
    if not prev:
        return []
    broken, _lb = broken_activities(problem, prep)
    new = {a.id for a in problem.activities if a.id not in prev}
    broken |= new & {a.id for a in problem.activities if a.mandatory}
    if not broken:
        return []

    def shares(a, b) -> bool:
        x, y = prep.act[a], prep.act[b]
        return bool(set(prep.groups_of(x)) & set(prep.groups_of(y)) or set(x.hosts) & set(y.hosts))

    days = {prev[a].day for a in broken if a in prev}
    targets = sorted(days) + sorted({d for a in broken for d in prep.domains[a]} - days)
    on = {d.id: {a for a, pl in prev.items() if pl.day == d.id} for d in problem.days}
    out = []
    for d in targets:
        out.append(broken | new | {a for a in on[d] if any(shares(a, b) for b in broken)})
    same_day = {a for a, pl in prev.items() if pl.day in days}
    out.append(broken | new | same_day)
    # Making room on a target day may need to move something of it to a third day.
    for d in targets:
        for e in problem.days:
            if e.id != d:
                out.append(broken | new | same_day | on[d] | on[e.id])
    out.append(broken | new | same_day | {a for a in prev if any(shares(a, b) for b in broken)})
    unique = []
    for n in out:
        if n not in unique:
            unique.append(n)
    return unique


def fixed_copy(ctx, movable: set[int]) -> cp_model.CpModel:
    """A copy of ctx.m where every previous activity outside `movable` keeps its start
    (its `same` literal of the moves term is fixed to true). Variable indices are kept, so
    ctx's variables read the copy's solutions."""
    m = ctx.m.clone()
    for aid, same in ctx.same.items():
        if aid not in movable:
            dom = m.proto.variables[same.Index()].domain  # a Boolean: [0, 1]
            dom[0] = 1
    return m


# ---- the repair on a few days alone (issue 18, "re-plans always answer") --------------------
#
# When the ejections (construct.repair) find no place for a declined activity, what is left
# is a reshuffle of its day or of two days (M-1, stored base: decline 3 moves 5 activities of
# its day, decline 10 twelve over two days). On the whole model each neighbourhood costs its
# build (0.3-0.4 s on M) and a presolve of every fixed activity (0.4 s to prove one day
# infeasible); the same days as a problem of their own (the other days' activities left out)
# build in 0.02-0.05 s, prove a day infeasible in 0.04 s and solve decline 3 to its optimum
# in 0.08 s.

# Share of the time limit (from the solve's start) after which the repair on days stops
# looking for fewer moves once it has a programme, and after which it stops looking for one
# (CP-SAT on the whole model gets the rest).
DAYS_SHARE, DAYS_LAST_SHARE = 0.45, 0.7
# A neighbourhood without any programme after this share of the time limit is left for the
# next one (an infeasible one is usually proven in a few hundredths of a second).
DAYS_FIRST_SHARE = 0.15
# One worker, a light presolve, no linear relaxation: a pair of M's days (19 activities)
# gave its first programme in 0.1-1.0 s, its optimum in 0.4-2.4 s, where the LP's took
# 0.2-3 s to the first (M-2's decline 18: none in 4 s).
LIGHT = {
    "num_workers": 1,
    "symmetry_level": 0,
    "max_presolve_iterations": 1,
    "cp_model_probing_level": 0,
    "linearization_level": 0,
}


def day_sets(
    problem: Problem, prep: Prepared, widths=(1, 2)
) -> tuple[set[int], list[frozenset[int]]]:
    """(the activities that must find a place: broken or new and mandatory; the sets of days
    to repair on, smallest first): each day a broken activity was on or may go to, then each
    of those with one other day (what is in the way moves to a third place, or two
    activities of one audience trade days): sets of each of `widths` days in turn (insert.py
    asks for three days last: what is in the way goes two days further)."""
    prev = prep.prev
    broken, _lb = broken_activities(problem, prep)
    broken |= {a.id for a in problem.activities if a.mandatory and a.id not in prev}
    broken = {a for a in broken if a in prep.act}
    if not broken:
        return broken, []
    own = sorted({prev[a].day for a in broken if a in prev})
    targets = own + sorted({d for a in broken for d in prep.domains[a]} - set(own))
    others = sorted(day.id for day in problem.days)
    out = [
        frozenset({d, *more})
        for width in widths
        for d in targets
        for more in itertools.combinations(others, width - 1)
        if d not in more
    ]
    # Every broken activity needs a day of the set it can take place on.
    out = [s for s in out if all(set(prep.domains[a]) & s for a in broken)]
    return broken, list(dict.fromkeys(out))


def on_days(
    problem: Problem, prep: Prepared, days: frozenset[int], broken: set[int], prev=None
) -> Problem:
    """The re-plan restricted to `days`: the activities the previous version has there and
    the broken ones; every other activity keeps its place and is left out, a precedence with
    one of them becoming a bound (`earliest` after it ends, `latest` before it starts).
    `prev` (activity -> placement): another programme in place of the previous version
    (day_search.py)."""
    prev = prep.prev if prev is None else prev
    keep = {a for a, pl in prev.items() if pl.day in days} | broken
    earliest: dict[int, int] = {}
    latest: dict[int, int] = {}
    for pr in problem.precedences:
        if pr.before in keep and pr.after not in keep and pr.after in prev:
            # `before` ends `min_gap` before `after` starts.
            t = prev[pr.after].start - pr.min_gap
            latest[pr.before] = min(latest.get(pr.before, t), t)
        elif pr.after in keep and pr.before not in keep and pr.before in prev:
            b = prev[pr.before]
            t = b.start + prep.act[pr.before].duration + pr.min_gap
            earliest[pr.after] = max(earliest.get(pr.after, t), t)

    def bounded(a):
        e, lt = earliest.get(a.id), latest.get(a.id)
        if e is None and lt is None:
            return a
        return replace(
            a,
            earliest=e if a.earliest is None or (e is not None and e > a.earliest) else a.earliest,
            latest=lt if a.latest is None or (lt is not None and lt < a.latest) else a.latest,
        )

    return replace(
        problem,
        days=tuple(d for d in problem.days if d.id in days),
        activities=tuple(bounded(a) for a in problem.activities if a.id in keep),
        precedences=tuple(p for p in problem.precedences if p.before in keep and p.after in keep),
        previous=tuple(pl for pl in problem.previous if pl.activity in keep),
        previous_assignments=tuple(x for x in problem.previous_assignments if x.activity in keep),
        locked=frozenset(a for a in problem.locked if a in keep),
    )


class SolutionCount(cp_model.CpSolverSolutionCallback):
    """Counts a set's programmes."""

    def __init__(self):
        super().__init__()
        self.solutions = 0

    def on_solution_callback(self) -> None:
        self.solutions += 1


def solve_within(solver, m, watch, give_up: float, enough: float, stop) -> int:
    """Solve `m`; stopped at `give_up` (perf_counter) if it has no programme by then, at
    `enough` if it has one, or when `stop` is set."""
    done = threading.Event()

    def watcher():
        while not done.wait(0.01):
            now = time.perf_counter()
            if (
                (stop is not None and stop.is_set())
                or (not watch.solutions and now > give_up)
                or (watch.solutions and now > enough)
            ):
                solver.stop_search()
                return

    t = threading.Thread(target=watcher, daemon=True)
    t.start()
    try:
        return solver.solve(m, watch)
    finally:
        done.set()
        t.join()


def repair_on_days(
    problem: Problem,
    prep: Prepared,
    params: Params,
    deadline,
    first: bool = False,
    widths=(1, 2),
    give_up_s: float | None = None,
) -> ProgrammeResult | None:
    """The previous version with the fewest moves CP-SAT finds on one day, then two, as
    problems of their own (`on_days`); the rest of the programme as it was. None if no set
    of days gives a valid programme in time. The first set of days that gives one is kept
    (solved on, to fewer moves, until DAYS_SHARE of the solve's `deadline`); each set
    without a programme is left after DAYS_FIRST_SHARE of the limit, and none is started
    after DAYS_LAST_SHARE (an infeasible pair is seldom proven in that time: the order of
    the sets decides). One set at a time, one worker: two at a time, one worker each, were
    slower on the loaded 2-core machine (M-1's decline 10 of the stored base: no programme
    where one at a time found it in 0.2 s). With `first`, the first programme found is
    kept (insert.py: a place at all, not the fewest moves); `give_up_s` in place of
    DAYS_FIRST_SHARE of the limit."""
    broken, sets = day_sets(problem, prep, widths)
    if not sets:
        return None
    end = min(deadline.at(DAYS_LAST_SHARE), deadline.end)
    enough = 0.0 if first else min(deadline.at(DAYS_SHARE), end)
    zero = Weights(*(0 for _f in fields(Weights)))
    sub_params = replace(params, weights=replace(zero, moves=1), explain=False)
    first_s = DAYS_FIRST_SHARE * params.time_limit_s if give_up_s is None else give_up_s
    for days in sets:
        if end - time.perf_counter() <= 0.02:
            return None
        if params.stop is not None and params.stop.is_set():
            return None
        sub = on_days(problem, prep, days, broken)
        sub_prep = Prepared(sub, sub_params)
        if any(not sub_prep.domains.get(a) for a in broken):
            continue
        ctx = build(sub, sub_params, sub_prep)
        solver = cp_model.CpSolver()
        left = end - time.perf_counter()
        configure(
            solver,
            replace(
                sub_params,
                workers=1,
                time_limit_s=max(left, 0.02),
                cp_sat={**LIGHT, **params.cp_sat},
            ),
        )
        watch = SolutionCount()
        give_up = time.perf_counter() + first_s if not params.deterministic else float("inf")
        code = solve_within(solver, ctx.m, watch, give_up, enough, params.stop)
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        result = _merged(problem, prep, ctx, solver, days, broken)
        if result is not None:  # None: a rule across days broken, the next set may do
            return result
    return None


def _merged(problem, prep, ctx, solver, days, broken) -> ProgrammeResult | None:
    """The sub-problem's programme with the rest of the previous version; None if the whole
    breaks a rule (a rule across days the sub-problem could not see)."""
    from .construct import Regret  # its languages from the interpreters' directions

    inside = {a.id for a in ctx.problem.activities}
    placements = [pl for pl in prep.prev.values() if pl.activity not in inside]
    placements = [pl for pl in placements if pl.day in prep.day]
    assignments = [x for x in problem.previous_assignments if x.activity not in inside]
    for a in ctx.problem.activities:
        if solver.boolean_value(ctx.present[a.id]):
            day = next(d for d, lit in ctx.on_day[a.id].items() if solver.boolean_value(lit))
            placements.append(Placement(a.id, day, solver.value(ctx.start[a.id])))
    for (aid, iid, k), x in ctx.covers.items():
        if solver.boolean_value(x):
            assignments.append(Assignment(aid, iid, covered_direction(ctx, solver, aid, iid, k)))
    seed = ProgrammeResult(
        SolveStatus.FEASIBLE, placements=tuple(placements), assignments=tuple(assignments)
    )
    result = Regret(prep, None, seed).result()
    if validate(problem, result):
        return None
    return result
