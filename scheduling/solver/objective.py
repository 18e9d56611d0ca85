"""Soft goals, one term each; the objective is their weighted sum (value counts negatively).

Terms (all integers, reported separately in ProgrammeResult.terms):
  moves               activities whose start changed (or that vanished) vs `previous`
  value               total value of optional activities placed (maximised)
  preferred           (activity, host) pairs outside the host's preferred windows, for hosts
                      who stated preferences
  travel              group travel minutes (every group, lodging legs included; circuit only)
  late                minutes the day's last activity ends after the day's `soft_end`
  balance             busiest day minus quietest day, in scheduled activity minutes
  interpreter_spread  most loaded interpreter minus least loaded, in interpreted minutes
  interpretations     languages interpreted into beyond the fewest each activity could need
                      (activities whose languages are a choice)
  language            members not listening in their preferred language, per activity
"""

from __future__ import annotations

from .variables import Ctx

TERMS = (
    "moves",
    "value",
    "preferred",
    "travel",
    "late",
    "balance",
    "interpreter_spread",
    "interpretations",
    "language",
)


def add_moves(ctx: Ctx) -> None:
    m, moved = ctx.m, []
    for aid, prev in ctx.prep.prev.items():
        if aid not in ctx.present:
            continue
        same = m.new_bool_var(f"same{aid}")
        m.add_implication(same, ctx.present[aid])
        m.add(ctx.start[aid] == prev.start).only_enforce_if(same)
        ctx.same[aid] = same
        moved.append(1 - same)
    ctx.terms["moves"] = sum(moved)


def add_value(ctx: Ctx) -> None:
    ctx.terms["value"] = sum(
        a.value * ctx.present[a.id] for a in ctx.problem.activities if not a.mandatory and a.value
    )


def add_late(ctx: Ctx) -> None:
    m, late = ctx.m, []
    for d in ctx.problem.days:
        if d.soft_end is None:
            continue
        over = m.new_int_var(0, max(0, d.end - d.soft_end), f"late{d.id}")
        for a in ctx.problem.activities:
            lit = ctx.on_day[a.id].get(d.id)
            if lit is not None:
                m.add(over >= ctx.end[a.id] - d.soft_end).only_enforce_if(lit)
        late.append(over)
    ctx.terms["late"] = sum(late)


def add_balance(ctx: Ctx) -> None:
    m = ctx.m
    loads = [
        sum(
            a.duration * ctx.on_day[a.id][d.id]
            for a in ctx.problem.activities
            if d.id in ctx.on_day[a.id]
        )
        for d in ctx.problem.days
    ]
    if len(loads) < 2:
        ctx.terms["balance"] = 0
        return
    horizon = sum(a.duration for a in ctx.problem.activities)
    hi, lo = m.new_int_var(0, horizon, "day_max"), m.new_int_var(0, horizon, "day_min")
    m.add_max_equality(hi, loads)
    m.add_min_equality(lo, loads)
    ctx.terms["balance"] = hi - lo


def weighted(ctx: Ctx, travel: bool = True):
    w, t = ctx.params.weights, ctx.terms
    expr = (
        w.moves * t["moves"]
        - w.value * t["value"]
        + w.preferred * t["preferred"]
        + w.late * t["late"]
        + w.balance * t["balance"]
        + w.interpreter_spread * t["interpreter_spread"]
        + w.interpretations * t["interpretations"]
        + w.language * t["language"]
    )
    return expr + w.travel * t["travel"] if travel else expr


def add_objective(ctx: Ctx, minimize: bool = True) -> None:
    add_moves(ctx)
    add_value(ctx)
    add_late(ctx)
    add_balance(ctx)
    if minimize:
        ctx.m.minimize(weighted(ctx))
