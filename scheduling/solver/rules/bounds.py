"""Redundant constraints: implied by the other rules, added for the LP relaxation's sake.

CP-SAT's linear relaxation sees neither the no-overlaps' capacity nor the travel hidden in
the sequencing disjunctions, so its bound on M stayed at "every optional activity placed".
These knapsacks tell it that a day holds only so many minutes:

- per group and day: activity minutes + a travel lower bound <= the day's length, and
  non-meal minutes + the lunch break <= the day's length;
- per host and day: activity minutes <= the host's available minutes that day;
- per exclusive venue and day: activity minutes <= the day's length;
- per group and day, the tour's cardinality (`visits_fit`): at most as many activities as
  the shortest ones that fit in the day with the way out of the lodging and back;
- between fixed activities (`add_gaps`: a plenary every group attends at a fixed time),
  each activity in one gap, and per group, exclusive venue and day the minutes of each
  stretch of gaps (L's rooms: 390 minutes a day between the plenaries, not 630).

The travel lower bound of a group's day: every venue visited (other than the lodging) is
entered at least once, from some other venue of the day or the lodging, plus the cheapest
way back to the lodging. `visit[g, d, v]` literals say the group is at venue v on day d.
The same expression bounds the `travel` term of the circuit encoding from below.
Not used in explain mode (the explanation names rules, and these are no rules) nor in the
feasibility stage (no objective, and they slowed it).
"""

from __future__ import annotations

from ..gaps import blocked, fixed_blocks, is_fixed, segments
from ..prepare import minutes_within
from ..variables import Ctx, by_day
from .groups import acts_of_group


def travel_lower_bound(ctx: Ctx, gid: int, lodge, day, aids: list[int], pairs: bool = True):
    """A variable (or 0) below the group's travel minutes on `day`: the largest of
    - nearest neighbour: every visited venue entered once from its nearest candidate, plus
      the cheapest way back to the lodging;
    - farthest pair: a day that visits venues u and v goes lodging -> u -> v -> lodging or
      the other way round at least (triangle inequality; u = v: there and back)."""
    m, prep = ctx.m, ctx.prep
    by_venue: dict[int, list[int]] = {}
    for a in aids:
        by_venue.setdefault(prep.act[a].venue, []).append(a)
    cand = set(by_venue) | ({lodge} if lodge is not None else set())
    min_in = {}
    for v in by_venue:
        if v == lodge:
            min_in[v] = 0
            continue
        others = [prep.t(u, v) for u in cand if u != v]
        min_in[v] = min(others) if others else 0
    if not any(min_in.values()) and lodge is None:
        return 0
    terms = []
    used = m.new_bool_var(f"used{gid}_{day.id}")
    visits = {}
    for v, vaids in by_venue.items():
        lits = [ctx.on_day[a][day.id] for a in vaids]
        if len(lits) == 1:
            visit = lits[0]
        else:
            visit = m.new_bool_var(f"visit{gid}_{day.id}_{v}")
            for lit in lits:
                m.add_implication(lit, visit)
            m.add_bool_or(lits).only_enforce_if(visit)
        m.add_implication(visit, used)
        visits[v] = visit
        if min_in[v]:
            terms.append(min_in[v] * visit)
    expr = sum(terms)
    if lodge is not None:
        back = min(prep.t(v, lodge) for v in by_venue)
        if back:
            expr += back * used
    else:
        # No lodging: the day's first venue is entered from nowhere.
        worst = max(min_in.values())
        if worst:
            expr -= worst * used
    if not pairs:
        return expr
    # The day's travel happens inside the day (lodging legs included), so the day's length
    # bounds it; a cut above that only says the day cannot hold those venues.
    lb = m.new_int_var(0, day.end - day.start, f"tlb{gid}_{day.id}")
    m.add(lb >= expr)
    vs = sorted(visits)
    for i, u in enumerate(vs):
        for v in vs[i:]:
            if lodge is not None:
                c = min(
                    prep.t(lodge, u) + prep.t(u, v) + prep.t(v, lodge),
                    prep.t(lodge, v) + prep.t(v, u) + prep.t(u, lodge),
                )
            else:
                c = min(prep.t(u, v), prep.t(v, u))
            if not c:
                continue
            if u == v:
                m.add(lb >= c * visits[u])
            else:
                m.add(lb >= c * (visits[u] + visits[v] - 1))
    return lb


