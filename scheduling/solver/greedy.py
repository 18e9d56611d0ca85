"""Greedy earliest-fit by priority: what a spreadsheet planner does.

Activities in order (fixed/locked first, then mandatory, then by value and duration); each is
put at the earliest start where its hosts are free and available, every audience group can
get there from its previous activity and on to its next one (and to/from the lodging), lunch
still fits, and a team of interpreters is free and qualified. Never moves what it placed.

Used twice: as the peer baseline of the benchmarks, and as a starting hint for CP-SAT when it
places every mandatory activity (optional-heavy problems such as TOPTW: an empty programme
is feasible but a useless start).
"""

from __future__ import annotations

import time
from itertools import islice

from .model import Assignment, Placement, ProgrammeResult, SolveStatus
from .prepare import Prepared
from .scoring import objective, score
from .validate import validate

# The greedy's status when some mandatory activity found no place (not a solve status).
INCOMPLETE = "incomplete"


def _fits_sequence(prep, seq, s, e, venue, day, home) -> bool:
    """seq: sorted (start, end, venue) of one person/group on one day."""
    before = [x for x in seq if x[0] < s]
    after = [x for x in seq if x[0] >= s]
    if before:
        p = before[-1]
        if p[1] + prep.t(p[2], venue) > s:
            return False
    elif home is not None and s < day.start + prep.t(home, venue):
        return False
    if after:
        n = after[0]
        if e + prep.t(venue, n[2]) > n[0]:
            return False
    elif home is not None and e + prep.t(venue, home) > day.end:
        return False
    return True


def _lunch_ok(day, busy) -> bool:
    if day.lunch_min <= 0:
        return True
    free = day.lunch_start
    for s, e in sorted([*busy, (day.lunch_end, day.lunch_end)]):
        if min(s, day.lunch_end) - free >= day.lunch_min:
            return True
        free = max(free, e)
    return False


class _Booked:
    """What the greedy has placed so far, per group and day, host, venue and interpreter."""

    def __init__(self, prep):
        self.prep = prep
        self.groups: dict = {}  # (group, day) -> [(s, e, venue, meal)]
        self.hosts: dict = {}  # host -> [(s, e)]
        self.rooms: dict = {}
        # (interpreter, day) -> [(s, e, venue, interpreted minutes, rest after)]
        self.interp = _InterpBook()
        self.placed: dict = {}
        self.assignments: list = []

    def commit(self, a, d, s, team) -> None:
        prep, e = self.prep, s + a.duration
        self.placed[a.id] = Placement(a.id, d.id, s)
        for g in prep.groups_of(a):
            self.groups.setdefault((g, d.id), []).append((s, e, a.venue, a.meal))
            self.groups[g, d.id].sort()
        for h in a.hosts:
            self.hosts.setdefault(h, []).append((s, e))
        self.rooms.setdefault(a.venue, []).append((s, e))
        for iid in dict.fromkeys(iid for iid, _direction in team):
            rest = prep.rest_after(a, d.id)
            self.interp.booked(iid, d.id).append((s, e, a.venue, prep.interpreted(a, d.id), rest))
            self.interp[iid, d.id].sort()
        for iid, direction in team:
            self.assignments.append(Assignment(a.id, iid, direction))

    def uncommit(self, aid) -> tuple:
        """Take `aid` out again; (day, start, team) to commit it back as it was."""
        prep = self.prep
        pl = self.placed.pop(aid)
        a, s = prep.act[aid], pl.start
        e = s + a.duration
        for g in prep.groups_of(a):
            self.groups[g, pl.day].remove((s, e, a.venue, a.meal))
        for h in a.hosts:
            self.hosts[h].remove((s, e))
        self.rooms[a.venue].remove((s, e))
        team = [(x.interpreter, tuple(x.direction)) for x in self.assignments if x.activity == aid]
        if team:
            self.assignments = [x for x in self.assignments if x.activity != aid]
        for iid in dict.fromkeys(iid for iid, _direction in team):
            seq = self.interp[iid, pl.day]
            seq.remove(next(x for x in seq if x[0] == s and x[1] == e and x[2] == a.venue))
        return pl.day, s, team

    def keep(self, seed) -> None:
        """The placements and assignments of `seed` (a valid programme), as they are."""
        prep, team_of = self.prep, {}
        for x in seed.assignments:
            team_of.setdefault(x.activity, []).append((x.interpreter, tuple(x.direction)))
        for pl in seed.placements:
            if pl.activity in prep.act and pl.day in prep.day and pl.activity not in self.placed:
                a, d = prep.act[pl.activity], prep.day[pl.day]
                self.commit(a, d, pl.start, team_of.get(pl.activity, []))

    def place(self, a) -> None:
        """At the earliest start of the first day where everything fits, if any."""
        prep, args = self.prep, (self.groups, self.hosts, self.rooms, self.interp)
        for d in prep.p.days:
            for lo, hi in prep.domains[a.id].get(d.id, []):
                for s in _candidates(prep, a, d, lo, hi, *args):
                    team = _try(prep, a, d, s, *args, self.placed)
                    if team is not None:
                        self.commit(a, d, s, team)
                        return


