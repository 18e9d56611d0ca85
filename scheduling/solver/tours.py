"""Tours improved by OR-Tools routing (issue 18, "tours as good as routing").

On a problem that is a set of tours (one group, each day a tour from the lodging and back,
activities with time windows, durations and value, nothing else binding them), the
programme is a team orienteering problem with time windows, and routing's guided local
search improves wide-window tours much more than CP-SAT does (TOPTW pr10 m=4: the first
programme 1679, routing alone 1718 at 10 s). `improve_tours` builds that routing model
(vehicles = days, nodes = activities with their start ranges and durations, a disjunction
with penalty = value for each optional one, the mandatory ones without, a time dimension
of travel + service, the day's lodging as start and end), starts it from the current
programme (ReadAssignmentFromRoutes), runs GUIDED_LOCAL_SEARCH until the stage's deadline,
and turns the routes back into a programme. The caller keeps it only if it passes
validate.py and its objective is better.

What the routing model states exactly, and nothing else: `tour_reason` says why a problem
is not a tour (more than one group, interpreters or languages, precedences, phases, a
first/last place in the visit, lunch breaks, a re-plan), and the stage is skipped.

Time grid: with every start on the grid, "j starts after i ends and travels" is
"start_j >= start_i + ceil_grid(duration_i + travel_ij)", so the transits between
activities are rounded up to the grid and the starts are read back as the earliest on-grid
start of each route (at most the routing cumul rounded up, so they keep its windows).
"""

from __future__ import annotations

import itertools
import time

from .deadline import cancelled_by
from .model import Params, Placement, ProgrammeResult
from .prepare import Prepared
from .scoring import objective, score

# At most this many solutions of a descent (tours.improve_tours(descent=True)).
SOLUTIONS = 200
# At most one pass of the validator's warm-up per this many seconds of search.
WARM_EVERY_S = 0.05


def tour_reason(prep: Prepared) -> str | None:
    """Why the routing model would not state this problem exactly (None: it is a tour)."""
    p = prep.p
    if len(p.groups) != 1:
        return f"{len(p.groups)} groups (one tour per day of one group only)"
    if p.interpreters:
        return "interpreters"
    g = p.groups[0]
    if g.members:
        return "language choices"
    if any(prep.needs(a) for a in p.activities):
        return "activities to interpret"
    if p.precedences:
        return "precedences"
    if p.previous or p.locked:
        return "a re-plan (moves)"
    if any(d.lunch_min > 0 for d in p.days):
        return "lunch breaks"
    for a in p.activities:
        if a.phase is not None:
            return "phases"
        if a.place_in_visit:
            return "a first/last activity of the visit"
        if a.groups and tuple(a.groups) != (g.id,):
            return "an activity of an unknown group"
    if not p.days:
        return "no days"
    return None


