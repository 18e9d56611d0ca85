"""Interpreters: needs covered in team strength, availability, no double booking (with travel
between venues and from/to their home), daily cap."""

from __future__ import annotations

import itertools

from ..variables import Ctx, by_day, enforce, may_work, ranges_within, reach, sweep_pairs
from .hosts import window_choice
from .languages import add_language_choice


def add_interpretation(ctx: Ctx) -> None:
    """Creates the assignment literals and the coverage/team rules.

    simultaneous/whispered: each need (one booth per target) gets `team` interpreters; an
    interpreter serves one need per activity. consecutive: the team (`team` interpreters, +1
    per language beyond two) is shared and renders every need an assigned member is qualified
    for; each need must be covered by at least one member."""
    for k, a in enumerate(ctx.problem.activities):
        if k % 256 == 0:
            ctx.tick()
        if ctx.prep.has_choice(a):
            add_language_choice(ctx, a)
        else:
            _add_fixed_needs(ctx, a)
    _order_interchangeable(ctx)


def _add_fixed_needs(ctx: Ctx, a) -> None:
    """An activity whose languages are no choice: its needs are known (Prepared.needs)."""
    m, prep = ctx.m, ctx.prep
    needs = prep.needs(a)
    if not needs:
        return
    p = ctx.present[a.id]
    team = prep.team(a)
    consecutive = a.interpretation_mode == "consecutive"
    per_interp: dict[int, list] = {}
    cover_g = ctx.guard("interpretation", {"activity": (a.id,)})
    team_g = ctx.guard(
        "team_strength",
        {"activity": (a.id,)},
        {
            "team": team,
            "mode": a.interpretation_mode,
            "duration": a.duration,
            "policy": ctx.problem.interpretation.policy,
        },
    )
    too_many = a.interpretation_mode == "whispered" and any(
        prep.listeners(a, n.language) > prep.whisper_max for n in needs if n.kind == "into"
    )
    if too_many:  # whispering cannot serve that many listeners
        enforce(m.add(p == 0), cover_g)
    if team is None:  # longer than any team may work: cannot take place
        enforce(m.add(p == 0), cover_g, team_g)
        team = 1
    for k, need in enumerate(needs):
        lits = []
        for iid in prep.qualified(a, need):
            if not may_work(ctx, a, iid):
                continue
            if (a.id, iid) not in ctx.assigned:
                ctx.assigned[a.id, iid] = m.new_bool_var(f"y{a.id}_{iid}")
                m.add_implication(ctx.assigned[a.id, iid], p)
            y = ctx.assigned[a.id, iid]
            x = y if consecutive else m.new_bool_var(f"x{a.id}_{iid}_{k}")
            ctx.covers[a.id, iid, k] = x
            per_interp.setdefault(iid, []).append(x)
            lits.append(x)
        enforce(m.add(sum(lits) >= p), cover_g)
        if not consecutive:
            enforce(m.add(sum(lits) >= team * p), cover_g, team_g)
    if consecutive:
        ys = [ctx.assigned[a.id, i] for i in per_interp]
        enforce(m.add(sum(ys) >= team * p), cover_g, team_g)
    else:
        for iid, xs in per_interp.items():
            m.add(sum(xs) == ctx.assigned[a.id, iid])


def interpreter_loads(ctx: Ctx) -> dict[int, object]:
    """interpreter -> their assigned minutes (a linear expression), for interpreters with a
    candidate activity."""
    by_interp: dict[int, list] = {}
    for (aid, iid), y in ctx.assigned.items():  # one pass, not one per interpreter
        by_interp.setdefault(iid, []).append((aid, y))
    out = {}
    for i in ctx.problem.interpreters:
        ys = by_interp.get(i.id)
        if ys:
            out[i.id] = sum(ctx.prep.act[aid].duration * y for aid, y in ys)
    return out


def _order_interchangeable(ctx: Ctx) -> None:
    """Interchangeable interpreters (same qualifications and availability): order their loads
    to cut symmetric solutions; the spread term is permutation-invariant. Skipped when
    re-planning (previous assignments name specific interpreters) and when explaining
    (per-interpreter guards make them distinguishable)."""
    if ctx.problem.previous_assignments or ctx.explain:
        return
    by_sig: dict = {}
    loads = interpreter_loads(ctx)
    for i in ctx.problem.interpreters:
        if i.id in loads:
            sig = (i.directions, i.modes, i.windows, i.busy, i.daily_cap, i.home_venue)
            by_sig.setdefault(sig, []).append(loads[i.id])
    for same in by_sig.values():
        for hi, lo in itertools.pairwise(same):
            ctx.m.add(hi >= lo)


def _by_interpreter(ctx: Ctx) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for aid, iid in ctx.assigned:
        out.setdefault(iid, []).append(aid)
    return out


