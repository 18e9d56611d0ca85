"""A relaxation of the programme solved on its own, whose optimum bounds every programme
(issue 18, "bounds that mean something").

The main model's linear relaxation places every optional activity (M: bound = all the
optional value), because it sees the group's day as minutes only: the travel hidden in the
sequencing disjunctions is invisible to it. This model keeps what decides how much a day
holds and drops the times:

- each activity on one of its possible days (`Prepared.domains`) or left out; the mandatory
  ones placed;
- per group and day, the tour: a circuit from the lodging over the venues visited that day
  (each venue entered once; shortest ways obey the triangle inequality, so no programme's
  day travels less), its minutes + the activities' minutes <= the day's length, the
  non-meal minutes + the lunch break <= the day's length, and the same for every stretch
  [S, E] of the day the activities' start ranges confine them to (host half-days);
- per host and day, per exclusive venue and day: the minutes inside the windows;
- precedences and phases: the day order (if both are placed);
- the objective: the value, travel (the circuits), balance (a function of the days) and the
  preferred-window misses no start of that day avoids, each with the user's weight; every
  other term (moves, late, interpreters' spread, languages) at 0, its least value.

Everything a programme must satisfy that this states is a consequence of the rules, and
every term it counts is at most the programme's, so its optimum, and any bound CP-SAT
proves on it, is a lower bound of every programme's objective. `relaxation_bound` solves
it within a time box and returns that bound (None when a weight is negative: a rewarded
cost has no floor, or when it proves nothing).

`day_travel_bound`: with every activity's day fixed (the main stage's days), each group's
day is a small tour with time windows; its exact minimum travel (a CP-SAT solve per day)
bounds the travel of every programme with those days.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import threading
import time
import weakref
from dataclasses import dataclass
from functools import cached_property

from ortools.sat.python import cp_model

from .gaps import blocked, fixed_blocks, is_fixed, segments
from .languages import EXACT_LIMIT
from .model import Weights
from .prepare import Prepared, minutes_within


@dataclass(frozen=True)
class Relaxed:
    """The relaxation's answer: `bound` (a lower bound of every programme's objective),
    whether CP-SAT proved the relaxation's optimum (`proven`), and its best value."""

    bound: int
    proven: bool
    objective: int | None = None
    wall_s: float = 0.0


def weights_ok(w: Weights) -> bool:
    """Every weight >= 0: the terms left at 0 here are then at their least."""
    return all(getattr(w, f.name) >= 0 for f in dataclasses.fields(w))


def _span(ranges) -> tuple[int, int]:
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def fewest_interpreters(prep: Prepared, a) -> tuple[int, frozenset | None]:
    """The fewest interpreters `a` takes if placed, whatever its languages, and the pool they
    come from (None: any interpreter, when the languages are the solver's to choose).
    Simultaneous and whispered: a team per need (each target, and back when two-way);
    consecutive: one team for all (policy.team_size)."""
    if not a.languages or not prep.interpreted(a):
        return 0, None
    targets = prep.fewest_targets(a)
    if targets and len({lang for pf in prep.profiles(a) for lang in pf.follows}) > EXACT_LIMIT:
        targets = 1  # best_choice's cover is greedy there, not the fewest
    team = prep.team(a) if targets else None
    if not team:
        return 0, None
    count = team if a.interpretation_mode == "consecutive" else team * targets * (1 + a.two_way)
    if prep.has_choice(a):
        return count, None
    pool = frozenset(i for n in prep.needs(a) for i in prep.qualified(a, n))
    return count, pool


class Stopped(Exception):
    """The model's build ran past its time (or was told to stop)."""