def _ceil(x: int, g: int) -> int:
    return -(-x // g) * g


class _Tours:
    """The routing model of a tour problem: index 0..n-1 the activities in `acts`, then the
    start and end node of each day."""

    def __init__(self, prep: Prepared, params: Params):
        self.prep, self.params = prep, params
        p = prep.p
        self.gid = p.groups[0].id
        self.days = list(p.days)
        dom = prep.domains
        self.acts = [a for a in p.activities if dom.get(a.id)]
        self.missing = [a.id for a in p.activities if a.mandatory and not dom.get(a.id)]
        self.node_of = {a.id: k for k, a in enumerate(self.acts)}
        n, m = len(self.acts), len(self.days)
        self.n, self.m = n, m
        self.starts = [n + 2 * k for k in range(m)]
        self.ends = [n + 2 * k + 1 for k in range(m)]
        venue = [a.venue for a in self.acts]
        lodges = [prep.lodging(self.gid, d.id) for d in self.days]
        for k in range(m):
            venue += [lodges[k], lodges[k]]
        self.venue = venue
        self.grid = prep.grid

    def ranges(self, a, day_id):
        return self.prep.domains[a.id].get(day_id, [])

    def solve(self, seed: ProgrammeResult, until: float, descent: bool):
        from ortools.constraint_solver import pywrapcp, routing_enums_pb2

        prep, n, m, g = self.prep, self.n, self.m, self.grid
        size = n + 2 * m
        dur = [a.duration for a in self.acts] + [0] * (2 * m)
        is_end = [False] * n + [k % 2 == 1 for k in range(2 * m)]
        is_start = [False] * n + [k % 2 == 0 for k in range(2 * m)]
        t = prep.t
        transit = [[0] * size for _ in range(size)]
        travel = [[0] * size for _ in range(size)]
        for i in range(size):
            if is_end[i]:
                continue
            vi, di = self.venue[i], dur[i]
            row, trow = transit[i], travel[i]
            for j in range(size):
                if i == j or is_start[j]:
                    continue
                tij = t(vi, self.venue[j])
                trow[j] = tij
                # Activity to activity: both starts on the grid (exact); to the day's end
                # node: its end need not be on the grid.
                row[j] = di + tij if (is_end[j] or g == 1) else _ceil(di + tij, g)
        # Time relative to each day's start when every activity has the same start ranges
        # on each day it may be on (TOPTW, a host's daily hours): one range per node and no
        # holes (a hole in a cumul's domain over absolute minutes costs milliseconds each).
        rel = self.relative_ranges()
        off = [d.start if rel is not None else 0 for d in self.days]
        horizon = max(d.end - o for d, o in zip(self.days, off, strict=True))
        total = sum(d.end - d.start for d in self.days) + 1
        w = self.params.weights
        # Travel as the arc cost (times the weight, per value unit), plus travel itself as a
        # tie-breaker below one value point, also with a travel weight of 0: shorter tours
        # leave room for more visits (routing's peer in toptw.py does the same). A dropped visit
        # costs its value per unit: more than any travel of the days.
        unit = total
        cost = [[(w.travel * unit + 1) * x for x in row] for row in travel]

        manager = pywrapcp.RoutingIndexManager(size, m, self.starts, self.ends)
        model = pywrapcp.RoutingModel(manager)
        cb_t = model.RegisterTransitMatrix(transit)
        cb_c = model.RegisterTransitMatrix(cost)
        model.SetArcCostEvaluatorOfAllVehicles(cb_c)
        model.AddDimension(cb_t, horizon, horizon, False, "time")
        tdim = model.GetDimensionOrDie("time")
        for k, d in enumerate(self.days):
            s0 = _ceil(d.start, g) if g > 1 else d.start
            tdim.CumulVar(model.Start(k)).SetRange(s0 - off[k], max(s0, d.end) - off[k])
            tdim.CumulVar(model.End(k)).SetRange(0, d.end - off[k])
        for k, a in enumerate(self.acts):
            idx = manager.NodeToIndex(k)
            if rel is not None:
                spans = list(rel[k])
            else:
                spans = sorted(r for d in self.days for r in self.ranges(a, d.id))
            cum = tdim.CumulVar(idx)
            cum.SetRange(spans[0][0], spans[-1][1])
            for (_lo, hi), (lo2, _hi2) in itertools.pairwise(spans):
                if lo2 > hi + 1:
                    cum.RemoveInterval(hi + 1, lo2 - 1)
            allowed = [v for v, d in enumerate(self.days) if self.ranges(a, d.id)]
            if len(allowed) < m:
                model.VehicleVar(idx).SetValues([-1, *allowed] if not a.mandatory else allowed)
            if not a.mandatory:
                model.AddDisjunction([idx], max(1, w.value * a.value * unit))

        sp = pywrapcp.DefaultRoutingSearchParameters()
        lsm = routing_enums_pb2.LocalSearchMetaheuristic
        sp.local_search_metaheuristic = lsm.GREEDY_DESCENT if descent else lsm.GUIDED_LOCAL_SEARCH
        left = until - time.perf_counter()
        if left <= 0.05:
            return None
        sp.time_limit.FromMilliseconds(max(1, int(left * 1000)))
        if descent:
            sp.solution_limit = SOLUTIONS
        model.CloseModelWithParameters(sp)
        routes = [[manager.NodeToIndex(k) for k in r] for r in self.routes_of(seed)]
        start = model.ReadAssignmentFromRoutes(routes, True)
        if start is None:
            return None  # the seed breaks the routing model (it should not)
        warm = self.warm_validator(model, manager)
        model.AddAtSolutionCallback(warm)
        # A cancelled solve (Params.stop) ends the guided local search, which would otherwise
        # run on to its time limit.
        with cancelled_by(self.params.stop, model.CancelSearch):
            sol = model.SolveFromAssignmentWithParameters(start, sp)
        if sol is None:
            return None
        placements = []
        for k, d in enumerate(self.days):
            idx = sol.Value(model.NextVar(model.Start(k)))
            prev_v, at = self.venue[self.starts[k]], d.start
            while not model.IsEnd(idx):
                node = manager.IndexToNode(idx)
                a = self.acts[node]
                arrive = at + t(prev_v, a.venue)
                s = self.earliest(a, d.id, arrive)
                if s is None:
                    return None
                placements.append(Placement(a.id, d.id, s))
                prev_v, at = a.venue, s + a.duration
                idx = sol.Value(model.NextVar(idx))
        return ProgrammeResult("feasible", placements=tuple(placements))

    def warm_validator(self, model, manager):
        """A solution callback that computes, while the search runs, the validator's own
        shortest paths (validate_reading, cached per venue) from the venues the routes visit:
        validating the routes at the end then takes milliseconds instead of one Dijkstra
        per newly visited venue (pr10: 2-5 s) after the deadline. Rate-limited."""
        from . import validate_reading

        paths = validate_reading._paths(tuple(sorted(self.prep.p.travel.items())))
        idx = [manager.NodeToIndex(k) for k in range(self.n)]
        lodges = {v for v in self.venue[self.n :] if v is not None}
        venues = [a.venue for a in self.acts]

        def warm():
            warm.calls += 1
            now = time.perf_counter()
            if now - warm.last < WARM_EVERY_S:
                return
            for v in lodges:
                paths.from_venue(v)
            for k, i in enumerate(idx):
                if venues[k] not in paths.done and model.NextVar(i).Value() != i:
                    paths.from_venue(venues[k])
            warm.last = time.perf_counter()
            warm.spent += warm.last - now

        warm.calls, warm.last, warm.spent = 0, 0.0, 0.0
        return warm

    def relative_ranges(self) -> list[tuple] | None:
        """Each activity's start ranges relative to the day's start, if the same on every
        day it may be on (else None)."""
        out = []
        for a in self.acts:
            seen = {
                tuple((lo - d.start, hi - d.start) for lo, hi in self.ranges(a, d.id))
                for d in self.days
                if self.ranges(a, d.id)
            }
            if len(seen) != 1:
                return None
            out.append(seen.pop())
        return out

    def earliest(self, a, day_id: int, at: int) -> int | None:
        """The earliest start of `a` on that day at `at` or later (on the grid)."""
        for lo, hi in self.ranges(a, day_id):
            s = max(lo, at)
            if self.grid > 1 and self.prep.pinned_start(a) is None:
                s = _ceil(s, self.grid)
            if s <= hi:
                return s
        return None

    def routes_of(self, seed: ProgrammeResult) -> list[list[int]]:
        days = {d.id: k for k, d in enumerate(self.days)}
        routes: list[list[tuple[int, int]]] = [[] for _ in self.days]
        for pl in seed.placements:
            if pl.activity in self.node_of and pl.day in days:
                routes[days[pl.day]].append((pl.start, self.node_of[pl.activity]))
        return [[node for _s, node in sorted(r)] for r in routes]


def improve_tours(
    prep: Prepared,
    params: Params,
    seed: ProgrammeResult,
    until: float,
    report: list | None = None,
    descent: bool = False,
) -> ProgrammeResult | None:
    """A better programme than `seed` by routing's guided local search until `until`
    (time.perf_counter()), or None (not a tour, nothing better, or it did not validate);
    `report` gets what happened, or why not, as a string. `descent`: local search without
    the metaheuristic, which stops at a local optimum (repeatable, quick: tests, small
    problems that CP-SAT then proves) and after at most SOLUTIONS solutions."""
    from .validate import validate

    def why(text: str) -> None:
        if report is not None:
            report.append(text)

    reason = tour_reason(prep)
    if reason is not None:
        why(f"skipped: {reason}")
        return None
    tours = _Tours(prep, params)
    if tours.missing:
        why("skipped: a mandatory activity without a possible start")
        return None
    try:
        found = tours.solve(seed, until, descent)
    except (ValueError, TypeError, OverflowError) as e:  # a model routing refuses
        why(f"skipped: routing refused the model ({type(e).__name__}: {e})")
        return None
    if found is None:
        why("no routing solution from the seed in time")
        return None
    problem = prep.p
    if validate(problem, found):
        why("the routes did not validate")
        return None
    before = objective(score(problem, seed, params), params)
    after = objective(score(problem, found, params), params)
    if after >= before:
        why(f"no improvement ({after} >= {before})")
        return None
    why(f"improved {before} -> {after}")
    return found