def add_interpreter_window(ctx: Ctx) -> None:
    prep = ctx.prep
    for iid, aids in _by_interpreter(ctx).items():
        wins = prep.interp_windows(iid)
        for aid in aids:
            y = ctx.assigned[aid, iid]
            a = prep.act[aid]
            g = ctx.guard("interpreter_window", {"activity": (aid,), "interpreter": (iid,)})
            r = ranges_within(ctx, aid, prep.window_ranges(wins, a.duration))
            all_r = [x for rs in ctx.ranges[aid].values() for x in rs]
            if r == sorted(all_r):
                continue  # every possible start is inside the windows
            if not r:
                enforce(ctx.m.add(y == 0), g)
            else:
                window_choice(ctx, aid, r, [y, g], f"iw{aid}_{iid}")


def add_interpreter_overlap(ctx: Ctx) -> None:
    m, prep = ctx.m, ctx.prep
    for iid, aids in _by_interpreter(ctx).items():
        ctx.tick()
        g = ctx.guard("interpreter_overlap", {"interpreter": (iid,)})
        home = prep.interp[iid].home_venue
        ivs = []
        for aid in aids:
            a = prep.act[aid]
            y = ctx.assigned[aid, iid]
            if g is None:
                q = y
            else:
                q = m.new_bool_var(f"iq{aid}_{iid}")
                m.add_bool_and([y, g]).only_enforce_if(q)
                m.add_bool_or([q, y.Not(), g.Not()])
            ivs.append(m.new_optional_fixed_size_interval_var(ctx.start[aid], a.duration, q, ""))
            if home is not None:
                for did, lit in ctx.on_day[aid].items():
                    d = prep.day[did]
                    enforce(m.add(ctx.start[aid] >= d.start + prep.t(home, a.venue)), q, lit)
                    enforce(m.add(ctx.end[aid] + prep.t(a.venue, home) <= d.end), q, lit)
        m.add_no_overlap(ivs)
        # Travel between different venues on the same day: pairwise (interpreters have few
        # candidate activities compared with groups, and no travel cost to optimise), for
        # the pairs whose start ranges meet on a day both may take (meeting_pairs).
        for a, b in meeting_pairs(ctx, aids, lambda a: prep.max_travel_from(prep.act[a].venue)):
            va, vb = prep.act[a].venue, prep.act[b].venue
            tab, tba = prep.t(va, vb), prep.t(vb, va)
            if tab == 0 and tba == 0:
                continue
            ctx.pairs += 1
            o = m.new_bool_var("")
            ya, yb = ctx.assigned[a, iid], ctx.assigned[b, iid]
            enforce(m.add(ctx.end[a] + tab <= ctx.start[b]), o, ya, yb, g)
            enforce(m.add(ctx.end[b] + tba <= ctx.start[a]), o.Not(), ya, yb, g)


def meeting_pairs(ctx: Ctx, aids: list[int], gap_after):
    """The pairs of `aids` that may take place on a common day with start ranges that meet
    there (each stretched by its duration and `gap_after(aid)` minutes), each pair once,
    found by a sweep per day (variables.sweep_pairs). Two activities that share no day, or
    whose ranges on each shared day keep them apart by more than the gap, are ordered by
    their domains alone: no pair structure is needed for them."""
    by_day: dict[int, list] = {}
    for a in aids:
        gap = gap_after(a)
        for did, rs in ctx.ranges[a].items():
            by_day.setdefault(did, []).append((*reach(ctx, a, rs, gap), a))
    seen: set = set()
    for did in sorted(by_day):
        ctx.tick()
        for n, (a, b) in enumerate(sweep_pairs(by_day[did])):
            if n % 4096 == 4095:
                ctx.tick()
            key = (a, b) if a < b else (b, a)
            if key not in seen:
                seen.add(key)
                yield key


def add_daily_cap(ctx: Ctx) -> None:
    m, prep = ctx.m, ctx.prep
    for iid, aids in _by_interpreter(ctx).items():
        cap = prep.daily_cap(iid)
        days = by_day(ctx, aids)
        for d in ctx.problem.days:
            day_aids = days.get(d.id, [])
            minutes = {a: prep.interpreted(prep.act[a], d.id) for a in day_aids}
            if sum(minutes.values()) <= cap:
                continue
            g = ctx.guard("daily_cap", {"interpreter": (iid,), "day": (d.id,)}, {"cap": cap})
            terms = []
            for a in day_aids:
                w = m.new_bool_var(f"w{a}_{iid}_{d.id}")
                m.add_bool_or([w, ctx.assigned[a, iid].Not(), ctx.on_day[a][d.id].Not()])
                terms.append(minutes[a] * w)
            enforce(m.add(sum(terms) <= cap), g)