class _Model:
    """The relaxation's CP-SAT model over a Prepared problem. `until` (perf_counter) and
    `stop` (a callable) end its build early (a season of thousands of activities)."""

    def __init__(self, prep: Prepared, weights: Weights, until: float | None = None, stop=None):
        self.prep, self.w = prep, weights
        self.until, self.stop = until, stop
        self.m = cp_model.CpModel()
        self.x: dict[int, dict[int, cp_model.IntVar]] = {}
        # activity -> day -> [(literal, earliest start, latest end)]: one per gap the
        # activity may take between its groups' fixed activities (gaps.py), else one.
        self.parts: dict[int, dict[int, list]] = {}
        self.blocks = fixed_blocks(prep, prep.domains)
        self.present: dict[int, object] = {}
        self.feasible = True
        self.travel = []
        self.day_travel: dict[int, list] = {}  # day -> its groups' tours
        days = sorted(prep.p.days, key=lambda d: d.start)
        self.order = {d.id: k for k, d in enumerate(days)}  # days in time order
        self._variables()
        if self.feasible:
            self._groups()
            self._hosts()
            self._venues()
            self._interpreters()
            self._orders()
            self._objective()

    def tick(self) -> None:
        if (self.until is not None and time.perf_counter() > self.until) or (
            self.stop is not None and self.stop()
        ):
            raise Stopped

    # -- variables ----------------------------------------------------------------------
    def _variables(self) -> None:
        prep, m = self.prep, self.m
        for a in prep.p.activities:
            days = prep.domains.get(a.id, {})
            lits = {d: m.new_bool_var(f"x{a.id}_{d}") for d in days}
            self.x[a.id] = lits
            if a.mandatory and not lits:
                self.feasible = False  # the pre-checks say so first; nothing to bound
                return
            if a.mandatory:
                m.add_exactly_one(lits.values())
                self.present[a.id] = 1
            else:
                if lits:
                    m.add_at_most_one(lits.values())
                self.present[a.id] = sum(lits.values())
            self.parts[a.id] = {did: self._gaps(a, did, lit) for did, lit in lits.items()}

    def _gaps(self, a, did: int, lit) -> list:
        """`a` on `did` as one literal per gap it may take (summing to `lit`)."""
        prep, m = self.prep, self.m
        ranges = prep.domains
        lo, hi = _span(ranges[a.id][did])
        if is_fixed(ranges, a.id) or not blocked(prep, self.blocks, a.id, did):
            return [(lit, lo, hi + a.duration)]
        segs = segments(prep, ranges, a.id, did, self.blocks)
        if not segs:
            m.add(lit == 0)
            return []
        if len(segs) == 1:
            return [(lit, segs[0][0], segs[0][1] + a.duration)]
        ys = [(m.new_bool_var(""), s0, s1 + a.duration) for s0, s1 in segs]
        m.add(sum(y for y, _s, _e in ys) == lit)
        return ys

    def _items(self, aids, did):
        """(activity, literal, earliest start, latest end) of `aids` possible on `did`, one
        per gap an activity may take."""
        return [(aid, *part) for aid in aids for part in self.parts[aid].get(did, ())]

    def _energy(self, items, day, extra=0, lodge=None, group=None) -> None:
        """The minutes of `items` inside every stretch [S, E] their start ranges confine
        them to (host half-days): at most its length; the whole day's with `extra` (the
        tour). For a group (`group`): with the legs between the distinct venues of the
        stretch (at least the shortest between two of them, one less than their number:
        triangle inequality) and, at the day's edges, the way out of `lodge` and back."""
        prep, m = self.prep, self.m
        starts = sorted({lo for _a, _l, lo, _e in items} | {day.start})
        ends = sorted({e for _a, _l, _lo, e in items} | {day.end})
        for k, (s, e) in enumerate(itertools.product(starts, ends)):
            if k % 64 == 0:
                self.tick()
            inside = [(aid, lit) for aid, lit, lo, hi in items if lo >= s and hi <= e]
            if not inside:
                continue
            whole = s == day.start and e == day.end
            expr = sum(prep.act[aid].duration * lit for aid, lit in inside)
            total = sum(prep.act[aid].duration for aid, _ in inside)
            if whole:
                m.add(expr + extra <= e - s)
                continue
            if group is None:
                if total > e - s:
                    m.add(expr <= e - s)
                continue
            if day.lunch_min and s <= day.lunch_start and day.lunch_end <= e:
                # The group's break lies in the stretch: nothing but a meal overlaps it.
                nonmeal = [(aid, lit) for aid, lit in inside if not prep.act[aid].meal]
                if sum(prep.act[aid].duration for aid, _ in nonmeal) > e - s - day.lunch_min:
                    m.add(
                        sum(prep.act[aid].duration * lit for aid, lit in nonmeal)
                        <= e - s - day.lunch_min
                    )
            venues = sorted({prep.act[aid].venue for aid, _ in inside})
            legs = [prep.t(u, v) for u in venues for v in venues if u != v]
            step = min(legs) if legs else 0
            out_ = min(prep.t(lodge, v) for v in venues) if s == day.start else 0
            back = min(prep.t(v, lodge) for v in venues) if e == day.end else 0
            if total + out_ + back <= e - s and (len(venues) < 2 or not step):
                continue
            if step and len(venues) > 1:
                seen = {}
                for aid, lit in inside:
                    v = prep.act[aid].venue
                    seen.setdefault(v, []).append(lit)
                count = []
                for lits in seen.values():
                    if len(lits) == 1:
                        count.append(lits[0])
                        continue
                    y = m.new_bool_var("")
                    for lit in lits:
                        m.add_implication(lit, y)
                    count.append(y)
                expr += step * (sum(count) - 1)
            if out_ + back:
                y = m.new_bool_var("")
                for _aid, lit in inside:
                    m.add_implication(lit, y)
                expr += (out_ + back) * y
            m.add(expr <= e - s)

    # -- groups: tours and minutes -----------------------------------------------------
    def _groups(self) -> None:
        prep = self.prep
        for g in prep.p.groups:
            aids = prep.acts_by_group.get(g.id, [])
            for day in prep.p.days:
                self.tick()
                items = self._items(aids, day.id)
                if not items:
                    continue
                lodge = g.lodging_on(day.id)
                travel, legs = self._tour(g.id, lodge, day, items)
                self._energy(items, day, extra=travel, lodge=lodge, group=g.id)
                if day.lunch_min > 0:
                    self._lunch(items, day, travel, legs)

    def _tour(self, gid, lodge, day, items):
        """The group's day as a circuit over the venues it visits (the lodging as depot, or
        a free depot without lodging legs); its minutes."""
        prep, m = self.prep, self.m
        by_venue: dict[int, list] = {}
        for aid, lit, _lo, _hi in items:
            by_venue.setdefault(prep.act[aid].venue, []).append(lit)
        venues = sorted(v for v in by_venue if v != lodge)
        ends = [lodge] if lodge is not None else []
        if not any(prep.t(u, v) for u in venues + ends for v in venues + ends if u != v):
            return 0, []  # one building (a forum's rooms): no tour to state
        visit = {}
        for v in venues:
            lits = by_venue[v]
            if len(lits) == 1:
                visit[v] = lits[0]
                continue
            y = m.new_bool_var(f"v{gid}_{day.id}_{v}")
            for lit in lits:
                m.add_implication(lit, y)
            m.add_bool_or(lits).only_enforce_if(y)
            visit[v] = y
        used = m.new_bool_var(f"u{gid}_{day.id}")
        m.add_bool_or(list(visit.values())).only_enforce_if(used)
        for y in visit.values():
            m.add_implication(y, used)
        node = {v: k + 1 for k, v in enumerate(venues)}
        arcs, cost = [(0, 0, used.Not())], []
        for v in venues:
            arcs.append((node[v], node[v], visit[v].Not()))
            out_ = m.new_bool_var("")
            in_ = m.new_bool_var("")
            arcs += [(0, node[v], out_), (node[v], 0, in_)]
            if lodge is not None:
                cost += [(out_, prep.t(lodge, v)), (in_, prep.t(v, lodge))]
        for k, (u, v) in enumerate(itertools.permutations(venues, 2)):
            if k % 1024 == 0:
                self.tick()
            arc = m.new_bool_var("")
            arcs.append((node[u], node[v], arc))
            cost.append((arc, prep.t(u, v)))
        m.add_circuit(arcs)
        travel = sum(c * lit for lit, c in cost if c)
        self.travel.append(travel)
        self.day_travel.setdefault(day.id, []).append(travel)
        return travel, [(lit, c) for lit, c in cost if c]

    def _lunch(self, items, day, travel, legs) -> None:
        """The lunch break overlaps no non-meal activity; travel may overlap it, but only
        one leg can (the one between the last activity before it and the first after). So
        the day holds the activities, the tour and the break less that leg's part of it:
        one leg of the tour chosen as the one under the break (`under`)."""
        prep, m = self.prep, self.m
        length = day.end - day.start
        nonmeal = [(aid, lit) for aid, lit, _lo, _hi in items if not prep.act[aid].meal]
        if not nonmeal:
            return
        dur = sum(prep.act[aid].duration * lit for aid, lit in nonmeal)
        m.add(dur + day.lunch_min <= length)
        if len(nonmeal) < len(items):
            return  # a meal may hold the break: its minutes count once
        under = []
        for lit, c in legs:
            w = m.new_bool_var("")
            m.add_implication(w, lit)
            under.append((w, min(c, day.lunch_min)))
        overlap = sum(c * w for w, c in under) if under else 0
        if under:
            m.add_at_most_one(w for w, _c in under)
        m.add(dur + travel + day.lunch_min - overlap <= length)

    # -- hosts and exclusive venues ------------------------------------------------------
    def _hosts(self) -> None:
        prep = self.prep
        by_host: dict[int, list[int]] = {}
        for a in prep.p.activities:
            for hid in a.hosts:
                if hid in prep.host:
                    by_host.setdefault(hid, []).append(a.id)
        for aids in by_host.values():
            self.tick()
            for day in prep.p.days:
                items = self._items(aids, day.id)
                if len(items) > 1:
                    self._energy(items, day)

    def _venues(self) -> None:
        prep = self.prep
        for v in prep.p.venues:
            if not v.exclusive:
                continue
            aids = [a.id for a in prep.p.activities if a.venue == v.id]
            for day in prep.p.days:
                items = self._items(aids, day.id)
                if len(items) > 1:
                    self._energy(items, day)

    # -- interpreters --------------------------------------------------------------------
    def _interpreters(self) -> None:
        """Per day, the interpreted minutes of the placed activities, each with its fewest
        interpreters (language choices included), within the daily caps of the interpreters
        able to render them: for every set K of interpreters (each one alone, each
        activity's pool, all), the members an activity must take from K (its fewest less
        those of its pool outside K) times its minutes, summed, at most K's caps that day.
        S-2: two interpreters, a team of two for every consecutive visit, so a day holds 360
        interpreted minutes; without this the relaxation put 390 on one day."""
        prep, m = self.prep, self.m
        everyone = frozenset(i.id for i in prep.p.interpreters)
        need = {}
        for a in prep.p.activities:
            if self.x.get(a.id):
                count, pool = fewest_interpreters(prep, a)
                if count:
                    need[a.id] = (count, pool or everyone)
        if not need:
            return
        sets = {everyone} | {frozenset({i}) for i in everyone} | {p for _c, p in need.values()}
        for day in prep.p.days:
            self.tick()
            hours = {i: minutes_within(prep.interp_windows(i), day) for i in everyone}
            for k in sets:
                cap = sum(min(prep.daily_cap(i), hours[i]) for i in k)
                terms = []
                for aid, (count, pool) in need.items():
                    lit = self.x[aid].get(day.id)
                    from_k = count - len(pool - k)
                    if lit is not None and from_k > 0:
                        terms.append((from_k * prep.interpreted(prep.act[aid], day.id), lit))
                if sum(c for c, _l in terms) > cap:
                    m.add(sum(c * lit for c, lit in terms) <= cap)

    # -- orders --------------------------------------------------------------------------
    def _day(self, aid: int):
        """The index of the day `aid` is on (0 when left out)."""
        return sum(self.order[did] * lit for did, lit in self.x.get(aid, {}).items())

    def _day_order(self, before: int, after: int) -> None:
        """If both are placed, `before` is on a day no later than `after`'s."""
        xb, xa = self.x.get(before, {}), self.x.get(after, {})
        for did, lit in xa.items():
            later = [x for e, x in xb.items() if self.order[e] > self.order[did]]
            if later:
                self.m.add(lit + sum(later) <= 1)

    def _orders(self) -> None:
        prep, m = self.prep, self.m
        for pr in prep.p.precedences:
            if pr.before in self.x and pr.after in self.x:
                self._day_order(pr.before, pr.after)
        last = len(self.order) - 1
        for g in prep.p.groups:
            by_phase: dict[int, list[int]] = {}
            for aid in prep.acts_by_group.get(g.id, []):
                ph = prep.act[aid].phase
                if ph is not None and self.x.get(aid):
                    by_phase.setdefault(ph, []).append(aid)
            # A chain of "latest day of the phases so far": each placed activity of the
            # next phase is on that day or later.
            upto = None
            for k, nxt in itertools.pairwise(sorted(by_phase)):
                e = m.new_int_var(0, last, "")
                for aid in by_phase[k]:
                    m.add(e >= self._day(aid))
                if upto is not None:
                    m.add(e >= upto)
                for bid in by_phase[nxt]:
                    m.add(self._day(bid) >= e - last * (1 - self.present[bid]))
                upto = e

    # -- objective -----------------------------------------------------------------------
    def _objective(self) -> None:
        self.m.minimize(self.main + self.w.travel * sum(self.travel))

    @cached_property
    def main(self):
        """Every term but travel (the lexicographic main pass's objective), at most the
        programme's: the value, balance and the preferred-window misses."""
        prep, m, w = self.prep, self.m, self.w
        acts = prep.p.activities
        value = sum(a.value * self.present[a.id] for a in acts if not a.mandatory and a.value)
        expr = -w.value * value
        days = prep.p.days
        if w.balance and len(days) > 1:
            loads = [
                sum(a.duration * self.x[a.id][d.id] for a in acts if d.id in self.x[a.id])
                for d in days
            ]
            horizon = sum(a.duration for a in acts)
            hi, lo = m.new_int_var(0, horizon, "hi"), m.new_int_var(0, horizon, "lo")
            for load in loads:
                m.add(hi >= load)
                m.add(lo <= load)
            expr += w.balance * (hi - lo)
        if w.preferred:
            expr += w.preferred * self._misses()
        return expr

    def _misses(self):
        """(activity, host) pairs whose every start of that day is outside the host's
        preferred windows: the model's `preferred` term counts them whenever placed so."""
        prep, out = self.prep, 0
        for a in prep.p.activities:
            for hid in a.hosts:
                h = prep.host.get(hid)
                if h is None or not any(x.preferred for x in h.windows):
                    continue
                pref = prep.window_ranges(prep.host_preferred(hid), a.duration)
                for did, lit in self.x[a.id].items():
                    ranges = prep.domains[a.id][did]
                    if not any(lo <= phi and plo <= hi for lo, hi in ranges for plo, phi in pref):
                        out += lit
        return out


