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

from ortools.sat.python import cp_model

from .model import Problem, ProgrammeResult, SolveStatus
from .prepare import Prepared
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