def greedy(
    problem, params=None, time_limit_s: float | None = None, seed=None, prep=None, check=True
):
    """(result, 'feasible'|'incomplete', objective, wall seconds, violations). With a time
    limit it stops placing when time is up (what is placed stays valid). With `seed` (a
    valid ProgrammeResult), its placements and assignments stay and the greedy only adds
    what is missing: CP-SAT's first programme on M places the mandatory activities and
    few optional ones; filling it in this way is a much better start for the next stage.
    `prep`: the solve's Prepared of the same problem (its start ranges are not computed
    twice). `check=False`: a result that leaves a mandatory activity out is returned
    'incomplete' without its violations and objective."""
    t0 = time.perf_counter()
    prep = prep if prep is not None and prep.p is problem else Prepared(problem, params)
    order = sorted(
        problem.activities,
        # The welcome first and the closing last: each other activity then fits between.
        key=lambda a: (
            {"first": 0, "last": 2}.get(a.place_in_visit, 1),
            prep.pinned_start(a) is None,
            not a.mandatory,
            -a.value,
            -a.duration,
        ),
    )
    booked = _Booked(prep)
    if seed is not None:
        booked.keep(seed)
    for a in order:
        if time_limit_s is not None and time.perf_counter() - t0 > time_limit_s:
            break
        if a.id not in booked.placed:
            booked.place(a)
    # The greedy takes each activity's best choice of languages (fewest interpreted); what
    # it keeps from a seed keeps the seed's.
    kept = {c.activity: c for c in seed.languages} if seed is not None else {}
    choices = (kept.get(aid) or prep.best_choice(prep.act[aid]) for aid in booked.placed)
    result = ProgrammeResult(
        SolveStatus.FEASIBLE,
        placements=tuple(booked.placed.values()),
        assignments=tuple(booked.assignments),
        languages=tuple(c for c in choices if c is not None),
    )
    if not check and any(a.mandatory and a.id not in booked.placed for a in problem.activities):
        # Incomplete anyway: the solve only needs the placements (a hint to complete), not
        # the validation and scores that took a second on 10,000 activities.
        return result, INCOMPLETE, None, time.perf_counter() - t0, []
    violations = validate(problem, result)
    terms = score(problem, result, params)
    status = SolveStatus.FEASIBLE if not violations else INCOMPLETE
    return result, status, objective(terms, params), time.perf_counter() - t0, violations