# Bounds proven during a solve, by the solve's Prepared and the weights: what
# scoring.problem_bound reports with the problem's own bound.
_KNOWN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def remember(prep: Prepared, weights: Weights, bound: int) -> None:
    known = _KNOWN.setdefault(prep, {})
    known[weights] = max(bound, known.get(weights, bound))


def known(prep: Prepared | None, weights: Weights) -> int | None:
    """The best relaxation bound proven for `prep` with `weights` (None: none yet)."""
    if prep is None:
        return None
    return _KNOWN.get(prep, {}).get(weights)


def _solver(time_limit_s: float, workers: int, deterministic: bool = False) -> cp_model.CpSolver:
    """One worker with the whole linear relaxation at every node (the circuits' and the
    knapsacks' cuts, none of them lazy): on M the root bound alone is -5060 against -6829
    with CP-SAT's defaults, and the multi-worker portfolio's bound stayed near the latter."""
    solver = cp_model.CpSolver()
    sp = solver.parameters
    sp.num_workers = workers
    sp.linearization_level = 2
    sp.add_lp_constraints_lazily = False
    sp.max_time_in_seconds = max(0.01, time_limit_s)
    if deterministic:  # a test's solve: repeatable whatever the load (search.configure)
        sp.interleave_search = True
        sp.max_deterministic_time = max(0.01, time_limit_s)
        sp.max_time_in_seconds = max(60.0, 20 * time_limit_s)
    return solver


