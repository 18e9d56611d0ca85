"""Insertion by regret: a first programme from the prepared problem alone (issue 18 part 3).

The greedy (greedy.py) places activities in a fixed order (mandatory by value and length)
at their earliest fit: an activity that may go on any day takes the only day another one
could have, and on a season of visits (XL 3,000) it left 49-77 mandatory activities out,
whose insertion then needed the whole CP-SAT model (9-20 s to build). This works on the
`Prepared` data and the greedy's bookings only, before (or without) any model:

- tiers as the greedy's: the welcome first, pinned starts, the mandatory activities, the
  optional ones, the closing last;
- within a tier, the most constrained activity first: the fewest days it can still take
  place on, then the fewest feasible starts, then the largest regret (the cost of its best
  day's insertion minus that of its second best day: what waiting would cost);
  an optional one by value per minute it takes (its duration plus the travel it adds);
- an insertion goes into a gap of the audience's day as it is (nothing placed moves), at
  the earliest fit of that gap; its cost is the travel it adds (weighted, plus the minutes
  themselves: time is what the next activity needs), a host's preferred window missed,
  lateness and the balance of the days;
- each activity's options are kept per day and only recomputed for the day that changed
  and the activities sharing an audience, a host, a room or a precedence with the one just
  placed; the interpreters (shared widely) are checked again when an option is taken.

A mandatory activity with no place left is then inserted by ejection: the optional
activities in its way on one of its days are taken out, it goes in, and they go back where
they still fit (`eject_and_insert`). What is still out is what the caller completes
(insert.py) or reports.
"""

from __future__ import annotations

import heapq
import time

from . import languages
from .deadline import OutOfTime
from .greedy import _Booked, _candidates, _try
from .model import ProgrammeResult, SolveStatus, Weights
from .validate import validate

BIG = 10**9
# Optional activities of one audience beyond this number are appended to the days' ends
# instead of inserted by regret (append_tier): TOPTW pr10's 288 took 2-6 s by regret,
# pr02's 96 0.2-0.7 s (routing's first solution: 0.02-0.08 s).
APPEND_OVER = 40
# Seconds the first programme's ejections may take before CP-SAT insertion (insert.py)
# completes it instead (M-2: 2 s for 4 left out all the same).
COMPLETE_S = 0.5
# Starts of the missing activity tried per set of activities moved out of its way.
OPTIONS = 6


