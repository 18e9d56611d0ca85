"""Rules about one activity's existence and time, and orderings between activities."""

from __future__ import annotations

import itertools

from ..variables import Ctx, enforce


def add_mandatory(ctx: Ctx) -> None:
    # "at most once" holds by construction: one start variable per activity.
    for a in ctx.problem.activities:
        if a.mandatory and ctx.on_day[a.id]:
            g = ctx.guard("mandatory", {"activity": (a.id,)})
            enforce(ctx.m.add(ctx.present[a.id] == 1), g)


def add_day_window(ctx: Ctx) -> None:
    """An activity placed on a day starts and ends inside it. The on-day literals of
    build_variables bound the start to that day's start ranges, which lie inside the day
    (prepare.Prepared.domains); presolve drops these then."""
    for a in ctx.problem.activities:
        for did, lit in ctx.on_day[a.id].items():
            d = ctx.prep.day[did]
            ctx.m.add(ctx.start[a.id] >= d.start).only_enforce_if(lit)
            ctx.m.add(ctx.end[a.id] <= d.end).only_enforce_if(lit)


def add_time_window(ctx: Ctx) -> None:
    """A placed activity starts at or after `earliest` and ends by `latest`. Outside explain
    mode the start domain is already cut to them (prepare.Prepared.base_ranges); presolve
    drops these then."""
    for a in ctx.problem.activities:
        if a.earliest is None and a.latest is None:
            continue
        g = ctx.guard(
            "time_window",
            {"activity": (a.id,)},
            {"earliest": a.earliest, "latest": a.latest, "duration": a.duration},
        )
        p = ctx.present[a.id]
        if a.earliest is not None:
            enforce(ctx.m.add(ctx.start[a.id] >= a.earliest), p, g)
        if a.latest is not None:
            enforce(ctx.m.add(ctx.end[a.id] <= a.latest), p, g)


def _pin(ctx: Ctx, aid: int, at: int, rule: str) -> None:
    g = ctx.guard(rule, {"activity": (aid,)}, {"start": at})
    enforce(ctx.m.add(ctx.start[aid] == at), ctx.present[aid], g)


def add_fixed_start(ctx: Ctx) -> None:
    for a in ctx.problem.activities:
        if a.fixed_start is not None and ctx.on_day[a.id]:
            _pin(ctx, a.id, a.fixed_start, "fixed_start")


def add_locked(ctx: Ctx) -> None:
    """Locked (confirmed) activities keep their previous start and stay in the programme."""
    for aid in sorted(ctx.problem.locked):
        prev = ctx.prep.prev.get(aid)
        if prev is None or aid not in ctx.present or not ctx.on_day[aid]:
            continue
        g = ctx.guard("locked", {"activity": (aid,)}, {"start": prev.start})
        enforce(ctx.m.add(ctx.present[aid] == 1), g)
        enforce(ctx.m.add(ctx.start[aid] == prev.start), g)


def add_phase(ctx: Ctx) -> None:
    """Per group, every activity of phase k ends before any activity of a later phase starts.
    A chain of 'phase end' variables keeps this linear in the number of activities."""
    m, prep = ctx.m, ctx.prep
    horizon = max(d.end for d in ctx.problem.days)
    for g in ctx.problem.groups:
        by_phase: dict[int, list[int]] = {}
        for a in ctx.problem.activities:
            if a.phase is not None and g.id in prep.groups_of(a):
                by_phase.setdefault(a.phase, []).append(a.id)
        phases = sorted(by_phase)
        prev_end = None
        for k, nxt in itertools.pairwise(phases):
            guard = ctx.guard("phase", {"group": (g.id,)}, {"phase": k, "next_phase": nxt})
            e = m.new_int_var(0, horizon, f"phase_end_{g.id}_{k}")
            for aid in by_phase[k]:
                enforce(m.add(e >= ctx.end[aid]), ctx.present[aid], guard)
            if prev_end is not None:
                enforce(m.add(e >= prev_end), guard)
            for bid in by_phase[nxt]:
                enforce(m.add(ctx.start[bid] >= e), ctx.present[bid], guard)
            prev_end = e


def add_precedence(ctx: Ctx) -> None:
    for k, pr in enumerate(ctx.problem.precedences):
        if pr.before not in ctx.present or pr.after not in ctx.present:
            continue
        g = ctx.guard(
            "precedence", {"activity": (pr.before, pr.after)}, {"min_gap": pr.min_gap, "index": k}
        )
        enforce(
            ctx.m.add(ctx.start[pr.after] >= ctx.end[pr.before] + pr.min_gap),
            ctx.present[pr.before],
            ctx.present[pr.after],
            g,
        )