def _solve(solver: cp_model.CpSolver, model: _Model, t0: float) -> Relaxed | None:
    """Solve and read the bound. Only a bound CP-SAT reported is one: stopped before its
    presolve ends, its `best_objective_bound` is 0 (M-0 stopped at 0.2 s: 0.0, against an
    optimum near -3600), which would claim every programme scores at most the reachable."""
    seen: list[float] = []
    solver.best_bound_callback = seen.append
    code = solver.solve(model.m)
    if code == cp_model.INFEASIBLE:
        return None  # no programme at all: the bounds reported on the way bound nothing
    if code == cp_model.OPTIMAL:
        bound = solver.objective_value
    elif seen:
        bound = max(seen)  # the bounds are reported as they rise
    else:
        return None  # infeasible (the solve says so by other means), invalid, or no bound
    if not math.isfinite(bound):
        return None
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return Relaxed(
        math.ceil(round(bound, 6)),  # the objective is an integer: any bound rounds up
        code == cp_model.OPTIMAL,
        round(solver.objective_value) if found else None,
        time.perf_counter() - t0,
    )


def _hint(model: _Model, days: dict[int, int] | None) -> None:
    for aid, lits in model.x.items():
        for did, lit in lits.items():
            model.m.add_hint(lit, days is not None and days.get(aid) == did)


