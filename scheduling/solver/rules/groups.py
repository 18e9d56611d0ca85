"""Each group is in one place at a time, with travel between consecutive venues and from/to
its lodging; it gets its lunch break; exclusive venues hold one activity at a time.

The lodging is per day (Group.lodging_on: `lodging_by_day`, else `lodging_venue`): a tour
sleeps somewhere else each night, and each day's circuit has that night's lodging as depot.

Sequencing with travel: two encodings, chosen by `Params.sequencing`.
- 'circuit' (default): per group and day, an `add_circuit` over the activities that may fall
  on that day, the lodging being the depot. Arc literals give the order, so the travel term is
  exact. Measured on the M family (benchmarks/solver/run.py): see docs/problem-format.md.
- 'pairwise': an order literal per pair that may share a day; the travel *cost* is then not
  modelled (reported post-hoc), only feasibility.
Travel times are shortest paths (prepare.Prepared.dist), so the lodging legs may be imposed
on every activity of the day (triangle inequality) as redundant cuts.
"""

from __future__ import annotations

from ..variables import Ctx, by_day, enforce, reach, span, sweep_pairs


def acts_of_group(ctx: Ctx, gid: int) -> list[int]:
    return ctx.prep.acts_by_group.get(gid, [])


def add_group_travel(ctx: Ctx) -> None:
    m, prep = ctx.m, ctx.prep
    for g in ctx.problem.groups:
        ctx.tick()
        aids = acts_of_group(ctx, g.id)
        guard = ctx.guard("group_travel", {"group": (g.id,)})
        # No overlap (hard, not relaxable: a group cannot be in two places). Lunch intervals
        # are separate (add_lunch) since meals may overlap them.
        m.add_no_overlap([ctx.interval[a] for a in aids])
        days = by_day(ctx, aids)
        for d in ctx.problem.days:
            day_aids = days.get(d.id, [])
            if not day_aids:
                continue
            lodge = g.lodging_on(d.id)  # the day's depot (Group.lodging_by_day)
            if lodge is not None:
                for a in day_aids:
                    v = prep.act[a].venue
                    lit = ctx.on_day[a][d.id]
                    enforce(m.add(ctx.start[a] >= d.start + prep.t(lodge, v)), lit, guard)
                    enforce(m.add(ctx.end[a] + prep.t(v, lodge) <= d.end), lit, guard)
            venues = {prep.act[a].venue for a in day_aids} | ({lodge} - {None})
            if all(prep.t(u, v) == 0 for u in venues for v in venues):
                continue  # no travel that day: the no-overlap above is all it takes
            if ctx.params.sequencing in ("pairwise", "both"):
                _pairwise(ctx, day_aids, d.id, guard)
            if ctx.params.sequencing in ("circuit", "both"):
                _circuit(ctx, g.id, lodge, day_aids, d, guard)


def _pairwise(ctx: Ctx, aids: list[int], did: int, guard) -> None:
    """An order literal per pair that may share the day, unless the start ranges decide:
    a pair that fits in neither order cannot share the day, one that fits in one order only
    gets that order, and one whose ranges keep it apart with the travel needs nothing.
    On TOPTW pr05 (240 sites, narrow windows) this removed most of the 116 000 literals.
    Only the pairs whose ranges meet are looked at (variables.sweep_pairs: the others
    need nothing), so the work grows with those pairs, not with all n^2/2 (issue 18: 10,000
    activities ran out of memory here)."""
    m, prep = ctx.m, ctx.prep
    spans = {a: span(ctx.ranges[a][did]) for a in aids}
    items = [
        (*reach(ctx, a, ctx.ranges[a][did], prep.max_travel_from(prep.act[a].venue)), a)
        for a in aids
    ]
    for n, (a, b) in enumerate(sweep_pairs(items)):
        if n % 4096 == 0:
            ctx.tick()
        if (min(a, b), max(a, b), did) in ctx.pair_done:
            continue
        ctx.pair_done.add((min(a, b), max(a, b), did))
        x, y = prep.act[a], prep.act[b]
        tab, tba = prep.t(x.venue, y.venue), prep.t(y.venue, x.venue)
        if tab == 0 and tba == 0:
            continue  # the group's no-overlap already orders them
        (lo_a, hi_a), (lo_b, hi_b) = spans[a], spans[b]
        ab = lo_a + x.duration + tab <= hi_b  # a then b is possible
        ba = lo_b + y.duration + tba <= hi_a
        la, lb = ctx.on_day[a][did], ctx.on_day[b][did]
        if not ab and not ba:
            ctx.pairs += 1
            enforce(m.add_bool_or([la.Not(), lb.Not()]), guard)
        elif ab and not ba:
            if hi_a + x.duration + tab > lo_b:
                ctx.pairs += 1
                enforce(m.add(ctx.end[a] + tab <= ctx.start[b]), la, lb, guard)
        elif ba and not ab:
            if hi_b + y.duration + tba > lo_a:
                ctx.pairs += 1
                enforce(m.add(ctx.end[b] + tba <= ctx.start[a]), la, lb, guard)
        else:
            ctx.pairs += 1
            o = m.new_bool_var(f"o{a}_{b}_{did}")
            enforce(m.add(ctx.end[a] + tab <= ctx.start[b]), o, la, lb, guard)
            enforce(m.add(ctx.end[b] + tba <= ctx.start[a]), o.Not(), la, lb, guard)