def visits_fit(ctx: Ctx, gid: int, lodge, day, aids: list[int]) -> None:
    """The tour's cardinality: a group's day holds at most the k shortest of its candidate
    activities that fit in the day with the shortest way out of the lodging and back
    (travel happens inside the day). The minutes knapsack lets the relaxation take one more
    activity in part; this says how many whole ones fit."""
    prep = ctx.prep
    durations = sorted(prep.act[a].duration for a in aids)
    room = day.end - day.start
    if lodge is not None:
        venues = {prep.act[a].venue for a in aids}
        room -= min(prep.t(lodge, v) + prep.t(v, lodge) for v in venues)
    k, used = 0, 0
    for dur in durations:
        if used + dur > room:
            break
        used, k = used + dur, k + 1
    if k < len(aids):
        ctx.m.add(sum(ctx.on_day[a][day.id] for a in aids) <= k)
        ctx.day_caps[gid, day.id] = k


# Most (stretch, activity) pairs add_gaps looks at per resource and day.
STRETCH_WORK = 200_000


def add_gaps(ctx: Ctx) -> None:
    """Fixed activities (plenaries every group attends) cut a group's day into gaps, and
    an activity fits in one of them: its minutes go to that gap. Per group, exclusive
    venue and day, the activities that can only be in a stretch [S, E] of gaps hold at most
    its minutes (less the lunch break for a group, when the break's window lies inside).
    The forum L: sessions only between the three plenaries a day (270 and 120 minutes),
    each room 390 minutes a day, not 630. Nothing is stated without fixed activities."""
    m, prep = ctx.m, ctx.prep
    blocks = fixed_blocks(prep, ctx.ranges)
    if not blocks:
        return
    fixed = {aid for aid in ctx.ranges if is_fixed(ctx.ranges, aid)}
    # (activity, day) -> [(literal, earliest start, latest end)], one per gap.
    items: dict[tuple[int, int], list] = {}
    for a in ctx.problem.activities:
        if a.id in fixed:
            continue
        for did, lit in ctx.on_day[a.id].items():
            if not blocked(prep, blocks, a.id, did):
                continue
            segs = segments(prep, ctx.ranges, a.id, did, blocks)
            if not segs:
                m.add(lit == 0)
                continue
            if len(segs) == 1:
                items[a.id, did] = [(lit, segs[0][0], segs[0][1] + a.duration)]
                continue
            ys = []
            for lo, hi in segs:
                y = m.new_bool_var(f"gap{a.id}_{did}_{lo}")
                m.add(ctx.start[a.id] >= lo).only_enforce_if(y)
                m.add(ctx.start[a.id] <= hi).only_enforce_if(y)
                ys.append((y, lo, hi + a.duration))
            m.add(sum(y for y, _lo, _hi in ys) == lit)
            items[a.id, did] = ys
    if not items:
        return
    by_res: dict[tuple, list] = {}
    for (aid, did), rows in items.items():
        a = prep.act[aid]
        keys = [("group", g) for g in prep.groups_of(a)]
        if prep.venue.get(a.venue) is not None and prep.venue[a.venue].exclusive:
            keys.append(("venue", a.venue))
        for key in keys:
            by_res.setdefault((*key, did), []).extend((aid, *row) for row in rows)
    for (kind, _rid, did), rows in by_res.items():
        ctx.tick()
        day = prep.day[did]
        lunch = kind == "group" and day.lunch_min > 0
        starts = sorted({lo for _a, _y, lo, _hi in rows})
        ends = sorted({hi for _a, _y, _lo, hi in rows})
        stretches = [(s, e) for s in starts for e in ends if s < e]
        if len(stretches) * len(rows) > STRETCH_WORK:
            # Many distinct windows (a season's room): each gap on its own only.
            stretches = sorted({(lo, hi) for _a, _y, lo, hi in rows})
        for s, e in stretches:
            inside = [(aid, y) for aid, y, lo, hi in rows if lo >= s and hi <= e]
            room = e - s
            if lunch and s <= day.lunch_start and day.lunch_end <= e:
                inside = [(aid, y) for aid, y in inside if not prep.act[aid].meal]
                room -= day.lunch_min
            if sum(prep.act[aid].duration for aid, _y in inside) > room:
                m.add(sum(prep.act[aid].duration * y for aid, y in inside) <= room)


