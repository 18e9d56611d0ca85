"""Redundant constraints: implied by the other rules, added for the LP relaxation's sake.

CP-SAT's linear relaxation sees neither the no-overlaps' capacity nor the travel hidden in
the sequencing disjunctions, so its bound on M stayed at "every optional activity placed".
These knapsacks tell it that a day holds only so many minutes:

- per group and day: activity minutes + a travel lower bound <= the day's length, and
  non-meal minutes + the lunch break <= the day's length;
- per host and day: activity minutes <= the host's available minutes that day;
- per exclusive venue and day: activity minutes <= the day's length;
- per group and day, the tour's cardinality (`visits_fit`): at most as many activities as
  the shortest ones that fit in the day with the way out of the lodging and back.

The travel lower bound of a group's day: every venue visited (other than the lodging) is
entered at least once, from some other venue of the day or the lodging, plus the cheapest
way back to the lodging. `visit[g, d, v]` literals say the group is at venue v on day d.
The same expression bounds the `travel` term of the circuit encoding from below.
Not used in explain mode (the explanation names rules, and these are no rules) nor in the
feasibility stage (no objective, and they slowed it).
"""

from __future__ import annotations

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


def add_redundant(ctx: Ctx) -> None:
    if not ctx.objective:
        # Explain mode, or the feasibility stage: they only help the bound, and they slowed
        # the first programme of M-2 (7.3 s against 3.9 s without them).
        return
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
            avail = sum(max(0, min(w.end, d.end) - max(w.start, d.start)) for w in _merged(wins))
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


def _merged(windows) -> list:
    out: list = []
    for w in sorted(windows, key=lambda w: w.start):
        if out and w.start <= out[-1].end:
            if w.end > out[-1].end:
                out[-1] = type(w)(out[-1].start, w.end, out[-1].preferred)
        else:
            out.append(w)
    return out