def relaxation_bound(
    prep: Prepared,
    weights: Weights,
    time_limit_s: float,
    workers: int = 1,
    days: dict[int, int] | None = None,
) -> Relaxed | None:
    """The relaxation's optimum (or CP-SAT's proven bound on it within `time_limit_s`): a
    lower bound of every programme's objective with these weights. `days` (activity ->
    day of a programme) is a hint. None when a weight is negative, or when the relaxation
    proved nothing (no bound in time, or infeasible)."""
    if not weights_ok(weights) or time_limit_s <= 0:
        return None
    t0 = time.perf_counter()
    try:
        model = _Model(prep, weights, until=t0 + time_limit_s)
    except Stopped:
        return None
    if not model.feasible:
        return None
    if days:
        _hint(model, days)
    solver = _solver(time_limit_s - (time.perf_counter() - t0), workers)
    return _solve(solver, model, t0)


@dataclass(frozen=True)
class TravelFloor:
    """The fewest travel minutes of a programme whose other terms sum to at most the main
    pass's proven optimum: `bound` (CP-SAT's on the relaxation), `proven` when it is the
    relaxation's optimum, and `days` (activity -> day) of the relaxation's best solution,
    the activities it leaves out absent (None: no solution in time)."""

    bound: int
    proven: bool
    days: dict[int, int] | None
    day_minutes: dict[int, int] = dataclasses.field(default_factory=dict)  # its tours' minutes


