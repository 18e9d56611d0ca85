"""Hosts: present only inside their availability (minus busy time) and never double-booked."""

from __future__ import annotations

from ..variables import Ctx, enforce, ranges_domain, ranges_within


def window_choice(ctx: Ctx, aid: int, ranges, active, name: str):
    """Literals choosing one of `ranges` for the start of `aid` when all of `active` hold.
    Returns the list of (literal, range); an empty list means no range fits."""
    m = ctx.m
    if len(ranges) == 1:
        lo, hi = ranges[0]
        enforce(m.add(ctx.start[aid] >= lo), *active)
        enforce(m.add(ctx.start[aid] <= hi), *active)
        return [(None, ranges[0])]
    out = []
    for k, (lo, hi) in enumerate(ranges):
        c = m.new_bool_var(f"{name}_{k}")
        m.add(ctx.start[aid] >= lo).only_enforce_if(c)
        m.add(ctx.start[aid] <= hi).only_enforce_if(c)
        out.append((c, (lo, hi)))
    enforce(m.add_bool_or([c for c, _ in out]), *active)
    return out


def add_host_window(ctx: Ctx) -> None:
    """A placed activity lies inside the windows (minus busy time) of each of its hosts.

    Outside explain mode the start domain is already cut to them (prepare.Prepared.domains,
    what makes the model fast); the constraint is stated all the same, as one "start in
    these ranges" per host, which presolve drops when the domain implies it. In explain mode
    one literal per window range, under the rule's guard. (The `preferred` term: objective.py.)
    """
    prep, m = ctx.prep, ctx.m
    for a in ctx.problem.activities:
        p = ctx.present[a.id]
        for hid in a.hosts:
            ranges = prep.window_ranges(prep.host_windows(hid), a.duration)
            if ctx.explain:
                g = ctx.guard("host_window", {"activity": (a.id,), "host": (hid,)})
                r = ranges_within(ctx, a.id, ranges)
                if not r:
                    enforce(m.add(p == 0), g)
                else:
                    window_choice(ctx, a.id, r, [p, g], f"hw{a.id}_{hid}")
            elif not ranges:
                m.add(p == 0)
            else:
                m.add_linear_expression_in_domain(
                    ctx.start[a.id], ranges_domain(ranges)
                ).only_enforce_if(p)


def add_host_overlap(ctx: Ctx) -> None:
    by_host: dict[int, list[int]] = {}
    for a in ctx.problem.activities:
        for hid in a.hosts:
            by_host.setdefault(hid, []).append(a.id)
    for hid, aids in by_host.items():
        if len(aids) < 2:
            continue
        g = ctx.guard("host_overlap", {"host": (hid,)})
        if g is None:
            ctx.m.add_no_overlap([ctx.interval[a] for a in aids])
            continue
        ivs = []
        for aid in aids:
            q = ctx.m.new_bool_var(f"hq{aid}_{hid}")
            ctx.m.add_bool_and([ctx.present[aid], g]).only_enforce_if(q)
            ctx.m.add_bool_or([q, ctx.present[aid].Not(), g.Not()])
            ivs.append(
                ctx.m.new_optional_fixed_size_interval_var(
                    ctx.start[aid], ctx.prep.act[aid].duration, q, f"hi{aid}_{hid}"
                )
            )
        ctx.m.add_no_overlap(ivs)