def add_redundant(ctx: Ctx) -> None:
    if not ctx.objective:
        # Explain mode, or the feasibility stage: they only help the bound, and they slowed
        # the first programme of M-2 (7.3 s against 3.9 s without them).
        return
    add_gaps(ctx)
    m, prep = ctx.m, ctx.prep
    for g in ctx.problem.groups:
        ctx.tick()
        aids = acts_of_group(ctx, g.id)
        days = by_day(ctx, aids)
        for d in ctx.problem.days:
            day_aids = days.get(d.id, [])
            if not day_aids:
                continue
            length = d.end - d.start
            day_travel = ctx.day_travel.get((g.id, d.id))
            # The pair cuts tighten the travel stage's bound (S-1: travel >= 325 -> 457) but
            # slowed the first stages on M: only with the circuits' travel term.
            lb = travel_lower_bound(
                ctx, g.id, g.lodging_on(d.id), d, day_aids, pairs=day_travel is not None
            )
            if day_travel is not None and not isinstance(lb, int):
                m.add(day_travel >= lb)  # the circuit's travel of that day
            visits_fit(ctx, g.id, g.lodging_on(d.id), d, day_aids)
            minutes = [prep.act[a].duration * ctx.on_day[a][d.id] for a in day_aids]
            if sum(prep.act[a].duration for a in day_aids) > length or not isinstance(lb, int):
                m.add(sum(minutes) + lb <= length)
            if d.lunch_min > 0:
                nonmeal = [
                    prep.act[a].duration * ctx.on_day[a][d.id]
                    for a in day_aids
                    if not prep.act[a].meal
                ]
                if nonmeal:
                    m.add(sum(nonmeal) + d.lunch_min <= length)
    by_host: dict[int, list[int]] = {}
    for a in ctx.problem.activities:
        for hid in a.hosts:
            by_host.setdefault(hid, []).append(a.id)
    for hid, aids in by_host.items():
        if hid not in prep.host:
            continue
        ctx.tick()
        wins = prep.host_windows(hid)
        days = by_day(ctx, aids)
        for d in ctx.problem.days:
            day_aids = days.get(d.id, [])
            if len(day_aids) < 2:
                continue
            avail = minutes_within(wins, d)  # host_windows are merged
            total = sum(prep.act[a].duration for a in day_aids)
            if total > avail:
                m.add(sum(prep.act[a].duration * ctx.on_day[a][d.id] for a in day_aids) <= avail)
    for v in ctx.problem.venues:
        if not v.exclusive:
            continue
        aids = [a.id for a in ctx.problem.activities if a.venue == v.id]
        days = by_day(ctx, aids)
        for d in ctx.problem.days:
            day_aids = days.get(d.id, [])
            if sum(prep.act[a].duration for a in day_aids) > d.end - d.start:
                m.add(
                    sum(prep.act[a].duration * ctx.on_day[a][d.id] for a in day_aids)
                    <= d.end - d.start
                )
