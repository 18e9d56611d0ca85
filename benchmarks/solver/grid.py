"""What the time grid does to solving: Aude, S and M with grid 1 (every minute) and grid 5
(round times, the visit's default) in the same run, on the same machine state.

    .venv/bin/python benchmarks/solver/grid.py [--seeds 2] [--time-limit 10] [--quick]

One row per instance and grid: status, objective, bound, gap, time to the first solution,
wall time, and whether every start is on the grid. Figures, not a timed test; the machine
is shared, so run one benchmark at a time. `--quick`: one seed, 5 s per solve.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from scheduling.solver import Params, solve_programme, validate  # noqa: E402
from scheduling.solver.io import problem_from_dict  # noqa: E402

COLUMNS = ["instance", "grid", "status", "objective", "bound", "gap", "first_s", "wall_s"]
COLUMNS += ["on_grid", "violations"]


def _cases(seeds: int):
    path = HERE / "instances" / "aude-2009.json"
    yield "aude-2009", problem_from_dict(json.loads(path.read_text()))
    for fam in ("S", "M"):
        for seed in range(seeds):
            yield f"{fam}-{seed}", generate(fam, seed)


def run_one(name: str, problem, grid: int, params: Params) -> dict:
    problem = dataclasses.replace(problem, time_grid=grid)
    t0 = time.perf_counter()
    r = solve_programme(problem, params)
    wall = time.perf_counter() - t0
    return {
        "instance": name,
        "grid": grid,
        "status": r.status,
        "objective": r.objective,
        "bound": r.bound,
        "gap": r.gap,
        "first_s": r.time_to_first_s,
        "wall_s": wall,
        "on_grid": all(pl.start % grid == 0 for pl in r.placements),
        "violations": len(validate(problem, r)) if r.placements else 0,
    }


def _fmt(x, column: str) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.3f}" if column == "gap" else f"{x:.2f}"
    return str(x)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--grids", type=int, nargs="*", default=[1, 5])
    ap.add_argument("--quick", action="store_true", help="one seed, 5 s per solve")
    ap.add_argument("--json", action="store_true", help="print rows as JSON lines")
    args = ap.parse_args(argv)
    seeds, limit = (1, 5.0) if args.quick else (args.seeds, args.time_limit)
    params = Params(time_limit_s=limit, workers=2, explain=False)
    if not args.json:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "---|" * len(COLUMNS))
    for name, problem in _cases(seeds):
        # Both grids back to back: the same machine load for the pair.
        for grid in args.grids:
            row = run_one(name, problem, grid, params)
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                print("| " + " | ".join(_fmt(row[c], c) for c in COLUMNS) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
