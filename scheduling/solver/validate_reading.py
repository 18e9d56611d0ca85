"""The validator's own reading of a problem (validate.py): plain shortest paths over the
travel matrix, windows as covered intervals, one timeline per person across days, and who
listens in what and what that needs, taken from the problem and its policy alone.

Nothing here comes from the solver's preparation (prepare.py): the point is a second reading
of docs/problem-format.md, so that a bug in either shows as a disagreement.
"""

from __future__ import annotations

import heapq
from functools import lru_cache

from . import languages
from .model import Activity, Assignment, Day, LanguageChoice, Placement, Problem, ProgrammeResult

# ---- travel: plain shortest paths over the problem's matrix ----------------------------------


class _Paths:
    """Quickest travel between venues (Dijkstra from each venue asked about, on demand). A
    pair given one way only counts both ways; one venue to itself is 0."""

    def __init__(self, items: tuple[tuple[tuple[int, int], int], ...]):
        given = dict(items)
        self.edges: dict[int, dict[int, int]] = {}
        for (u, v), minutes in given.items():
            if u == v:
                continue
            self.edges.setdefault(u, {})[v] = minutes
            if (v, u) not in given:
                self.edges.setdefault(v, {})[u] = minutes
        self.done: dict[int, dict[int, int]] = {}

    def from_venue(self, source: int) -> dict[int, int]:
        if source not in self.done:
            best = {source: 0}
            queue = [(0, source)]
            while queue:
                d, u = heapq.heappop(queue)
                if d > best[u]:
                    continue
                for v, m in self.edges.get(u, {}).items():
                    if d + m < best.get(v, d + m + 1):
                        best[v] = d + m
                        heapq.heappush(queue, (d + m, v))
            self.done[source] = best
        return self.done[source]


@lru_cache(maxsize=8)
def _paths(items: tuple) -> _Paths:
    # Cached: greedy and insertion validate many candidate programmes of one problem.
    return _Paths(items)


# ---- time: windows as covered intervals ------------------------------------------------------


def _covered(windows, s: int, e: int) -> bool:
    """Whether [s, e] lies inside the union of `windows` (touching ones chain: 9-12 and 12-15
    hold 10-14)."""
    if e <= s:
        return any(w.start <= s <= w.end for w in windows)
    reach, progressed = s, True
    while reach < e and progressed:
        progressed = False
        for w in windows:
            if w.start <= reach < w.end:
                reach, progressed = w.end, True
    return reach >= e


def _free(busy, s: int, e: int) -> bool:
    return not any(b0 < e and s < b1 for b0, b1 in busy)


def available(windows, busy, s: int, e: int) -> bool:
    """Inside the windows and clear of the busy intervals (busy is subtracted)."""
    return _covered(windows, s, e) and _free(busy, s, e)


# ---- the problem, read once per check --------------------------------------------------------


