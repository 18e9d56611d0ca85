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

The rules (rules/) state the hard constraints and expose what the terms are read from on
the context: the circuits' travel per group and day (`ctx.day_travel`), the assignment
literals (`ctx.assigned`) and the language choices (`ctx.choices`). The terms, their
weights and the sum are here only.
"""

from __future__ import annotations

from .rules.hosts import window_choice
from .rules.interpreters import interpreter_loads
from .variables import Ctx, ranges_within


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


def add_preferred(ctx: Ctx) -> None:
    """One "outside the preferred windows" literal per (activity, host) for hosts who stated
    preferences."""
    prep, m, misses = ctx.prep, ctx.m, []
    for a in ctx.problem.activities:
        p = ctx.present[a.id]
        for hid in a.hosts:
            if not any(w.preferred for w in prep.host.get(hid).windows):
                continue
            pref = prep.host_preferred(hid)
            r = ranges_within(ctx, a.id, prep.window_ranges(pref, a.duration))
            miss = m.new_bool_var(f"miss{a.id}_{hid}")
            if r:
                inside = m.new_bool_var(f"pref{a.id}_{hid}")
                window_choice(ctx, a.id, r, [inside], f"pw{a.id}_{hid}")
                m.add(inside + miss >= p)
            else:
                m.add(miss >= p)
            misses.append(miss)
    ctx.terms["preferred"] = sum(misses)


def add_travel(ctx: Ctx) -> None:
    """The circuits' travel minutes (rules/groups.py; none with the pairwise encoding)."""
    ctx.terms["travel"] = sum(ctx.day_travel.values())


def add_interpreter_spread(ctx: Ctx) -> None:
    loads = list(interpreter_loads(ctx).values())
    if len(loads) < 2:
        ctx.terms["interpreter_spread"] = 0
        return
    m = ctx.m
    horizon = sum(a.duration for a in ctx.problem.activities)
    hi, lo = m.new_int_var(0, horizon, "load_max"), m.new_int_var(0, horizon, "load_min")
    m.add_max_equality(hi, loads)
    m.add_min_equality(lo, loads)
    ctx.terms["interpreter_spread"] = hi - lo


def add_language_terms(ctx: Ctx) -> None:
    """For activities whose languages are a choice (rules/languages.py): languages rendered
    beyond the fewest the activity could need, and members off their preferred language."""
    extra, missed = 0, 0
    for aid, cv in ctx.choices.items():
        a, p = ctx.prep.act[aid], ctx.present[aid]
        extra += sum(cv.targets.values()) - ctx.prep.fewest_targets(a) * p
        for pf, lits in zip(ctx.prep.profiles(a), cv.listening, strict=True):
            if pf.preferred and len(lits) > 1:
                missed += pf.count * (p - lits[pf.preferred])
    ctx.terms["interpretations"], ctx.terms["language"] = extra, missed


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
    """Every term on ctx.terms; with `minimize`, their weighted sum as the objective."""
    add_preferred(ctx)
    add_travel(ctx)
    add_interpreter_spread(ctx)
    add_language_terms(ctx)
    add_moves(ctx)
    add_value(ctx)
    add_late(ctx)
    add_balance(ctx)
    if minimize:
        ctx.m.minimize(weighted(ctx))
