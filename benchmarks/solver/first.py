"""Time to the first programme (issue 18 part 3): insertion by regret on the prepared
problem (scheduling/solver/construct.py), before any CP-SAT model.

    .venv/bin/python benchmarks/solver/first.py [--families aude S XL] [--seeds 3]
        [--toptw pr01 ... | --no-toptw] [--m 1 2 3 4] [--xl 3000] [--time-limit 2]

Per instance, one at a time: the solve's time to its first programme (`time_to_first_s`,
from the call of solve_programme: preparation, pre-checks and construction included; the
solve is stopped soon after by an infinite gap limit), the construction alone, the
mandatory activities the construction left out (then completed by CP-SAT insertion), the
objective of the first programme (the first progress report), and, on TOPTW, OR-Tools
routing's time to its first solution (PATH_CHEAPEST_ARC, from the creation of its index
manager to the first solution callback) and the ratio ours / routing. The 1-minute load
average is printed beside each timing. Shortest paths are cached per process
(prepare._shortest_paths): the cache is cleared before each instance.

Last line: `first: aude_s=... s_max_s=... toptw_ratio_p50=... xl3000_first_s=...
xl3000_mandatory_out=...`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import toptw  # noqa: E402
from generate import generate  # noqa: E402
from machine import load  # noqa: E402

from scheduling.solver import Params, Weights, solve_programme, validate  # noqa: E402
from scheduling.solver import prepare as _prepare  # noqa: E402
from scheduling.solver.construct import construct  # noqa: E402
from scheduling.solver.io import problem_from_dict  # noqa: E402
from scheduling.solver.prepare import Prepared  # noqa: E402


def ours(problem, params: Params) -> dict:
    """The solve's first programme, and the construction alone."""
    _prepare._shortest_paths.cache_clear()
    seen = []
    before = load()
    r = solve_programme(problem, params, on_progress=seen.append)
    first_obj = seen[0].objective if seen else r.objective
    _prepare._shortest_paths.cache_clear()
    t0 = time.perf_counter()
    prep = Prepared(problem, params)
    result, missing = construct(prep, params.weights)
    construct_s = time.perf_counter() - t0
    valid = not [v for v in validate(problem, result) if v.rule != "mandatory"]
    return {
        "status": r.status,
        "first_s": r.time_to_first_s,
        "construct_s": construct_s,
        "out": len(missing),
        "valid": valid,
        "first_obj": first_obj,
        "placed": len(result.placements),
        "load": f"{before}-{load()}",
    }