def _circuit(ctx: Ctx, gid: int, lodge, aids: list[int], d, guard) -> None:
    """The group's day as a circuit from and back to the lodging; its travel minutes go to
    ``ctx.day_travel`` (the travel term sums them)."""
    m, prep = ctx.m, ctx.prep
    arcs, cost = [], []
    node = {a: k + 1 for k, a in enumerate(aids)}
    spans = {a: span(ctx.ranges[a][d.id]) for a in aids}
    lo = {a: s[0] for a, s in spans.items()}
    hi = {a: s[1] for a, s in spans.items()}
    empty = m.new_bool_var(f"empty{gid}_{d.id}")
    arcs.append((0, 0, empty))
    for a in aids:
        lit = ctx.on_day[a][d.id]
        v = prep.act[a].venue
        arcs.append((node[a], node[a], lit.Not()))
        m.add_implication(lit, empty.Not())
        first = m.new_bool_var(f"f{gid}_{d.id}_{a}")
        last = m.new_bool_var(f"l{gid}_{d.id}_{a}")
        arcs += [(0, node[a], first), (node[a], 0, last)]
        if lodge is not None:
            cost += [(first, prep.t(lodge, v)), (last, prep.t(v, lodge))]
        for b in aids:
            if a == b:
                continue
            a_act, b_act = prep.act[a], prep.act[b]
            t = prep.t(a_act.venue, b_act.venue)
            # Prune arcs whose order is impossible inside the day's start ranges, travel
            # included.
            if lo[a] + a_act.duration + t > hi[b]:
                continue
            arc = m.new_bool_var(f"a{gid}_{d.id}_{a}_{b}")
            ctx.pairs += 1
            arcs.append((node[a], node[b], arc))
            m.add(ctx.end[a] <= ctx.start[b]).only_enforce_if(arc)
            if t:
                enforce(m.add(ctx.end[a] + t <= ctx.start[b]), arc, guard)
                cost.append((arc, t))
    m.add_circuit(arcs)
    ctx.day_travel[gid, d.id] = sum(lit * t for lit, t in cost)


def add_lunch(ctx: Ctx) -> None:
    """Per group and day, a lunch interval of `lunch_min` inside [lunch_start, lunch_end] that
    overlaps no non-meal activity of the group. Travel may overlap it (a packed lunch)."""
    m = ctx.m
    for g in ctx.problem.groups:
        aids = [a for a in acts_of_group(ctx, g.id) if not ctx.prep.act[a].meal]
        days = by_day(ctx, aids)
        for d in ctx.problem.days:
            if d.lunch_min <= 0:
                continue
            day_aids = days.get(d.id, [])
            if not day_aids:
                continue
            s = m.new_int_var(d.lunch_start, d.lunch_end - d.lunch_min, f"lunch{g.id}_{d.id}")
            guard = ctx.guard("lunch", {"group": (g.id,), "day": (d.id,)})
            if guard is None:
                iv = m.new_fixed_size_interval_var(s, d.lunch_min, f"li{g.id}_{d.id}")
            else:
                iv = m.new_optional_fixed_size_interval_var(s, d.lunch_min, guard, f"li{g.id}")
            m.add_no_overlap([iv] + [ctx.interval[a] for a in day_aids])


def add_venue_overlap(ctx: Ctx) -> None:
    for v in ctx.problem.venues:
        if not v.exclusive:
            continue
        aids = [a.id for a in ctx.problem.activities if a.venue == v.id]
        if len(aids) > 1:
            ctx.m.add_no_overlap([ctx.interval[a] for a in aids])
