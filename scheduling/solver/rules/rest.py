"""Liaison interpreting: after a long stint, a break before the interpreter's next activity."""

from __future__ import annotations

from ..variables import Ctx, enforce
from .interpreters import meeting_pairs


def add_interpreter_rest(ctx: Ctx) -> None:
    """For each interpreter and two of their candidate activities that may share a day, one
    order literal: whichever comes first, the second starts at least its break (and the
    travel) after the first ends. Only pairs where a break is due are constrained; the
    no-overlap and travel of add_interpreter_overlap cover the others."""
    m, prep = ctx.m, ctx.prep
    by_interp: dict[int, list[int]] = {}
    for aid, iid in ctx.assigned:
        by_interp.setdefault(iid, []).append(aid)
    for iid, aids in by_interp.items():
        rest = {aid: prep.rest_after(prep.act[aid]) for aid in aids}
        if not any(rest.values()):
            continue
        policy = ctx.problem.interpretation
        g = ctx.guard(
            "interpreter_rest",
            {"interpreter": (iid,)},
            {"rest": policy.min_break, "stint": policy.long_stint},
        )
        ctx.tick()

        def gap(a, rest=rest):
            return max(rest[a], prep.max_travel_from(prep.act[a].venue))

        # Only pairs whose start ranges meet on a common day (meeting_pairs): the others
        # are kept apart, break included, by their domains.
        for a, b in meeting_pairs(ctx, aids, gap):
            if not rest[a] and not rest[b]:
                continue
            va, vb = prep.act[a].venue, prep.act[b].venue
            gap_ab, gap_ba = max(rest[a], prep.t(va, vb)), max(rest[b], prep.t(vb, va))
            ctx.pairs += 1
            o = m.new_bool_var("")
            ya, yb = ctx.assigned[a, iid], ctx.assigned[b, iid]
            enforce(m.add(ctx.end[a] + gap_ab <= ctx.start[b]), o, ya, yb, g)
            enforce(m.add(ctx.end[b] + gap_ba <= ctx.start[a]), o.Not(), ya, yb, g)