def routing_first(verts, m: int, limit: float = 1.0) -> float | None:
    """OR-Tools routing's time to its first solution (toptw.routing's model)."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    t0 = time.perf_counter()
    n = len(verts)
    tmax = round(verts[0][6] * toptw.SCALE)
    manager = pywrapcp.RoutingIndexManager(n, m, 0)
    model = pywrapcp.RoutingModel(manager)
    dur = [round(v[3] * toptw.SCALE) for v in verts]

    def transit(i, j):
        a, b = manager.IndexToNode(i), manager.IndexToNode(j)
        return dur[a] + toptw.dist(verts[a], verts[b])

    cb = model.RegisterTransitCallback(transit)
    model.SetArcCostEvaluatorOfAllVehicles(cb)
    model.AddDimension(cb, tmax, tmax, False, "time")
    time_dim = model.GetDimensionOrDie("time")
    for node in range(1, n):
        idx = manager.NodeToIndex(node)
        time_dim.CumulVar(idx).SetRange(
            round(verts[node][5] * toptw.SCALE), round(verts[node][6] * toptw.SCALE)
        )
        model.AddDisjunction([idx], verts[node][4] * 10_000)
    for v in range(m):
        time_dim.CumulVar(model.End(v)).SetMax(tmax)
    first = []

    def at_solution():
        if not first:
            first.append(time.perf_counter() - t0)

    model.AddAtSolutionCallback(at_solution)
    sp = pywrapcp.DefaultRoutingSearchParameters()
    sp.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    sp.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    sp.time_limit.FromMilliseconds(int(limit * 1000))
    sp.solution_limit = 1  # the first solution is all this measures
    model.SolveWithParameters(sp)
    return first[0] if first else None


def fmt(x, nd=3):
    if x is None:
        return "-"
    return f"{x:.{nd}f}" if isinstance(x, float) else str(x)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--families", nargs="*", default=["aude", "S", "XL"])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--toptw", nargs="*", default=[f"pr{k:02d}" for k in range(1, 11)])
    ap.add_argument("--no-toptw", action="store_true")
    ap.add_argument("--m", type=int, nargs="*", default=[1, 2, 3, 4])
    ap.add_argument("--xl", type=int, default=3000)
    ap.add_argument("--time-limit", type=float, default=2.0)
    args = ap.parse_args(argv)
    # An infinite gap: the solve ends with the first programme CP-SAT confirms.
    params = Params(time_limit_s=args.time_limit, explain=False, relative_gap=1e9)
    cases = []
    for fam in args.families:
        if fam == "aude":
            path = HERE / "instances" / "aude-2009.json"
            cases.append(("aude-2009", problem_from_dict(json.loads(path.read_text())), params))
        elif fam == "XL":
            # The figure: 10 s, the model (too large to build in time) not counted.
            xl = dict(time_limit_s=10.0, explain=False)
            cases.append((f"XL-{args.xl}", generate("XL", 0, args.xl), Params(**xl)))
        else:
            cases += [(f"{fam}-{s}", generate(fam, s), params) for s in range(args.seeds)]
    head = "| instance | activities | status | first s (load) | construction s | mandatory out"
    head += " | first objective | routing first s | ratio |"
    print(head)
    print("|" + "---|" * 9, flush=True)
    summary = {"aude": None, "S": [], "ratio": [], "xl_s": None, "xl_out": None}

    def row(name, n, o, rfirst=None):
        ratio = None
        if rfirst and o["first_s"] is not None:
            ratio = o["first_s"] / rfirst
        print(
            f"| {name} | {n} | {o['status']} | {fmt(o['first_s'])} ({o['load']}) | "
            f"{fmt(o['construct_s'])} | {o['out']}{'' if o['valid'] else ' INVALID'} | "
            f"{fmt(o['first_obj'], 0)} | {fmt(rfirst)} | {fmt(ratio, 2)} |",
            flush=True,
        )
        return ratio

    for name, problem, p in cases:
        o = ours(problem, p)
        row(name, len(problem.activities), o)
        if name.startswith("aude"):
            summary["aude"] = o["first_s"]
        elif name.startswith("S-"):
            summary["S"].append(o["first_s"] if o["first_s"] is not None else float("inf"))
        elif name.startswith("XL-"):
            summary["xl_s"], summary["xl_out"] = o["first_s"], o["out"]
    if not args.no_toptw:
        w = Weights(moves=0, value=1, preferred=0, travel=0, late=0, balance=0)
        w = Weights(**{**w.__dict__, "interpreter_spread": 0})
        tp = Params(
            time_limit_s=args.time_limit,
            weights=w,
            strategy="weighted",
            sequencing="pairwise",
            explain=False,
            relative_gap=1e9,
        )
        for name in args.toptw:
            verts = toptw.read(name)
            for m in args.m:
                problem = toptw.to_problem(verts, m)
                o = ours(problem, tp)
                rfirst = routing_first(verts, m)
                ratio = row(f"{name} m={m}", len(problem.activities), o, rfirst)
                if ratio is not None:
                    summary["ratio"].append(ratio)
    aude = fmt(summary["aude"])
    s_max = fmt(max(summary["S"])) if summary["S"] else "-"
    ratio = fmt(statistics.median(summary["ratio"]), 2) if summary["ratio"] else "-"
    print(
        f"first: aude_s={aude} s_max_s={s_max} toptw_ratio_p50={ratio} "
        f"xl{args.xl}_first_s={fmt(summary['xl_s'])} xl{args.xl}_mandatory_out={summary['xl_out']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
