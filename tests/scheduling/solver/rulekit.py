"""One rule at a time, as the cpsat-primer tests a constraint family: the model's variables
(variables.build_variables) and the rules asked for, nothing else (no objective, no other
rule, no solve_programme); CP-SAT says whether given starts and assignments are allowed."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduling.solver.prepare import Prepared
from scheduling.solver.variables import Ctx, build_variables

from .factories import PARAMS


def model(p, *rules, loose: bool = False, domains=None, params=PARAMS) -> Ctx:
    """The variables of `p` and `rules`. `loose`: start domains cut by the day windows and
    the grid only, so that a rule the domains would otherwise imply has to hold by its own
    constraint; `domains` (activity -> day -> ranges): those domains instead."""
    prep = Prepared(p, params)
    if loose:
        domains = {
            a.id: {d.id: r for d in p.days if (r := prep.base_ranges(a, d.id, pin=False))}
            for a in p.activities
        }
    if domains is not None:
        prep.__dict__["domains"] = domains  # instead of the cached property
    ctx = Ctx(problem=p, params=params, prep=prep, m=cp_model.CpModel())
    build_variables(ctx)
    for rule in rules:
        rule(ctx)
    return ctx


def feasible(ctx: Ctx, starts=None, absent=(), team=()) -> bool:
    """Whether the model holds with these activities placed at these starts, these left
    out, and these (activity, interpreter) assignments made."""
    m = ctx.m
    for aid, s in (starts or {}).items():
        m.add(ctx.present[aid] == 1)
        m.add(ctx.start[aid] == s)
    for aid in absent:
        m.add(ctx.present[aid] == 0)
    for key in team:
        m.add(ctx.assigned[key] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    return solver.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