class Regret:
    """The construction's state: the greedy's bookings plus each activity's best option
    per day."""

    def __init__(self, prep, weights: Weights | None = None, seed=None, deadline=None):
        self.prep = prep
        self.w = weights or prep.params.weights
        self.deadline = deadline
        self.until: float | None = None  # end of complete()'s budget (perf_counter)
        self.booked = _Booked(prep)
        if seed is not None:
            self.booked.keep(seed)
        self.load = {d.id: 0 for d in prep.p.days}  # booked minutes per day (balance)
        for aid, pl in self.booked.placed.items():
            self.load[pl.day] += prep.act[aid].duration
        self.options: dict[int, dict[int, tuple]] = {}  # aid -> day -> (cost, start, n)
        self.version: dict[int, int] = {}
        self.full: dict[int, int] = {}  # aid -> version of its last evaluation of every day
        self._index()

    # ---- who shares what -----------------------------------------------------------------
    def _index(self) -> None:
        prep = self.prep
        self.by_host: dict[int, list[int]] = {}
        self.by_room: dict[int, list[int]] = {}
        self.partners: dict[int, set[int]] = {}
        for a in prep.p.activities:
            for h in a.hosts:
                self.by_host.setdefault(h, []).append(a.id)
            if prep.venue.get(a.venue) is not None and prep.venue[a.venue].exclusive:
                self.by_room.setdefault(a.venue, []).append(a.id)
        self.preds: dict[int, set[int]] = {}
        # (other, gap) pairs: what must start after this one ends, and before it starts.
        self.succ_gap: dict[int, list] = {}
        self.pred_gap: dict[int, list] = {}
        for pr in prep.p.precedences:
            self.preds.setdefault(pr.after, set()).add(pr.before)
            self.partners.setdefault(pr.before, set()).add(pr.after)
            self.succ_gap.setdefault(pr.before, []).append((pr.after, pr.min_gap))
            self.pred_gap.setdefault(pr.after, []).append((pr.before, pr.min_gap))
            self.partners.setdefault(pr.after, set()).add(pr.before)
        # Each activity's earliest and latest start over all its days.
        doms = prep.domains.items()
        self.lo = {a: min(r[0][0] for r in ds.values()) for a, ds in doms if ds}
        self.hi = {a: max(r[-1][1] for r in ds.values()) for a, ds in doms if ds}

    def neighbours(self, a) -> set[int]:
        prep, out = self.prep, set()
        for g in prep.groups_of(a):
            out.update(prep.acts_by_group.get(g, ()))
        for h in a.hosts:
            out.update(self.by_host.get(h, ()))
        out.update(self.by_room.get(a.venue, ()))
        out.update(self.partners.get(a.id, ()))
        if a.phase is not None or a.place_in_visit:
            out.update(x.id for x in prep.p.activities if x.phase is not None or x.place_in_visit)
        out.discard(a.id)
        return out

    # ---- options -------------------------------------------------------------------------
    def _args(self):
        b = self.booked
        return b.groups, b.hosts, b.rooms, b.interp

    def day_option(self, a, d):
        """(cost, start, feasible gaps) of `a`'s best insertion on day `d`, or None."""
        opts = self.day_options(a, d)
        return (*opts[0], len(opts)) if opts else None

    def day_options(self, a, d) -> list[tuple[int, int]]:
        """[(cost, start)] of `a`'s insertions on day `d`, the earliest fit of each gap of its
        audience's day (and its previous start), the cheapest first."""
        prep = self.prep
        ranges = prep.domains[a.id].get(d.id)
        if not ranges:
            return []
        args, placed = self._args(), self.booked.placed
        groups = prep.groups_of(a)
        out, gaps = [], set()
        prev = prep.prev.get(a.id)
        # A re-plan: its previous start first (staying costs no move).
        first = [prev.start] if prev is not None and prev.day == d.id else []
        for lo, hi in ranges:
            for s in [
                *(x for x in first if lo <= x <= hi),
                *_candidates(prep, a, d, lo, hi, *args, lean=True),
            ]:
                gap = tuple(_before(self.booked.groups.get((g, d.id), ()), s) for g in groups)
                if gap in gaps:
                    continue  # the earliest fit of this gap is known
                if not self._leaves_room(a, s) or _try(prep, a, d, s, *args, placed) is None:
                    continue
                gaps.add(gap)
                out.append((self.cost(a, d, s), s))
        out.sort()
        return out

    def spread_options(self, a, d, n: int) -> list[tuple[int, int]]:
        """Up to `n` feasible starts of `a` on day `d`, every grid start considered and the
        chosen ones spread over the day (a gap's earliest fit alone may take the place that
        what was moved needs: M-1's activity 17 fits only between two it swaps), the
        cheapest first."""
        prep = self.prep
        args, placed, step = self._args(), self.booked.placed, max(prep.grid, 5)
        ok = [
            s
            for lo, hi in prep.domains[a.id].get(d.id, ())
            for s in range(lo, hi + 1, step if lo < hi else 1)
            if self._leaves_room(a, s) and _try(prep, a, d, s, *args, placed) is not None
        ]
        if len(ok) > n:
            ok = [ok[round(k * (len(ok) - 1) / (n - 1))] for k in range(n)] if n > 1 else ok[:1]
        return sorted((self.cost(a, d, s), s) for s in dict.fromkeys(ok))

    def _leaves_room(self, a, s) -> bool:
        """Whether a start at `s` leaves the precedences' partners not yet placed a start
        they can take: what comes after must still start by its latest, what comes
        before must be able to end in time."""
        placed, act = self.booked.placed, self.prep.act
        e = s + a.duration
        # Only the mandatory partners: an optional one may stay out (the precedence then
        # does not apply).
        for b, gap in self.succ_gap.get(a.id, ()):
            if b not in placed and act[b].mandatory and b in self.hi and e + gap > self.hi[b]:
                return False
        for b, gap in self.pred_gap.get(a.id, ()):
            if (
                b not in placed
                and act[b].mandatory
                and b in self.lo
                and self.lo[b] + act[b].duration + gap > s
            ):
                return False
        return True

    def evaluate(self, a, days=None) -> None:
        opts = self.options.setdefault(a.id, {})
        for d in self.prep.p.days if days is None else days:
            if d.id not in self.prep.domains[a.id]:
                continue
            o = self.day_option(a, d)
            if o is None:
                opts.pop(d.id, None)
            else:
                opts[d.id] = o
        self.version[a.id] = self.version.get(a.id, 0) + 1

    def cost(self, a, d, s) -> int:
        prep, w = self.prep, self.w
        detour = 0
        for g in prep.groups_of(a):
            seq = self.booked.groups.get((g, d.id), ())
            home = prep.lodging(g, d.id)
            k = _before(seq, s)
            prev = seq[k - 1][2] if k > 0 else home
            nxt = seq[k][2] if k < len(seq) else home
            detour += prep.t(prev, a.venue) + prep.t(a.venue, nxt) - prep.t(prev, nxt)
        c = (w.travel + 1) * detour
        prev = prep.prev.get(a.id)
        if prev is not None and prev.start != s:
            c += w.moves
        e = s + a.duration
        for hid in a.hosts:
            h = prep.host.get(hid)
            if (
                h is not None
                and any(x.preferred for x in h.windows)
                and not any(x.start <= s and e <= x.end for x in prep.host_preferred(hid))
            ):
                c += w.preferred
        if d.soft_end is not None and e > d.soft_end:
            c += w.late * (e - d.soft_end)
        if len(self.load) > 1:
            loads = dict(self.load)
            before = max(loads.values()) - min(loads.values())
            loads[d.id] += a.duration
            c += w.balance * (max(loads.values()) - min(loads.values()) - before)
        return c

    def key(self, a) -> tuple:
        opts = self.options.get(a.id, {})
        costs = sorted(o[0] for o in opts.values())
        n_days, n_starts = len(costs), sum(o[2] for o in opts.values())
        regret = costs[1] - costs[0] if len(costs) > 1 else BIG
        # After what must come before it (else its earliest fit takes their place).
        waits = any(b not in self.booked.placed for b in self.preds.get(a.id, ()))
        if a.mandatory:
            return (n_days == 0, waits, n_days, n_starts, -regret, -a.duration, a.id)
        if not costs:
            return (True, waits, 0, 0, 0, 0, a.id)
        ratio = (a.value + 1) / (a.duration + max(costs[0], 0) + 1)
        return (False, waits, -ratio, n_days, -regret, -a.duration, a.id)

    def best(self, a):
        opts = self.options.get(a.id, {})
        if not opts:
            return None
        did, (_c, s, _n) = min(opts.items(), key=lambda kv: (kv[1][0], kv[1][1]))
        return did, s

    # ---- placing -------------------------------------------------------------------------
    def commit(self, a, did, s, team) -> None:
        self.booked.commit(a, self.prep.day[did], s, team)
        self.load[did] += a.duration

    def place_tier(self, acts) -> list[int]:
        """Place `acts` by regret; the ids left out."""
        prep = self.prep
        todo = {a.id for a in acts if a.id not in self.booked.placed}
        heap = []
        for aid in todo:
            a = prep.act[aid]
            self.evaluate(a)
            heapq.heappush(heap, (self.key(a), self.version[aid], aid))
        out = []
        k = 0
        while heap:
            k += 1
            if self.deadline is not None and k % 64 == 0:
                self.deadline.check("construction")
            _key, ver, aid = heapq.heappop(heap)
            if aid in self.booked.placed or ver != self.version[aid]:
                continue
            a = prep.act[aid]
            choice = self.best(a)
            if choice is None and self.full.get(aid) != ver:
                # Options are not monotone (a start point appears after something placed):
                # every day again before it is left out.
                self.evaluate(a)
                self.full[aid] = self.version[aid]
                heapq.heappush(heap, (self.key(a), self.version[aid], aid))
                continue
            if choice is None:
                out.append(aid)
                continue
            did, s = choice
            d = prep.day[did]
            team = _try(prep, a, d, s, *self._args(), self.booked.placed)
            if team is None:  # stale (an interpreter or another audience took it)
                self.evaluate(a)
                heapq.heappush(heap, (self.key(a), self.version[aid], aid))
                continue
            self.commit(a, did, s, team)
            todo.discard(aid)
            for bid in self.neighbours(a) & todo:
                b = prep.act[bid]
                self.evaluate(b, [d])
                heapq.heappush(heap, (self.key(b), self.version[bid], bid))
        return out

    def uncommit(self, aid) -> tuple:
        did, s, team = self.booked.uncommit(aid)
        self.load[did] -= self.prep.act[aid].duration
        return did, s, team

    def eject_and_insert(self, aid, mandatory_too=False, whole=0) -> bool:
        """Insert `aid` on one of its days by taking out what shares its audience, a host, a
        room or a precedence there (the optional ones only, unless `mandatory_too`), then
        putting those back where they fit; every mandatory one must go back, else the day is
        restored as it was. True if `aid` went in."""
        prep = self.prep
        a = prep.act[aid]
        share = self.neighbours(a)
        order = sorted(prep.domains[aid], key=lambda x: (self.load[x], x))
        plans = [(did, {did}) for did in order]
        if whole == 2:
            # Its day and another: what is on both may trade places.
            plans = [(did, {did, e.id}) for did in order for e in prep.p.days if e.id != did]
        for did, days in plans:
            if self.deadline is not None:
                self.deadline.check("construction")
            if self._spent():
                return False
            d = prep.day[did]
            victims = [
                b
                for b, pl in self.booked.placed.items()
                if pl.day in days
                and (whole or b in share)
                and prep.pinned_start(prep.act[b]) is None
                and (mandatory_too or not prep.act[b].mandatory)
            ]
            if not victims:
                continue
            saved = {b: self.uncommit(b) for b in victims}
            if self.day_option(a, d) is not None:
                # All of them again by regret, the most constrained first (the one that
                # was missing is not necessarily that one).
                out = []
                for tier in tiers(prep, [a, *(prep.act[b] for b in victims)]):
                    out += self.place_tier(tier)
                if not any(prep.act[b].mandatory for b in out):
                    return True
                for b in [aid, *victims]:
                    if b in self.booked.placed:
                        self.uncommit(b)
            for b, (bd, bs, bteam) in saved.items():
                self.commit(prep.act[b], bd, bs, bteam)
        return False

    def move_one(self, aid, pairs=False, depth=1, frozen=frozenset()) -> bool:
        """Insert `aid` by moving one activity in its way (or two, with `pairs`) elsewhere:
        one on a day `aid` can take, sharing its audience or a host, or an interpreter
        when `aid` needs one; the optional ones first. True if `aid` went in."""
        prep = self.prep
        a = prep.act[aid]
        share = self.neighbours(a)
        pool = None
        if prep.needs(a):
            pool = {i for n in prep.needs(a) for i in prep.qualified(a, n)}
            team_of: dict[int, set] = {}
            for x in self.booked.assignments:
                team_of.setdefault(x.activity, set()).add(x.interpreter)
        days = [d for d in prep.domains[aid]]
        for did in sorted(days, key=lambda x: (self.load[x], x)):
            d = prep.day[did]
            cand = [
                b
                for b, pl in self.booked.placed.items()
                if pl.day == did
                and b not in frozen
                and prep.pinned_start(prep.act[b]) is None
                and (b in share or (pool is not None and team_of.get(b, set()) & pool))
            ]
            cand.sort(key=lambda b: (prep.act[b].mandatory, -prep.act[b].duration, b))
            sets = [(b,) for b in cand]
            if pairs:
                sets = [(b, c) for i, b in enumerate(cand) for c in cand[i + 1 :]]
            for victims in sets:
                if self.deadline is not None:
                    self.deadline.check("construction")
                if self._spent():
                    return False
                saved = {b: self.uncommit(b) for b in victims}
                # Each of its starts there: the cheapest may take the one place left to
                # what was moved.
                for _c, s in self.spread_options(a, d, OPTIONS if depth else 2):
                    team = _try(prep, a, d, s, *self._args(), self.booked.placed)
                    self.commit(a, did, s, team)
                    out = self.place_tier([prep.act[b] for b in victims])
                    out = [b for b in out if prep.act[b].mandatory]
                    if not out:
                        return True
                    if depth and len(out) == 1:
                        # An ejection chain: what was moved out makes room for itself.
                        keep = frozen | {aid, *victims}
                        if self.move_one(out[0], depth=depth - 1, frozen=keep):
                            return True
                    self.uncommit(aid)
                    for b in victims:
                        if b in self.booked.placed:
                            self.uncommit(b)
                for b, (bd, bs, bteam) in saved.items():
                    self.commit(prep.act[b], bd, bs, bteam)
        return False

    def _spent(self) -> bool:
        """complete()'s budget is over: checked inside the ejections too (between them only,
        M-1's decline 3 at 2 s ran its 1 s budget to the solve's deadline)."""
        return self.until is not None and time.perf_counter() > self.until

    def complete(self, missing, budget_s: float | None = None) -> list[int]:
        """Insert each missing mandatory activity by moving what is in its way: one
        activity, then the optional ones of a day, then two activities, then every one of a
        day that shares something with it; what is still missing (all that is left once
        `budget_s` seconds have passed: CP-SAT insertion takes over)."""
        still = []
        end = None if budget_s is None else time.perf_counter() + budget_s
        self.until = end
        for aid in missing:
            if aid in self.booked.placed:
                continue
            if end is not None and time.perf_counter() > end:
                still.append(aid)
                continue
            tries = (
                (self.move_one, {}),
                (self.eject_and_insert, {}),
                (self.move_one, {"pairs": True}),
                (self.eject_and_insert, {"mandatory_too": True}),
                (self.eject_and_insert, {"mandatory_too": True, "whole": 1}),
                (self.eject_and_insert, {"mandatory_too": True, "whole": 2}),
            )
            if not any(
                (end is None or time.perf_counter() <= end) and attempt(aid, **kw)
                for attempt, kw in tries
            ):
                still.append(aid)
        self.until = None
        return still

    def end_of(self, a, d, ends=None) -> tuple[int, int]:
        """(when `a`'s audience is free at the end of its day `d` so far, the earliest start
        of `a` after that, travel included); `ends` caches each group's (end, venue)."""
        prep = self.prep
        free = arrive = d.start
        for g in prep.groups_of(a):
            end = None if ends is None else ends.get(g)
            if end is None:
                seq = self.booked.groups.get((g, d.id))
                if seq:
                    last = max(seq, key=lambda x: x[1])
                    end = (last[1], last[2])
                else:
                    end = (d.start, prep.lodging(g, d.id))
                if ends is not None:
                    ends[g] = end
            free = max(free, end[0])
            arrive = max(arrive, end[0] + prep.t(end[1], a.venue))
        return free, arrive

    def append_tier(self, acts) -> list[int]:
        """Optional activities appended to the ends of the days, as routing's
        path-cheapest-arc with the value: each day in turn, the activity worth the most per
        minute it adds there (travel and waiting included) until none fits. Linear in the
        activities per step where regret re-evaluates each day's options (TOPTW pr10: 288
        visits of one tour). The ids left out."""
        prep, grid = self.prep, self.prep.grid
        todo = {a.id for a in acts if a.id not in self.booked.placed}
        args = self._args()
        k = 0
        for d in prep.p.days:
            pending = [aid for aid in sorted(todo) if d.id in prep.domains[aid]]
            while pending:
                k += 1
                if self.deadline is not None and k % 64 == 0:
                    self.deadline.check("construction")
                best, keep, ends = None, [], {}
                for aid in pending:
                    if aid not in todo:
                        continue
                    a = prep.act[aid]
                    free, s0 = self.end_of(a, d, ends)
                    s = None
                    for lo, hi in prep.domains[aid][d.id]:
                        if hi >= s0:
                            s = max(lo, s0)
                            if lo < hi and grid > 1:
                                s = min(hi, -(-s // grid) * grid)
                            break
                    if s is None:
                        continue  # too late for it today: it stays out of this day
                    keep.append(aid)
                    score = (a.value + 1) / (s + a.duration - free + 1)
                    if best is None or score > best[0]:
                        best = (score, aid, s, s0)
                pending = keep
                if best is None:
                    break
                _score, aid, s, s0 = best
                a = prep.act[aid]
                # Its start there, or the next points (lunch, a host's busy time).
                team = _try(prep, a, d, s, *args, self.booked.placed)
                if team is None:
                    for lo, hi in prep.domains[aid][d.id]:
                        for x in _candidates(prep, a, d, max(lo, s0), hi, *args, lean=True)[:3]:
                            team = _try(prep, a, d, x, *args, self.booked.placed)
                            if team is not None:
                                s = x
                                break
                        if team is not None:
                            break
                if team is None:
                    pending.remove(aid)
                    continue
                self.commit(a, d.id, s, team)
                todo.discard(aid)
        return sorted(todo)

    def result(self) -> ProgrammeResult:
        """The programme; each activity's languages are the choice its interpreters'
        directions serve (a kept activity keeps its previous version's), else its best."""
        prep, booked = self.prep, self.booked
        directions: dict[int, set] = {}
        for x in booked.assignments:
            directions.setdefault(x.activity, set()).add(tuple(x.direction))

        def choice(aid):
            a = prep.act[aid]
            if aid in directions:
                c = languages.choice_from_directions(a, prep.profiles(a), directions[aid])
                if c is not None:
                    return c
            return prep.best_choice(a)

        choices = (choice(aid) for aid in booked.placed)
        return ProgrammeResult(
            SolveStatus.FEASIBLE,
            placements=tuple(booked.placed.values()),
            assignments=tuple(booked.assignments),
            languages=tuple(c for c in choices if c is not None),
        )


def _before(seq, s) -> int:
    """How many items of a sorted (start, ...) sequence start before `s`."""
    lo, hi = 0, len(seq)
    while lo < hi:
        mid = (lo + hi) // 2
        if seq[mid][0] < s:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _crowded(prep, tier) -> bool:
    """Whether some audience has more than APPEND_OVER activities in `tier` (each one
    placed re-evaluates all of them by regret)."""
    count: dict[int, int] = {}
    for a in tier:
        for g in prep.groups_of(a):
            count[g] = count.get(g, 0) + 1
    return max(count.values(), default=0) > APPEND_OVER


def tiers(prep, acts) -> list[list]:
    """The greedy's tiers: welcome, pinned, mandatory, optional, closing."""
    out: dict[tuple, list] = {}
    for a in acts:
        key = (
            {"first": 0, "last": 2}.get(a.place_in_visit, 1),
            prep.pinned_start(a) is None,
            not a.mandatory,
        )
        out.setdefault(key, []).append(a)
    return [out[k] for k in sorted(out)]


def construct(prep, weights: Weights | None = None, seed=None, deadline=None, complete_s=None):
    """(programme, mandatory ids left out). The programme keeps every rule but may leave
    mandatory activities out (those listed); `seed` (a valid programme) stays as it is.
    `complete_s`: seconds for the ejections (default COMPLETE_S)."""
    r = Regret(prep, weights, seed, deadline)
    missing = []
    budget = COMPLETE_S if complete_s is None else complete_s
    for tier in tiers(prep, prep.p.activities):
        if _crowded(prep, tier) and not any(a.mandatory for a in tier):
            out = r.append_tier(tier)
        else:
            out = r.place_tier(tier)
        out = [aid for aid in out if prep.act[aid].mandatory]
        if out:
            # Before the next tier (the optional ones) takes the room they need.
            out = r.complete(out, budget)
        missing += out
    return r.result(), missing


def repair(
    prep,
    weights: Weights | None = None,
    deadline=None,
    budget_s: float | None = None,
    left: list | None = None,
) -> ProgrammeResult | None:
    """A re-plan without CP-SAT: the previous version minus what breaks a rule now (a
    declined slot, a new window), those put back by regret where they fit (their old start
    first), by ejection if they do not (what is in the way moves); None if a locked or
    pinned activity breaks, a mandatory one finds no place (within `budget_s` seconds of
    ejections: CP-SAT's repair then takes over), or the result breaks a rule. `left`, if
    given, receives the mandatory activities no place was found for (the re-plan's
    `time_limit` conflict names them when nothing else finds a programme either)."""
    problem = prep.p
    prev = [pl for pl in prep.prev.values() if pl.day in prep.day]
    asg = tuple(x for x in problem.previous_assignments if x.activity in prep.act)
    broken: set[int] = set()
    kept = ProgrammeResult(SolveStatus.FEASIBLE, placements=tuple(prev), assignments=asg)
    for _round in range(3):
        named = set()
        for v in validate(problem, kept):
            if v.rule == "mandatory":
                continue
            ids = set(v.entities.get("activity", ()))
            if not ids:
                return None  # a rule of a group or a day: not one activity's to mend
            named |= ids
        if not named:
            break
        broken |= named
        kept = ProgrammeResult(
            SolveStatus.FEASIBLE,
            placements=tuple(pl for pl in prev if pl.activity not in broken),
            assignments=tuple(x for x in asg if x.activity not in broken),
        )
    else:
        return None
    if any(prep.pinned_start(prep.act[aid]) is not None for aid in broken):
        return None  # locked or fixed: only the explanation can help
    r = Regret(prep, weights, kept, deadline)
    todo = [prep.act[aid] for aid in sorted(broken)]
    todo += [a for a in problem.activities if a.mandatory and a.id not in prep.prev]
    missing = []
    try:
        for tier in tiers(prep, todo):
            missing += [aid for aid in r.place_tier(tier) if prep.act[aid].mandatory]
        still = r.complete(missing, budget_s)
    except OutOfTime:
        # The solve's deadline came first (an ejection may run past `budget_s`): still
        # name what is not back in.
        if left is not None:
            left.extend(a.id for a in todo if a.mandatory and a.id not in r.booked.placed)
        raise
    if still:
        if left is not None:
            left.extend(still)
        return None
    result = r.result()
    if validate(problem, result):
        return None
    return result
