"""Re-planning neighbourhoods: which activities may move first.

A decline breaks a few rules of the previous version; everything else can usually stay.
Solving with the rest fixed is tiny and fast, and gives a programme with few moves that the
full solve starts from (CP-SAT alone tends to drop an infeasible hint and start afresh).
"""

from __future__ import annotations

from .model import Problem, ProgrammeResult
from .prepare import Prepared
from .validate import validate


def neighbourhoods(problem: Problem, prep: Prepared) -> list[set[int]]:
    """Growing sets of movable activities; the last one before 'everything'."""
    prev = {pl.activity: pl for pl in problem.previous if pl.activity in prep.act}
    if not prev:
        return []
    broken = set()
    result = ProgrammeResult(
        "feasible", placements=tuple(prev.values()), assignments=problem.previous_assignments
    )
    for v in validate(problem, result):
        broken |= set(v.entities.get("activity", ()))
    new = {a.id for a in problem.activities if a.id not in prev}
    broken |= new & {a.id for a in problem.activities if a.mandatory}
    if not broken:
        return []

    def shares(a, b) -> bool:
        x, y = prep.act[a], prep.act[b]
        return bool(set(prep.groups_of(x)) & set(prep.groups_of(y)) or set(x.hosts) & set(y.hosts))

    days = {prev[a].day for a in broken if a in prev}
    same_day = {a for a, pl in prev.items() if pl.day in days}
    n1 = broken | new | {a for a in same_day if any(shares(a, b) for b in broken)}
    n2 = n1 | same_day
    n3 = n2 | {a for a in prev if any(shares(a, b) for b in broken)}
    out = []
    for n in (n1, n2, n3):
        if not out or n != out[-1]:
            out.append(n)
    return out


def fix_outside(ctx, movable: set[int]) -> None:
    for aid, pl in ctx.prep.prev.items():
        if aid in movable or aid not in ctx.present or pl.day not in ctx.on_day[aid]:
            continue
        ctx.m.add(ctx.present[aid] == 1)
        ctx.m.add(ctx.on_day[aid][pl.day] == 1)
        ctx.m.add(ctx.start[aid] == pl.start)