def _candidates(prep, a, d, lo, hi, groups, hosts, rooms, interp, lean=False):
    """Earliest-fit only needs event points: the range start, or just after something placed
    (plus travel) -- not every minute. `lean` (the construction, construct.py): also lunch
    right after something that ends in the lunch range, and only the points of the rooms
    and interpreters that can matter; without it, the greedy peer's points as they were
    (its programmes stay the baseline of the benchmarks)."""
    points = {lo}
    for g in prep.groups_of(a):
        points |= {x[1] + prep.t(x[2], a.venue) for x in groups.get((g, d.id), ())}
        points.add(d.start + prep.t(prep.lodging(g, d.id), a.venue))
        if d.lunch_min:
            points |= {d.lunch_start + d.lunch_min}
            if lean:
                # The earliest fit after it when the travel is shorter than the lunch.
                points |= {
                    x[1] + d.lunch_min
                    for x in groups.get((g, d.id), ())
                    if d.lunch_start <= x[1] <= d.lunch_end - d.lunch_min
                }
    for h in a.hosts:
        points |= {x[1] for x in hosts.get(h, ())}
    if not lean or prep.venue[a.venue].exclusive:
        points |= {x[1] for x in rooms.get(a.venue, ())}
    if not lean:
        for _iid, seq in interp.on_day(d.id):
            points |= {x[1] + max(prep.t(x[2], a.venue), x[4]) for x in seq}
        points |= _interpreter_points(prep, a.venue, d, prep.interp)
    elif prep.needs(a):
        # Only the interpreters who could take it (on XL 3,000, every interpreter's points
        # made 18 tries per activity and day, most of them for nothing).
        pool = {i for n in prep.needs(a) for i in prep.qualified(a, n)}
        for iid, seq in interp.on_day(d.id):
            if iid in pool:
                points |= {x[1] + max(prep.t(x[2], a.venue), x[4]) for x in seq}
        points |= _interpreter_points(prep, a.venue, d, pool)
    if lo < hi and prep.grid > 1:
        # Earliest fit on the grid: each point rounded up to it (lo is on it already).
        points = {-(-p // prep.grid) * prep.grid for p in points}
    return sorted(p for p in points if lo <= p <= hi)


def _interpreter_points(prep, venue, d, pool) -> set:
    """The arrivals from home at `venue` on day `d` of the interpreters in `pool` and their
    windows' starts (the same for every activity there: computed once per venue, day and
    pool)."""
    cache = prep.__dict__.setdefault("_greedy_interp_points", {})
    key = (venue, d.id, frozenset(pool))
    if key not in cache:
        points = set()
        for i in (prep.interp[iid] for iid in sorted(pool)):
            points.add(d.start + prep.t(i.home_venue, venue))
            points |= {w.start for w in prep.interp_windows(i.id)}
        cache[key] = points
    return cache[key]


class _InterpBook(dict):
    """(interpreter, day) -> their booked sequence, with the sequences of each day indexed
    (the greedy's start points look at one day's, not every interpreter's every day)."""

    def __init__(self):
        super().__init__()
        self.days: dict = {}

    def booked(self, iid, did) -> list:
        if (iid, did) not in self:
            self[iid, did] = []
            self.days.setdefault(did, []).append((iid, self[iid, did]))
        return self[iid, did]

    def on_day(self, did) -> list:
        """[(interpreter, sequence)] of the day."""
        return self.days.get(did, [])


def _overlaps(items, s, e) -> bool:
    return any(x[0] < e and s < x[1] for x in items)


def _try(prep, a, d, s, groups, hosts, rooms, interp, placed):
    e = s + a.duration
    if any(_overlaps(hosts.get(h, ()), s, e) for h in a.hosts):
        return None
    if prep.venue[a.venue].exclusive and _overlaps(rooms.get(a.venue, ()), s, e):
        return None
    for g in prep.groups_of(a):
        seq = groups.get((g, d.id), [])
        if _overlaps(seq, s, e):
            return None
        if not _fits_sequence(prep, seq, s, e, a.venue, d, prep.lodging(g, d.id)):
            return None
        busy = [(x[0], x[1]) for x in seq if not x[3]] + ([] if a.meal else [(s, e)])
        if not _lunch_ok(d, busy):
            return None
    for pr in _precedences_of(prep, a.id):
        if pr.after == a.id and pr.before in placed:
            b = placed[pr.before]
            if s < b.start + prep.act[pr.before].duration + pr.min_gap:
                return None
        if pr.before == a.id and pr.after in placed and placed[pr.after].start < e + pr.min_gap:
            return None
    if _has_places(prep) and not _in_place(prep, a, s, e, placed):
        return None
    if a.phase is not None:
        for b_id, b in placed.items():
            ob = prep.act[b_id]
            if ob.phase is None or not set(prep.groups_of(ob)) & set(prep.groups_of(a)):
                continue
            if (ob.phase < a.phase and s < b.start + ob.duration) or (
                ob.phase > a.phase and b.start < e
            ):
                return None
    return _team(prep, a, d, s, e, interp)


def _precedences_of(prep, aid: int):
    """The precedences naming `aid` (indexed once: a loop over all of them per tried start
    made the greedy quadratic)."""
    index = prep.__dict__.get("_greedy_precedences")
    if index is None:
        index = {}
        for pr in prep.p.precedences:
            index.setdefault(pr.before, []).append(pr)
            if pr.after != pr.before:
                index.setdefault(pr.after, []).append(pr)
        prep.__dict__["_greedy_precedences"] = index
    return index.get(aid, ())


def _has_places(prep) -> bool:
    """Whether some activity is the visit's 'first' or 'last' (else _in_place always holds)."""
    has = prep.__dict__.get("_greedy_places")
    if has is None:
        has = any(a.place_in_visit for a in prep.p.activities)
        prep.__dict__["_greedy_places"] = has
    return has


def _in_place(prep, a, s, e, placed) -> bool:
    """'first' ends before every other placed activity starts, 'last' starts after all end."""
    for b_id, b in placed.items():
        ob = prep.act[b_id]
        if ob.place_in_visit == a.place_in_visit:
            continue
        b_end = b.start + ob.duration
        if (a.place_in_visit == "first" or ob.place_in_visit == "last") and b.start < e:
            return False
        if (a.place_in_visit == "last" or ob.place_in_visit == "first") and s < b_end:
            return False
    return True


def _rested(seq, s, e, rest) -> bool:
    """The policy's break after a long stint, before and after [s, e)."""
    before = [x for x in seq if x[0] < s]
    after = [x for x in seq if x[0] >= s]
    if before and s - before[-1][1] < before[-1][4]:
        return False
    return not (after and after[0][0] - e < rest)


def _team(prep, a, d, s, e, interp):
    needs = prep.needs(a)
    if not needs:
        return []
    k = prep.team(a)
    if k is None:
        return None

    def free(iid):
        i = prep.interp[iid]
        if not any(w.start <= s and e <= w.end for w in prep.interp_windows(iid)):
            return False
        seq = interp.get((iid, d.id), [])
        if _overlaps(seq, s, e):
            return False
        if sum(x[3] for x in seq) + prep.interpreted(a, d.id) > prep.daily_cap(iid):
            return False
        if not _rested(seq, s, e, prep.rest_after(a, d.id)):
            return False
        return _fits_sequence(prep, seq, s, e, a.venue, d, i.home_venue)

    def direction(iid, need):
        return sorted(need.directions & set(prep.interp[iid].directions))[0]

    team = []
    if a.interpretation_mode == "consecutive":
        chosen: list[int] = []
        for need in needs:  # cover every need, then fill the team
            if not any(need.directions & set(prep.interp[i].directions) for i in chosen):
                # The first free one (lazily: on XL 3,000 fifty are qualified).
                first = next(
                    (i for i in prep.qualified(a, need) if i not in chosen and free(i)), None
                )
                if first is None:
                    return None
                chosen.append(first)
        pool = {i for n in needs for i in prep.qualified(a, n)}
        for i in sorted(pool - set(chosen)):
            if len(chosen) >= k:
                break
            if free(i):
                chosen.append(i)
        if len(chosen) < k:
            return None
        for i in chosen:
            for need in needs:
                if need.directions & set(prep.interp[i].directions):
                    team.append((i, direction(i, need)))
        return team
    used: set[int] = set()
    for need in needs:
        cand = list(islice((i for i in prep.qualified(a, need) if i not in used and free(i)), k))
        if len(cand) < k:
            return None
        used |= set(cand)
        team += [(i, direction(i, need)) for i in cand]
    return team