class Reading:
    """The facts every check needs, read from the problem and the result alone."""

    def __init__(self, problem: Problem, result: ProgrammeResult):
        self.p = problem
        self.act = {a.id: a for a in problem.activities}
        self.day = {d.id: d for d in problem.days}
        self.group = {g.id: g for g in problem.groups}
        self.host = {h.id: h for h in problem.hosts}
        self.interp = {i.id: i for i in problem.interpreters}
        # The first placement of each known activity (duplicates: check_mandatory).
        self.placed: dict[int, Placement] = {}
        for pl in result.placements:
            if pl.activity in self.act:
                self.placed.setdefault(pl.activity, pl)
        self.by_act: dict[int, list[Assignment]] = {}
        for asg in result.assignments:
            self.by_act.setdefault(asg.activity, []).append(asg)
        self._paths: _Paths | None = None

    def end(self, pl: Placement) -> int:
        return pl.start + self.act[pl.activity].duration

    def audience(self, a: Activity) -> list[int]:
        """The activity's groups (none listed: the whole delegation), known ones only."""
        return [g for g in (a.groups or tuple(self.group)) if g in self.group]

    def travel(self, u: int | None, v: int | None) -> int:
        """Quickest travel; none from or to nowhere, and none between unconnected venues
        (a missing pair is a data error, `missing_travel`, not the result's fault)."""
        if u is None or v is None or u == v:
            return 0
        if self._paths is None:
            self._paths = _paths(tuple(sorted(self.p.travel.items())))
        return self._paths.from_venue(u).get(v, 0)

    def timeline(self, owners_of) -> dict[int, list[Placement]]:
        """owner -> every placement of theirs, all days together, by absolute start."""
        out: dict[int, list[Placement]] = {}
        for pl in self.placed.values():
            for owner in owners_of(self.act[pl.activity]):
                out.setdefault(owner, []).append(pl)
        for pls in out.values():
            pls.sort(key=lambda pl: (pl.start, pl.activity))
        return out

    def interpreter_timeline(self) -> dict[int, list[Placement]]:
        out: dict[int, list[Placement]] = {}
        seen = set()
        for asg in (x for asgs in self.by_act.values() for x in asgs):
            pl = self.placed.get(asg.activity)
            key = (asg.activity, asg.interpreter)
            if pl is None or asg.interpreter not in self.interp or key in seen:
                continue
            seen.add(key)
            out.setdefault(asg.interpreter, []).append(pl)
        for pls in out.values():
            pls.sort(key=lambda pl: (pl.start, pl.activity))
        return out

    # ---- interpretation ----------------------------------------------------------------
    def interpreted(self, a: Activity, day: Day | None) -> int:
        """Minutes interpreted: a meal's lunch is a break unless it is a working lunch."""
        if a.meal and not a.working_lunch and day is not None:
            return max(0, a.duration - day.lunch_min)
        return a.duration

    def profiles(self, a: Activity) -> list[languages.Profile]:
        """Who listens: each group's members by the languages they follow, or (a group
        without members) its whole size once per language it needs."""
        out = []
        for gid in self.audience(a):
            g = self.group[gid]
            if g.members:
                for m in g.members:
                    if m.follows and m.count > 0:
                        pref = m.preferred if m.preferred in m.follows else ""
                        out.append(
                            languages.Profile(gid, tuple(dict.fromkeys(m.follows)), m.count, pref)
                        )
            else:
                for lang in dict.fromkeys(g.languages):
                    out.append(languages.Profile(gid, (lang,), g.size, lang))
        return out

    def choice(self, a: Activity, stated: LanguageChoice | None) -> LanguageChoice | None:
        if stated is not None:
            return stated
        profiles = self.profiles(a)
        dirs = {tuple(x.direction) for x in self.by_act.get(a.id, ())}
        return languages.choice_from_directions(a, profiles, dirs) or languages.best_choice(
            a, profiles
        )

    def needs(self, a: Activity, choice: LanguageChoice | None, day: Day | None):
        """(kind, language, direction) the activity needs under `choice`: into every language
        listened in and not spoken, and from it too when guests speak."""
        if not a.languages or choice is None or not self.interpreted(a, day):
            return []
        s = choice.spoken
        rendered = sorted({lang for _g, lang, n in choice.listening if n > 0 and lang != s})
        out = []
        for lang in rendered:
            out.append(("into", lang, (s, lang)))
            if a.two_way:
                out.append(("from", lang, (lang, s)))
        return out

    def team(self, a: Activity, minutes: int, n_languages: int) -> int | None:
        """Interpreters per need (booths) or per activity (consecutive); None: too long for
        any team. Liaison: one per need for consecutive and whispered work."""
        rules = self.p.interpretation
        if rules.policy == "liaison" and a.interpretation_mode in ("consecutive", "whispered"):
            return 1
        for max_minutes, team in rules.table(a.interpretation_mode):
            if minutes <= max_minutes:
                if a.interpretation_mode == "consecutive":
                    return team + max(0, n_languages - 2)
                return team
        return None
