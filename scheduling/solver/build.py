"""Assemble the CP-SAT model from the rules and the objective."""

from __future__ import annotations

from ortools.sat.python import cp_model

from .model import Params, Problem
from .objective import add_objective
from .prepare import Prepared
from .rules import ALL_RULES
from .variables import Ctx, build_variables


def build(
    problem: Problem,
    params: Params,
    prep: Prepared | None = None,
    explain: bool = False,
    relaxed: frozenset = frozenset(),
    objective: bool = True,
    deadline=None,
) -> Ctx:
    """The model; with a deadline.Deadline, raises deadline.OutOfTime when it passes
    (checked between rules and inside their long loops)."""
    ctx = Ctx(
        problem=problem,
        params=params,
        prep=prep or Prepared(problem, params),
        m=cp_model.CpModel(),
        explain=explain,
        relaxed=relaxed,
        objective=objective and not explain,
        deadline=deadline,
    )
    ctx.tick()
    build_variables(ctx)
    for add_rule in ALL_RULES:
        ctx.tick()
        add_rule(ctx)
    ctx.tick()
    if not explain:
        add_objective(ctx, minimize=objective)
        add_hints(ctx)
    ctx.tick()
    return ctx


def add_hints(ctx: Ctx) -> None:
    """The previous version as a hint: CP-SAT keeps no state between solves, and a re-plan
    after one decline is usually a small repair of it."""
    for aid, prev in ctx.prep.prev.items():
        if aid not in ctx.present or not ctx.on_day[aid]:
            continue  # no possible start: its start is a shared constant
        ctx.m.add_hint(ctx.present[aid], True)
        if not isinstance(ctx.start[aid], cp_model.IntVar):
            continue
        ctx.m.add_hint(ctx.start[aid], prev.start)
        for did, lit in ctx.on_day[aid].items():
            ctx.m.add_hint(lit, did == prev.day)
    prev_assign = {(a.activity, a.interpreter) for a in ctx.problem.previous_assignments}
    if prev_assign:
        for key, y in ctx.assigned.items():
            ctx.m.add_hint(y, key in prev_assign)
