"""A time-indexed plan for a large problem without travel (a forum: sessions in rooms, 0
minutes between them), then that plan as a programme of the whole model.

The model (one Boolean per activity and grid start, as conference timetablers state it):
each mandatory activity at one start, each optional one at most; per step at most one
activity of each group, host and exclusive venue, and the group's lunch break (one of its
possible starts) in the way of its activities; per step and set of interpreters able to
render a need, no more teams than such interpreters on duty (their windows), and per day
no more interpreted minutes than their daily caps allow. Objective: the optional value. The
step is the largest grid that every duration, day bound, lunch bound and fixed start sits
on (a forum of 45/60/90-minute sessions: 15 minutes), so the model stays small.

On L (300 sessions, 15 rooms, 25 cohorts) CP-SAT's interval model stalls far from the
rooms' capacity: -48330 at 60 s, -49705 at 300 s. On this one, the cliques of one room (or
cohort) and step are explicit and its LNS moves whole sessions between steps: -50800 in
30 s from the construction's programme.

What it leaves out (interpreters' rests, who renders what, language choices,
soft terms) the whole model then decides with every start fixed (`programme_at`: a first
solution in 0.1 s on L), and the validator checks the result, so the plan never yields a
programme that breaks a rule: at worst, none.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .build import build
from .deadline import check
from .model import Params, Placement, ProgrammeResult, SolveStatus
from .prepare import Prepared
from .report import programme_of
from .search import SearchProgress, configure, hint_solution, run_search, solve_fixed

# Below this many activities the interval model alone is proven or near it (S, M, the
# conference instances); the plan is for forums.
MIN_ACTIVITIES = 100
# Above this many (start literal, step, resource) entries the plan is not built (a 5-minute
# step over long days, thousands of sessions): L has 0.2 million, built in 0.2 s.
MAX_ENTRIES = 2_000_000


def applies(prep: Prepared) -> bool:
    """A large problem without travel whose rules the plan states: no re-plan, no
    precedence or phase (the plan has no order), no meal (no lunch in its place)."""
    p = prep.p
    return (
        len(p.activities) >= MIN_ACTIVITIES
        and not p.previous
        and not p.precedences
        and not any(prep.dist.values())
        and not any(a.phase is not None or a.meal or a.working_lunch for a in p.activities)
    )


def step(prep: Prepared) -> int:
    """The largest multiple of the time grid that every duration, day bound, lunch bound
    and fixed start is a multiple of."""
    p = prep.p
    values = [a.duration for a in p.activities]
    values += [a.fixed_start for a in p.activities if a.fixed_start is not None]
    for d in p.days:
        values += [d.start, d.end]
        if d.lunch_min:
            values += [d.lunch_start, d.lunch_end, d.lunch_min]
    g = 0
    for v in values:
        g = math.gcd(g, v)
    grid = max(1, prep.grid)
    return g if g and g % grid == 0 else grid


def _units(start: int, duration: int, g: int) -> range:
    return range(start // g, -(-(start + duration) // g))


def _starts(ranges, g: int) -> list[int]:
    out = []
    for lo, hi in ranges:
        if lo == hi:
            out.append(lo)  # a fixed or locked start keeps its minute
        else:
            out.extend(range(-(-lo // g) * g, hi + 1, g))
    return out


@dataclasses.dataclass
class Plan:
    """The time-indexed model: its start literals per activity."""

    m: cp_model.CpModel
    x: dict  # activity -> [(day, start, literal)]


def model(prep: Prepared, weights, deadline=None) -> Plan | None:
    """The time-indexed model, or None when it would be too large."""
    p, g = prep.p, step(prep)
    starts, entries = {}, 0
    for k, a in enumerate(p.activities):
        if k % 32 == 0:
            check(deadline, "time-indexed plan")
        starts[a.id] = []
        if prep.needs(a) and prep.team(a) is None:
            continue  # no team can interpret it that long: never placed
        for did, ranges in prep.domains.get(a.id, {}).items():
            starts[a.id] += [(did, t) for t in _starts(ranges, g)]
        width = len(prep.groups_of(a)) + len(a.hosts) + 1 + len(prep.needs(a))
        entries += len(starts[a.id]) * -(-a.duration // g) * width
        if entries > MAX_ENTRIES:
            return None
    m = cp_model.CpModel()
    x = {
        aid: [(did, t, m.new_bool_var(f"x{aid}_{t}")) for did, t in ts]
        for aid, ts in starts.items()
    }
    one, value = defaultdict(list), []
    team_at, minutes = defaultdict(list), defaultdict(list)
    for k, a in enumerate(p.activities):
        if k % 32 == 0:
            check(deadline, "time-indexed plan")
        lits = [v for _d, _t, v in x[a.id]]
        if a.mandatory:
            m.add_exactly_one(lits)  # none: infeasible, the plan gives nothing
        elif lits:
            m.add_at_most_one(lits)
            value.append(a.value * sum(lits))
        venue = prep.venue.get(a.venue)
        exclusive = venue is not None and venue.exclusive
        needs = [(frozenset(prep.qualified(a, n)), prep.team(a) or 1) for n in prep.needs(a)]
        for did, t, v in x[a.id]:
            for u in _units(t, a.duration, g):
                for gid in prep.groups_of(a):
                    one["group", gid, u].append(v)
                for hid in a.hosts:
                    one["host", hid, u].append(v)
                if exclusive:
                    one["venue", a.venue, u].append(v)
                for who, team in needs:
                    team_at[who, u].append((team, v))
            for who, team in needs:
                minutes[who, did].append((team * prep.interpreted(a, did), v))
    for d in p.days:
        if not d.lunch_min:
            continue
        breaks = range(-(-d.lunch_start // g) * g, d.lunch_end - d.lunch_min + 1, g)
        for gid in prep.group:
            ys = [m.new_bool_var(f"lunch{gid}_{d.id}_{s}") for s in breaks]
            if not ys:
                continue  # a lunch window off the step: left to the whole model
            m.add_exactly_one(ys)
            for s, y in zip(breaks, ys, strict=True):
                for u in _units(s, d.lunch_min, g):
                    one["group", gid, u].append(y)
    for lits in one.values():
        if len(lits) > 1:
            m.add_at_most_one(lits)
    on_duty = _on_duty(prep, g)
    for (who, u), terms in team_at.items():
        m.add(sum(team * v for team, v in terms) <= sum(on_duty(i, u) for i in who))
    for (who, _day), terms in minutes.items():
        cap = sum(prep.daily_cap(i) for i in who)
        m.add(sum(mins * v for mins, v in terms) <= cap)
    m.maximize(weights.value * sum(value) if value else 0)
    return Plan(m, x)


def _on_duty(prep: Prepared, g: int):
    """(interpreter, step) -> whether one of their windows covers the whole step."""
    seen: dict = {}

    def on_duty(iid: int, u: int) -> bool:
        if (iid, u) not in seen:
            lo, hi = u * g, (u + 1) * g
            seen[iid, u] = any(w.start <= lo and hi <= w.end for w in prep.interp_windows(iid))
        return seen[iid, u]

    return on_duty


def plan_starts(
    prep: Prepared, params: Params, hint: ProgrammeResult | None, seconds: float, deadline=None
) -> dict[int, tuple[int, int]] | None:
    """activity -> (day, start) of the best plan CP-SAT finds in `seconds` (deterministic
    ones in a deterministic solve), started from `hint`'s starts that sit on the step; None
    if it finds none."""
    t0 = time.perf_counter()
    built = model(prep, params.weights, deadline)
    left = seconds - (0 if params.deterministic else time.perf_counter() - t0)
    if built is None or left <= 0:
        return None
    if hint is not None:
        at = {pl.activity: pl.start for pl in hint.placements}
        for aid, lits in built.x.items():
            if aid in at and all(t != at[aid] for _d, t, _v in lits):
                continue  # off the step: CP-SAT completes the hint (a start hinted
                # nowhere would be a mandatory activity hinted out)
            for _d, t, v in lits:
                built.m.add_hint(v, at.get(aid) == t)
    solver = cp_model.CpSolver()
    configure(solver, dataclasses.replace(params, time_limit_s=left))
    watch = SearchProgress(time.perf_counter(), None, params.stop)  # stops it on a cancel
    code = run_search(solver, None, watch, params.stop, model=built.m)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {
        aid: (did, t)
        for aid, lits in built.x.items()
        for did, t, v in lits
        if solver.boolean_value(v)
    }


def programme_at(
    prep: Prepared,
    params: Params,
    starts: dict[int, tuple[int, int]],
    seconds: float,
    deadline=None,
):
    """The whole model's first programme with every activity at its planned start (the
    others left out), found in `seconds`: who interprets, in what language, decided there.
    (the model, without the planned starts but hinted with that solution in full, and the
    programme), or None."""
    t0 = time.perf_counter()
    ctx = build(prep.p, params, prep, deadline=deadline)
    planned = ProgrammeResult(
        SolveStatus.FEASIBLE,
        placements=tuple(Placement(aid, did, t) for aid, (did, t) in starts.items()),
    )
    left = seconds - (0 if params.deterministic else time.perf_counter() - t0)
    solver = solve_fixed(ctx, planned, params, left) if left > 0 else None
    if solver is None:
        return None
    hint_solution(ctx.m, solver)
    return ctx, programme_of(ctx, solver)
