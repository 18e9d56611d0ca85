"""Where an activity may sit in the visit as a whole: inside its groups' presence, and the
welcome first / the closing last."""

from __future__ import annotations

from ..variables import Ctx, enforce


def add_presence(ctx: Ctx) -> None:
    """Every activity lies inside the presence of each of its groups (from the end of the
    arrival transfer to the start of the departure one). Outside explain mode the start
    domain is already cut to it (prepare.Prepared.base_ranges); presolve drops these then."""
    for a in ctx.problem.activities:
        for gid in ctx.prep.groups_of(a):
            g = ctx.prep.group.get(gid)
            if g is None or g.presence is None or not ctx.on_day[a.id]:
                continue
            arrives, leaves = g.presence
            guard = ctx.guard(
                "presence",
                {"activity": (a.id,), "group": (gid,)},
                {"arrives": arrives, "leaves": leaves},
            )
            p = ctx.present[a.id]
            enforce(ctx.m.add(ctx.start[a.id] >= arrives), p, guard)
            enforce(ctx.m.add(ctx.end[a.id] <= leaves), p, guard)


def add_place_in_visit(ctx: Ctx) -> None:
    """A 'first' activity ends before any other activity of the visit starts; a 'last' one
    starts after every other has ended. One bound variable per side keeps it linear: the
    latest end of the 'first' ones, the earliest start of the 'last' ones."""
    acts = ctx.problem.activities
    firsts = [a.id for a in acts if a.place_in_visit == "first"]
    lasts = [a.id for a in acts if a.place_in_visit == "last"]
    if not firsts and not lasts:
        return
    m = ctx.m
    lo = min((d.start for d in ctx.problem.days), default=0)
    hi = max((d.end for d in ctx.problem.days), default=0)
    if firsts:
        bound = m.new_int_var(lo, hi, "first_end")
        for aid in firsts:
            g = ctx.guard("place_in_visit", {"activity": (aid,)}, {"place": "first"})
            enforce(m.add(bound >= ctx.end[aid]), ctx.present[aid], g)
        for a in acts:
            if a.place_in_visit != "first":
                enforce(m.add(ctx.start[a.id] >= bound), ctx.present[a.id])
    if lasts:
        bound = m.new_int_var(lo, hi, "last_start")
        for aid in lasts:
            g = ctx.guard("place_in_visit", {"activity": (aid,)}, {"place": "last"})
            enforce(m.add(bound <= ctx.start[aid]), ctx.present[aid], g)
        for a in acts:
            if a.place_in_visit != "last":
                enforce(m.add(ctx.end[a.id] <= bound), ctx.present[a.id])
