"""TOPTW benchmark: Cordeau et al. pr01-pr10 (Righini & Salani / Montemanni & Gambardella)
converted to the problem format, m = 1..4 tours (= programme days); our solver against
OR-Tools routing (time dimension + disjunctions) at the same time limit, and the best-known
scores of ../shared/benchmarks/toptw/best-known.csv.

    .venv/bin/python benchmarks/solver/toptw.py [pr01 pr02 ...] [--m 1 2 3 4] [--time-limit 10]

Mapping (../shared/benchmarks/toptw/README.md): vertex -> optional visit with value S and
duration d at its own venue, hosted by a host available [O, C + d] every day; tour -> day of
length Tmax; depot -> the group's lodging; travel -> Euclidean distance rounded down to two
decimals. Times are multiplied by 100 so that every figure is an integer number of "minutes".
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from scheduling.solver import (  # noqa: E402
    Activity,
    Day,
    Group,
    Host,
    Params,
    Problem,
    Venue,
    Weights,
    Window,
    solve_programme,
    validate,
)

DATA = Path("/work/shared/benchmarks/toptw")
SCALE = 100


def read(name: str):
    lines = [ln.split() for ln in (DATA / f"{name}.txt").read_text().splitlines() if ln.strip()]
    verts = []
    for tok in lines[2:]:
        i, x, y, d, s = int(tok[0]), float(tok[1]), float(tok[2]), float(tok[3]), int(tok[4])
        a = int(tok[6]) if len(tok) > 6 else 0
        o, c = float(tok[7 + a]), float(tok[8 + a])
        verts.append((i, x, y, d, s, o, c))
    return verts


def dist(p, q) -> int:
    """Euclidean distance rounded down to two decimals, times SCALE."""
    return math.floor(math.hypot(p[1] - q[1], p[2] - q[2]) * 100) * SCALE // 100


def to_problem(verts, m: int) -> Problem:
    depot, sites = verts[0], verts[1:]
    tmax = round(depot[6] * SCALE)
    gap = tmax + 1000
    days = tuple(Day(k, k * gap, k * gap + tmax) for k in range(m))
    venues = tuple(Venue(v[0]) for v in verts)
    travel = {(p[0], q[0]): dist(p, q) for p in verts for q in verts if p[0] < q[0]}
    hosts, acts = [], []
    for i, _x, _y, d, s, o, c in sites:
        dur = round(d * SCALE)
        wins = tuple(
            Window(k * gap + round(o * SCALE), k * gap + round(c * SCALE) + dur) for k in range(m)
        )
        hosts.append(Host(i, f"site {i}", wins))
        acts.append(Activity(i, f"visit {i}", max(dur, 1), i, (i,), (), (), False, s))
    group = Group(1, "tour", (), depot[0], 1)
    # Hundredths of the instance's time unit, not minutes: no time grid.
    return Problem(days, venues, travel, tuple(hosts), (group,), tuple(acts), time_grid=1)


def ours(problem: Problem, limit: float):
    w = Weights(moves=0, value=1, preferred=0, travel=0, late=0, balance=0, interpreter_spread=0)
    params = Params(time_limit_s=limit, weights=w, strategy="weighted", sequencing="pairwise")
    t0 = time.perf_counter()
    r = solve_programme(problem, params)
    assert not r.placements or validate(problem, r) == [], "invalid TOPTW programme"
    return r.terms.get("value", 0), -(r.bound or 0), r.status, time.perf_counter() - t0


def routing(verts, m: int, limit: float):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(verts)
    tmax = round(verts[0][6] * SCALE)
    manager = pywrapcp.RoutingIndexManager(n, m, 0)
    model = pywrapcp.RoutingModel(manager)
    dur = [round(v[3] * SCALE) for v in verts]

    def transit(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return dur[a] + dist(verts[a], verts[b])

    cb = model.RegisterTransitCallback(transit)
    model.SetArcCostEvaluatorOfAllVehicles(cb)
    model.AddDimension(cb, tmax, tmax, False, "time")
    time_dim = model.GetDimensionOrDie("time")
    for node in range(1, n):
        idx = manager.NodeToIndex(node)
        time_dim.CumulVar(idx).SetRange(
            round(verts[node][5] * SCALE), round(verts[node][6] * SCALE)
        )
        model.AddDisjunction([idx], verts[node][4] * 10_000)  # dropping costs the score
    for v in range(m):
        time_dim.CumulVar(model.End(v)).SetMax(tmax)
    sp = pywrapcp.DefaultRoutingSearchParameters()
    sp.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    sp.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    sp.time_limit.FromMilliseconds(int(limit * 1000))
    t0 = time.perf_counter()
    sol = model.SolveWithParameters(sp)
    wall = time.perf_counter() - t0
    if sol is None:
        return 0, wall
    score = 0
    for v in range(m):
        idx = sol.Value(model.NextVar(model.Start(v)))
        while not model.IsEnd(idx):
            score += verts[manager.IndexToNode(idx)][4]
            idx = sol.Value(model.NextVar(idx))
    return score, wall


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("instances", nargs="*", default=[f"pr{k:02d}" for k in range(1, 11)])
    ap.add_argument("--m", type=int, nargs="*", default=[1, 2, 3, 4])
    ap.add_argument("--time-limit", type=float, default=10.0)
    args = ap.parse_args(argv)
    best = {
        (r["instance"], int(r["m"])): int(r["best_known"])
        for r in csv.DictReader((DATA / "best-known.csv").open())
    }
    print(
        "| instance | m | best known | ours | ours bound | ours status | ours gap to BK | "
        "ours wall_s | routing | routing gap to BK | routing wall_s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in args.instances:
        verts = read(name)
        for m in args.m:
            bk = best.get((name, m))
            score, bound, status, wall = ours(to_problem(verts, m), args.time_limit)
            rscore, rwall = routing(verts, m, args.time_limit)

            def gap(x, bk=bk):
                return f"{(bk - x) / bk:.1%}" if bk else "-"

            print(
                f"| {name} | {m} | {bk} | {score} | {bound:.0f} | {status} | {gap(score)} | "
                f"{wall:.1f} | {rscore} | {gap(rscore)} | {rwall:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
