"""Facts derived from a Problem, shared by the pre-checks, the greedy, the CP-SAT model and
the scoring.

The validator does not use them: it reads the problem on its own (validate_reading.py), so
that a bug here shows as a disagreement between the two instead of passing unseen.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from . import languages, policy
from .model import Activity, LanguageChoice, Params, Problem, Window

Ranges = list[tuple[int, int]]  # inclusive [lo, hi] ranges of start minutes


def intersect(a: Ranges, b: Ranges) -> Ranges:
    out, i, j = [], 0, 0
    a, b = sorted(a), sorted(b)
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def merge_windows(windows) -> list[Window]:
    """Touching or overlapping windows of one person as one: 9-12 and 12-15 hold a 4-hour
    meeting. A merged window is preferred only if all its parts are (the preferred parts
    alone: `Prepared.host_preferred`)."""
    out: list[Window] = []
    for w in sorted(windows, key=lambda w: (w.start, w.end)):
        if out and w.start <= out[-1].end:
            last = out[-1]
            out[-1] = Window(last.start, max(last.end, w.end), last.preferred and w.preferred)
        else:
            out.append(Window(w.start, w.end, w.preferred))
    return out


def minutes_within(windows, day) -> int:
    """Minutes of `day` inside `windows` (disjoint: merged, as Prepared gives them)."""
    return sum(max(0, min(w.end, day.end) - max(w.start, day.start)) for w in windows)


def on_grid(ranges: Ranges, grid: int) -> Ranges:
    """The grid starts of `ranges` (each range rounded inwards; empty ones dropped)."""
    if grid <= 1:
        return list(ranges)
    out = []
    for lo, hi in ranges:
        lo, hi = -(-lo // grid) * grid, hi // grid * grid
        if lo <= hi:
            out.append((lo, hi))
    return out


def subtract_busy(windows: tuple[Window, ...], busy) -> list[Window]:
    """Availability windows minus busy intervals: busy time is simply not available."""
    out = []
    for w in windows:
        pieces = [(w.start, w.end)]
        for b0, b1 in busy:
            nxt = []
            for s, e in pieces:
                if b1 <= s or b0 >= e:
                    nxt.append((s, e))
                    continue
                if s < b0:
                    nxt.append((s, b0))
                if b1 < e:
                    nxt.append((b1, e))
            pieces = nxt
        out.extend(Window(s, e, w.preferred) for s, e in pieces if e > s)
    return out


@dataclass(frozen=True)
class Need:
    """Interpretation an activity needs: into a guest language (`into`) or, for two-way
    activities, from a guest language into any spoken one (`from`)."""

    kind: str  # 'into' | 'from'
    language: str
    directions: frozenset[tuple[str, str]]


BIG = 10**9  # minutes between two venues without any way between them


class Paths(Mapping):
    """Shortest travel minutes as a matrix indexed by venue position: `venues` (sorted),
    `at` (venue id -> position), `m` (numpy, BIG where there is no way) and `rows` (the
    same as lists of Python ints, for the scalar reads of the construction and the greedy).
    Also a read-only mapping (u, v) -> minutes over every two venues, what `Prepared.dist`
    was as a dict: built lazily only where someone iterates it (issue 18: building the
    dict and its sorted cache key took most of TOPTW pr10's time to the first programme)."""

    def __init__(self, venues: tuple, m, given=None):
        import numpy as np

        self.venues = venues
        self.at = {v: i for i, v in enumerate(venues)}
        self.m = m if isinstance(m, np.ndarray) else None  # None: the pure-Python way's lists
        self.rows = m.tolist() if isinstance(m, np.ndarray) else m
        # given[i, j]: the travel matrix names the pair (either way); None: not known.
        self.given = given
        self._flat = None

    @classmethod
    def of(cls, mapping) -> Paths:
        """A Paths from any mapping (u, v) -> minutes (pairs it lacks: BIG)."""
        if isinstance(mapping, Paths):
            return mapping
        vs = tuple(sorted({v for pair in mapping for v in pair}))
        rows = [[mapping.get((u, v), BIG) for v in vs] for u in vs]
        return cls(vs, rows)

    def __getitem__(self, key):
        u, v = key
        return self.rows[self.at[u]][self.at[v]]

    def get(self, key, default=None):
        u, v = key
        i, j = self.at.get(u), self.at.get(v)
        if i is None or j is None:
            return default
        return self.rows[i][j]

    def __contains__(self, key) -> bool:
        try:
            u, v = key
        except (TypeError, ValueError):
            return False
        return u in self.at and v in self.at

    def __iter__(self):
        return ((u, v) for u in self.venues for v in self.venues)

    def __len__(self) -> int:
        return len(self.venues) ** 2

    def values(self):
        if self._flat is None:
            self._flat = [x for row in self.rows for x in row]
        return self._flat

    def items(self):
        return zip(iter(self), self.values(), strict=True)


# (a copy of a travel matrix, its pairs as an (k, 2) array, its minutes, its venues): every
# Prepared of one problem reads them (`_venues` for the cache's key, `_direct` on a miss).
_PAIRS: list[tuple[dict, object, object, tuple]] = []


def _pairs(travel) -> tuple:
    """(pairs, minutes, venues) of `travel`: the pairs and minutes as numpy int64 arrays, or
    None when they are not integers; the sorted venues."""
    for ctravel, keys, w, tv in _PAIRS:
        if ctravel == travel:
            return keys, w, tv
    import numpy as np

    try:
        keys = np.fromiter(
            itertools.chain.from_iterable(travel), dtype=np.int64, count=2 * len(travel)
        ).reshape(-1, 2)
        tv = tuple(np.unique(keys).tolist())
        if not all(type(v) is int for pair in itertools.islice(travel, 1) for v in pair):
            raise TypeError  # ids numpy could read as integers but are not (floats)
    except (TypeError, ValueError, OverflowError):
        keys, tv = None, tuple(sorted({v for pair in travel for v in pair}))
    try:
        w = np.array(list(travel.values()) or np.zeros(0, dtype=np.int64))
    except (TypeError, ValueError, OverflowError):
        w = None
    if w is not None and w.dtype.kind != "i":
        w = None  # minutes as floats: the pure-Python way keeps them
    _PAIRS.append((dict(travel), keys, None if w is None else w.astype(np.int64), tv))
    del _PAIRS[:-4]
    return _PAIRS[-1][1:]


def _direct(vs: tuple, travel) -> tuple:
    """(matrix of the given minutes, BIG where none, a pair given one way counting both
    ways; the pairs given) over `vs`, in numpy: None when ids or minutes are not integers
    (then the pure-Python way below)."""
    import numpy as np

    n = len(vs)
    keys, w, _tv = _pairs(travel)
    if keys is None or w is None:
        return None
    try:
        ids = np.array(vs, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):
        return None
    pos = np.searchsorted(ids, keys) if n else np.zeros_like(keys)
    ok = (pos < n).all(axis=1)
    ok[ok] = (ids[pos[ok]] == keys[ok]).all(axis=1)
    i, j, w = pos[ok, 0], pos[ok, 1], w[ok]
    m = np.full((n, n), BIG, dtype=np.int64)
    m[j, i] = w  # a pair given one way counts both ways...
    m[i, j] = w  # ...and one given both ways keeps each direction's own minutes
    given = np.zeros((n, n), dtype=bool)
    given[i, j] = given[j, i] = True
    return m, given


def _closure(vs: tuple, travel) -> Paths:
    d = _direct(vs, travel) if len(vs) > 32 else None
    if d is not None:
        # numpy (an OR-Tools dependency): TOPTW pr10's 289 venues in milliseconds. Same
        # integers as the scalar loop below: on int32 when every sum fits (2 * BIG < 2**31).
        import numpy as np

        m, given = d
        small = m.size == 0 or (m.min() >= 0 and m.max() <= BIG)
        if small:
            m = m.astype(np.int32)
        np.fill_diagonal(m, 0)
        for k in range(len(vs)):
            np.minimum(m, m[:, k : k + 1] + m[k : k + 1, :], out=m)
        return Paths(vs, np.minimum(m, BIG).astype(np.int64), given)
    t = travel
    big = BIG
    n = len(vs)
    d = [[0 if u == v else t.get((u, v), t.get((v, u), big)) for v in vs] for u in vs]
    for k in range(n):
        row_k = d[k]
        for i in range(n):
            dik = d[i][k]
            if dik >= big:
                continue
            row_i = d[i]
            d[i] = [a if a <= dik + b else dik + b for a, b in zip(row_i, row_k, strict=True)]
    return Paths(vs, d)


# (venues, a copy of the travel matrix, its shortest paths): the pre-checks, the greedy, the
# insertion and every stage's model each build a Prepared for the same problem. A hit costs
# one comparison of two dicts in C (TOPTW pr10's 41,000 pairs: ~1 ms), not a sort of them.
_CACHE: list[tuple[tuple, dict, Paths]] = []
_CACHE_SIZE = 8


def _shortest_paths(vs: tuple, travel) -> Paths:
    for cvs, ctravel, paths in _CACHE:
        if cvs == vs and ctravel == travel:
            return paths
    paths = _closure(vs, travel)
    _CACHE.append((vs, dict(travel), paths))
    del _CACHE[:-_CACHE_SIZE]
    return paths


def _cache_clear() -> None:
    _CACHE.clear()
    _PAIRS.clear()


_shortest_paths.cache_clear = _cache_clear  # as functools' caches (benchmarks/solver/first.py)


def _venues(travel, more=()) -> tuple:
    """The sorted venues of `travel` and `more`."""
    return tuple(sorted(set(_pairs(travel)[2]).union(more)))


def shortest_paths(travel: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    """Travel minutes between every two connected venues of ``travel``, by the quickest route
    (a pair given one way only counts both ways): what the solver plans with, so pages,
    feeds and vehicle sheets show the same times. Unconnected pairs are left out."""
    closed = _shortest_paths(_venues(travel), travel)
    return {pair: minutes for pair, minutes in closed.items() if minutes < BIG}


class Prepared:
    def __init__(self, problem: Problem, params: Params | None = None):
        self.p = problem
        self.params = params or Params()
        self.act = {a.id: a for a in problem.activities}
        self.host = {h.id: h for h in problem.hosts}
        self.group = {g.id: g for g in problem.groups}
        self.venue = {v.id: v for v in problem.venues}
        self.interp = {i.id: i for i in problem.interpreters}
        self.day = {d.id: d for d in problem.days}
        self.prev = {pl.activity: pl for pl in problem.previous if pl.activity in self.act}
        self._profiles: dict[int, list] = {}
        self._best: dict[int, LanguageChoice | None] = {}
        self._host_windows: dict[int, list[Window]] = {}
        self._interp_windows: dict[int, list[Window]] = {}
        self._qualified: dict = {}
        # The solve's deadline.Deadline (None: unbounded); the long loops check it.
        self.deadline = None

    # ---- audience, languages, interpretation -------------------------------------------
    def groups_of(self, a: Activity) -> tuple[int, ...]:
        return a.groups if a.groups else tuple(g.id for g in self.p.groups)

    @cached_property
    def acts_by_group(self) -> dict[int, list[int]]:
        """group -> its activities' ids, in the problem's order (one pass, not one per group)."""
        out: dict[int, list[int]] = {g.id: [] for g in self.p.groups}
        for a in self.p.activities:
            for gid in self.groups_of(a):
                out.setdefault(gid, []).append(a.id)
        return out

    def profiles(self, a: Activity) -> list[languages.Profile]:
        """The audience's members by the languages they follow (languages.py)."""
        if a.id not in self._profiles:
            self._profiles[a.id] = [
                pf
                for gid in self.groups_of(a)
                if gid in self.group
                for pf in languages.group_profiles(self.group[gid])
            ]
        return self._profiles[a.id]

    def has_choice(self, a: Activity) -> bool:
        """Whether the spoken or a listening language is the solver's to choose (else the
        model has no language literals: the needs are fixed)."""
        spoken = languages.spoken_candidates(a)
        if not spoken or not self.interpreted(a):
            return False
        return len(spoken) > 1 or any(len(pf.follows) > 1 for pf in self.profiles(a))

    def best_choice(self, a: Activity) -> LanguageChoice | None:
        if a.id not in self._best:
            self._best[a.id] = languages.best_choice(a, self.profiles(a))
        return self._best[a.id]

    def fewest_targets(self, a: Activity) -> int:
        """The fewest languages `a` can be interpreted into (the `interpretations` term
        counts those beyond)."""
        best = self.best_choice(a)
        return len(languages.targets(best)) if best is not None else 0

    def needs(self, a: Activity, choice: LanguageChoice | None = None) -> list[Need]:
        """What `a` needs under `choice` (by default its best one: for an activity without
        a choice, the only one)."""
        if not a.languages or not self.interpreted(a):
            return []  # nothing spoken to render, or a meal that is all lunch
        choice = choice or self.best_choice(a)
        if choice is None:
            return []
        s = choice.spoken
        out = []
        for lang in languages.targets(choice):
            out.append(Need("into", lang, frozenset({(s, lang)})))
            if a.two_way:
                out.append(Need("from", lang, frozenset({(lang, s)})))
        return out

    def candidate_needs(self, a: Activity) -> list[Need]:
        """Every need some choice of `a` may have, each with every direction from or into a
        candidate spoken language (the model switches them on with the choice)."""
        if not self.has_choice(a):
            return self.needs(a)
        spoken = languages.spoken_candidates(a)
        out = []
        for lang in sorted({x for pf in self.profiles(a) for x in pf.follows}):
            into = frozenset((s, lang) for s in spoken if s != lang)
            if not into:
                continue
            out.append(Need("into", lang, into))
            if a.two_way:
                out.append(Need("from", lang, frozenset((lang, s) for s in spoken if s != lang)))
        return out

    def n_languages(self, a: Activity, choice: LanguageChoice | None = None) -> int:
        """Languages in play: the spoken one and those interpreted into."""
        choice = choice or self.best_choice(a)
        return 1 + len(languages.targets(choice)) if choice is not None else 0

    def interpreted(self, a: Activity, day_id: int | None = None) -> int:
        """Interpreted minutes of `a` on a day (a meal's lunch is a break); without a day,
        the most over the days (team strength is set before the day is known)."""
        if day_id is not None:
            return policy.interpreted_minutes(a, self.day.get(day_id))
        if not a.meal or a.working_lunch or not self.p.days:
            return a.duration
        return max(policy.interpreted_minutes(a, d) for d in self.p.days)

    def team(self, a: Activity, choice: LanguageChoice | None = None) -> int | None:
        return policy.team_size(
            self.p.interpretation,
            a.interpretation_mode,
            self.interpreted(a),
            self.n_languages(a, choice),
        )

    def daily_cap(self, iid: int) -> int:
        return policy.daily_cap(self.p.interpretation, self.interp[iid].daily_cap)

    def rest_after(self, a: Activity, day_id: int | None = None) -> int:
        return policy.rest_after(self.p.interpretation, self.interpreted(a, day_id))

    @property
    def whisper_max(self) -> int:
        return self.p.interpretation.whisper_max_listeners

    def qualified(self, a: Activity, need: Need) -> list[int]:
        key = (a.interpretation_mode, need.directions)
        if key not in self._qualified:  # the same few needs for thousands of activities
            self._qualified[key] = [
                i.id
                for i in self.p.interpreters
                if a.interpretation_mode in i.modes and need.directions & set(i.directions)
            ]
        return self._qualified[key]

    def listeners(self, a: Activity, lang: str, choice: LanguageChoice | None = None) -> int:
        """Members listening in `lang` (what whispering is limited by)."""
        choice = choice or self.best_choice(a)
        if choice is None:
            return 0
        return sum(n for _g, x, n in choice.listening if x == lang)

    # ---- travel --------------------------------------------------------------------------
    @cached_property
    def used_venues(self) -> list[int]:
        vs = {a.venue for a in self.p.activities}
        vs |= {g.lodging_venue for g in self.p.groups if g.lodging_venue is not None}
        vs |= {v for g in self.p.groups for _d, v in g.lodging_by_day}
        vs |= {i.home_venue for i in self.p.interpreters if i.home_venue is not None}
        return sorted(vs)

    @cached_property
    def missing_travel(self) -> list[tuple[int, int]]:
        vs, t = self.used_venues, self.p.travel
        paths = self.paths
        if paths.given is not None and len(vs) > 32:
            # From the matrix of the pairs given (TOPTW pr10: 41,000 pairs looked up twice).
            import numpy as np

            idx = np.array([paths.at[u] for u in vs], dtype=np.int64)
            lacking = np.triu(~paths.given[np.ix_(idx, idx)], k=1)
            rows, cols = (x.tolist() for x in np.nonzero(lacking))
            return [(vs[i], vs[j]) for i, j in zip(rows, cols, strict=True)]
        return [
            (u, v)
            for k, u in enumerate(vs)
            for v in vs[k + 1 :]
            if (u, v) not in t and (v, u) not in t
        ]

    @cached_property
    def dist(self) -> dict[tuple[int, int], int]:
        """Shortest travel times (Floyd-Warshall over the matrix, reverse pair mirrored when
        only one direction is given), through every venue of the matrix: a quick way from one
        used venue to another may pass a venue no activity uses, and the pages show these
        times (`shortest_paths`). With the triangle inequality, a travel gap between
        consecutive activities implies it between all, so the model may constrain all pairs."""
        t = self.p.travel
        return _shortest_paths(_venues(t, self.used_venues), t)

    @cached_property
    def paths(self) -> Paths:
        """`dist` as a matrix by venue position (what `t` reads)."""
        return Paths.of(self.dist)

    def lodging(self, gid: int, day_id: int) -> int | None:
        """Group `gid`'s lodging on day `day_id` (Group.lodging_by_day, else lodging_venue)."""
        g = self.group.get(gid)
        return g.lodging_on(day_id) if g is not None else None

    @cached_property
    def _max_from(self) -> dict[int, int]:
        paths = self.paths
        return {u: max(0, max(row)) for u, row in zip(paths.venues, paths.rows, strict=True)}

    def max_travel_from(self, u: int | None) -> int:
        """The longest way from `u` to any venue: an upper bound of the travel after an
        activity there (what two activities' start ranges must be apart by to never meet)."""
        return self._max_from.get(u, 0) if u is not None else 0

    def t(self, u: int | None, v: int | None) -> int:
        if u is None or v is None:
            return 0
        at = self.paths.at
        i, j = at.get(u), at.get(v)
        return 0 if i is None or j is None else self.paths.rows[i][j]

    # ---- time ------------------------------------------------------------------------------
    def host_windows(self, hid: int) -> list[Window]:
        if hid not in self._host_windows:  # asked once per activity and day
            h = self.host[hid]
            self._host_windows[hid] = subtract_busy(merge_windows(h.windows), h.busy)
        return self._host_windows[hid]

    def host_preferred(self, hid: int) -> list[Window]:
        """The host's preferred windows (merged, minus busy time)."""
        h = self.host[hid]
        return subtract_busy(merge_windows(w for w in h.windows if w.preferred), h.busy)

    def interp_windows(self, iid: int) -> list[Window]:
        """No windows means hired for the whole visit: every day, all day."""
        if iid not in self._interp_windows:
            i = self.interp[iid]
            wins = i.windows or tuple(Window(d.start, d.end) for d in self.p.days)
            self._interp_windows[iid] = subtract_busy(merge_windows(wins), i.busy)
        return self._interp_windows[iid]

    @cached_property
    def grid(self) -> int:
        return max(1, self.p.time_grid)

    def presence(self, a: Activity) -> tuple[int, int] | None:
        """When every group of `a` is there (None: no bound). An empty span (start >= end)
        means the groups are never there together."""
        spans = [
            self.group[g].presence
            for g in self.groups_of(a)
            if g in self.group and self.group[g].presence is not None
        ]
        if not spans:
            return None
        return max(s for s, _e in spans), min(e for _s, e in spans)

    def pinned_start(self, a: Activity) -> int | None:
        if a.fixed_start is not None:
            return a.fixed_start
        if a.id in self.p.locked and a.id in self.prev:
            return self.prev[a.id].start
        return None

    def base_ranges(
        self, a: Activity, day_id: int, pin: bool = True, grid: bool = True, presence: bool = True
    ) -> Ranges:
        """Starts allowed on one day by the day window and the time grid and, with `pin`,
        earliest/latest, the groups' presence and fixed/locked (the explanation model leaves
        those to relaxable constraints). A pinned start keeps its minute even off the grid
        (a locked slot of an older version keeps its time; a fixed one off it is refused as
        a data error before)."""
        d = self.day[day_id]
        lo, hi = d.start, d.end - a.duration
        fixed = None
        if pin:
            if a.earliest is not None:
                lo = max(lo, a.earliest)
            if a.latest is not None:
                hi = min(hi, a.latest - a.duration)
            span = self.presence(a) if presence else None
            if span is not None:
                lo, hi = max(lo, span[0]), min(hi, span[1] - a.duration)
            fixed = self.pinned_start(a)
            if fixed is not None:
                lo, hi = max(lo, fixed), min(hi, fixed)
        r = [(lo, hi)] if lo <= hi else []
        return r if fixed is not None or not grid else on_grid(r, self.grid)

    def window_ranges(self, windows: list[Window], duration: int) -> Ranges:
        return [(w.start, w.end - duration) for w in windows if w.end - w.start >= duration]

    def day_ranges(self, a: Activity, day_id: int) -> Ranges:
        r = self.base_ranges(a, day_id)
        for hid in a.hosts:
            if hid in self.host:
                r = intersect(r, self.window_ranges(self.host_windows(hid), a.duration))
        return r if self.pinned_start(a) is not None else on_grid(r, self.grid)

    @cached_property
    def domains(self) -> dict[int, dict[int, Ranges]]:
        """activity -> day -> start ranges (only days where it can start at all)."""
        out = {}
        for k, a in enumerate(self.p.activities):
            if k % 256 == 0 and self.deadline is not None:
                self.deadline.check("preparation")
            per_day = {}
            stay = self.presence(a)
            for d in self.p.days:
                if stay is not None and (d.end <= stay[0] or d.start > stay[1]):
                    continue  # outside the groups' presence (base_ranges): a season's days
                r = self.day_ranges(a, d.id)
                if r:
                    per_day[d.id] = r
            out[a.id] = per_day
        return out

    def day_of(self, start: int) -> int | None:
        for d in self.p.days:
            if d.start <= start <= d.end:
                return d.id
        return None
