"""Tours as good as routing (issue 18): our solve (the construction, then the tours stage,
scheduling/solver/tours.py: routing's guided local search seeded by it) against OR-Tools
routing alone (toptw.py's peer: PATH_CHEAPEST_ARC + GUIDED_LOCAL_SEARCH) at the same time
limit, on Cordeau's TOPTW pr01-pr10, m = 1..4 tours.

    .venv/bin/python benchmarks/solver/tours.py [pr01 pr02 ...] [--m 1 2 3 4] [--time-limit 10]

Each row runs ours then routing (2 x the limit); the 1-minute load average before and after
the row is printed beside it. Every programme of ours is checked by validate.py. A win:
ours >= routing. Last line: `tours: wins=<n>/<rows> total_ours=<x> total_routing=<y>`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import toptw  # noqa: E402
from machine import load  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("instances", nargs="*", default=[f"pr{k:02d}" for k in range(1, 11)])
    ap.add_argument("--m", type=int, nargs="*", default=[1, 2, 3, 4])
    ap.add_argument("--time-limit", type=float, default=10.0)
    args = ap.parse_args(argv)
    print("| instance | m | ours | ours status | ours wall_s | routing | routing wall_s | load |")
    print("|---|---|---|---|---|---|---|---|")
    wins = rows = total_ours = total_routing = 0
    for name in args.instances:
        verts = toptw.read(name)
        for m in args.m:
            before = load()
            score, _bound, status, wall = toptw.ours(toptw.to_problem(verts, m), args.time_limit)
            rscore, rwall = toptw.routing(verts, m, args.time_limit)
            rows += 1
            wins += score >= rscore
            total_ours += score
            total_routing += rscore
            print(
                f"| {name} | {m} | {score} | {status} | {wall:.1f} | {rscore} | {rwall:.1f} | "
                f"{before}-{load()} |",
                flush=True,
            )
    print(f"tours: wins={wins}/{rows} total_ours={total_ours} total_routing={total_routing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