class Floor:
    """The lexicographic travel pass's floor: the relaxation with its other terms at most
    `main_best` (every programme at the main optimum has its own terms there, and the
    relaxation's are at most a programme's), travel minimised. With the interpreters' daily
    minutes stated it is the travel pass's optimum on S-0, S-1 and S-2 (585, 590, 945
    minutes), found in 0.1-1.8 s, where the pass took 2-9 s to prove it. `forbid` and
    `at_least` add what a day of the whole model says of a set of activities on it (floor.py)
    before the next `solve`. Raises Stopped if its build runs past `until`."""

    def __init__(self, prep: Prepared, weights: Weights, main_best: int, until: float, stop=None):
        self._lock = threading.Lock()
        self._solver: cp_model.CpSolver | None = None
        self._interrupted = False
        self.model = _Model(prep, weights, until=until, stop=stop)
        # day -> the minutes its programme travels beyond the venues' tour (`at_least`: the
        # tour visits each venue once, a day may come back to one)
        self.detour: dict[int, cp_model.IntVar] = {}
        if self.model.feasible:
            self.model.m.add(self.model.main <= main_best)
            self.model.m.minimize(sum(self.model.travel))

    def interrupt(self) -> None:
        """Stop the solve under way (from another thread) and any later one."""
        with self._lock:
            self._interrupted = True
            if self._solver is not None:
                self._solver.stop_search()

    def forbid(self, day_id: int, aids) -> None:
        """Not all of `aids` on that day."""
        lits = [self.model.x[a][day_id] for a in aids]
        self.model.m.add(sum(lits) <= len(lits) - 1)

    def at_least(self, day_id: int, aids, minutes: int) -> None:
        """With all of `aids` on that day, its tours take at least `minutes`."""
        m = self.model.m
        if day_id not in self.detour:
            d, groups = self.model.prep.day[day_id], len(self.model.prep.p.groups)
            self.detour[day_id] = m.new_int_var(0, (d.end - d.start) * groups, "")
            m.minimize(sum(self.model.travel) + sum(self.detour.values()))
        detour = self.detour[day_id]
        on = sum(self.model.x[a][day_id] for a in aids) - (len(aids) - 1)
        m.add(sum(self.model.day_travel.get(day_id, [])) + detour >= minutes * on)

    def solve(
        self,
        seconds: float,
        workers: int = 2,
        days: dict[int, int] | None = None,
        deterministic: bool = False,
    ) -> TravelFloor | None:
        """The floor within `seconds` (None: no bound in time). `days` hints a programme's."""
        model = self.model
        if not model.feasible or seconds <= 0:
            return None
        t0 = time.perf_counter()
        model.m.clear_hints()
        if days:
            _hint(model, days)
        solver = _solver(seconds, workers, deterministic)
        # Probing at level 1 (not 2): on one worker over S-0..S-13 the floors that end within
        # 30 % of a 10 s limit end sooner (S-0 0.63 -> 0.31 s, S-1 1.84 -> 0.97, S-6 1.95 ->
        # 1.15, S-11 2.18 -> 0.91); the solve proves S-1 in 1.46-1.47 s (once 2.65) against
        # 1.75-1.84 s.
        solver.parameters.cp_model_probing_level = 1
        with self._lock:
            if self._interrupted:
                return None
            self._solver = solver
        relaxed = _solve(solver, model, t0)
        if relaxed is None:
            return None
        if relaxed.objective is None:
            return TravelFloor(relaxed.bound, relaxed.proven, None)
        found = {
            aid: did
            for aid, lits in model.x.items()
            for did, lit in lits.items()
            if solver.boolean_value(lit)
        }
        minutes = {
            did: round(sum(solver.value(t) for t in ts))
            + (solver.value(self.detour[did]) if did in self.detour else 0)
            for did, ts in model.day_travel.items()
        }
        return TravelFloor(relaxed.bound, relaxed.proven, found, minutes)


class InBackground:
    """`relaxation_bound` in a thread until `until` (time.perf_counter()), while the solve
    goes on (the day neighbourhoods use one worker: the other core does this). `result()`
    stops it and returns its bound so far."""

    def __init__(self, prep: Prepared, weights: Weights, until: float, days=None):
        self.prep, self.weights, self.until, self.days = prep, weights, until, days
        self._lock = threading.Lock()
        self._stopped = False
        self._solver = None
        self._result: Relaxed | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        t0 = time.perf_counter()
        if not weights_ok(self.weights):
            return
        try:
            model = _Model(self.prep, self.weights, self.until, lambda: self._stopped)
        except Stopped:
            return  # its time went by while it was built: no bound (a season's model)
        if not model.feasible:
            return
        if self.days:
            _hint(model, self.days)
        solver = _solver(self.until - time.perf_counter(), 1)
        with self._lock:
            if self._stopped or time.perf_counter() >= self.until:
                return
            self._solver = solver
        self._result = _solve(solver, model, t0)

    def result(self, wait: float | None = None) -> Relaxed | None:
        with self._lock:
            self._stopped = True
            if self._solver is not None:
                self._solver.stop_search()
        self._thread.join(wait)
        return self._result
