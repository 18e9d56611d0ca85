"""Benchmark the programme solver: the Aude 2009 instance and the seeded S/M/L families.

    .venv/bin/python benchmarks/solver/run.py [aude|S|M|L ...] [--seeds 3] [--time-limit S]

Prints one row per instance: status, objective, bound, gap, time to first solution, time to
the best solution, wall time, peak memory of this process. Figures, not timed tests; run one
benchmark at a time on a shared machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from scheduling.solver import Params, solve_programme, validate  # noqa: E402
from scheduling.solver.greedy import greedy  # noqa: E402
from scheduling.solver.io import problem_from_dict  # noqa: E402
from scheduling.solver.policy import interpretation  # noqa: E402

LIMITS = {"aude": 10.0, "S": 10.0, "M": 10.0, "L": 60.0}


def fmt(x, nd=2):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{nd}f}"
    return str(x)


def run_one(name: str, problem, params: Params) -> dict:
    times = []
    t0 = time.perf_counter()
    r = solve_programme(problem, params, on_progress=lambda p: times.append(p.elapsed_s))
    wall = time.perf_counter() - t0
    violations = validate(problem, r) if r.placements else []
    return {
        "instance": name,
        "activities": len(problem.activities),
        "status": r.status,
        "objective": r.objective,
        "bound": r.bound,
        "gap": r.gap,
        "first_s": r.time_to_first_s,
        "best_s": times[-1] if times else None,
        "wall_s": wall,
        "placed": len(r.placements),
        "violations": len(violations),
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **_greedy_columns(problem, params),
    }


def _greedy_columns(problem, params) -> dict:
    """The spreadsheet-style peer on the same instance (see greedy.py)."""
    _result, status, objective, wall, violations = greedy(problem, params)
    missing = sum(1 for v in violations if v.rule == "mandatory")
    return {
        "greedy": status,
        "greedy_obj": objective,
        "greedy_missing": missing,
        "greedy_s": wall,
    }


COLUMNS = [
    "instance",
    "activities",
    "status",
    "objective",
    "bound",
    "gap",
    "first_s",
    "best_s",
    "wall_s",
    "placed",
    "violations",
    "peak_mib",
    "greedy",
    "greedy_obj",
    "greedy_missing",
    "greedy_s",
]


def print_table(rows: list[dict]) -> None:
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for row in rows:
        print("| " + " | ".join(fmt(row[c], 3 if c == "gap" else 2) for c in COLUMNS) + " |")
    sys.stdout.flush()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("families", nargs="*", default=["aude", "S", "M"])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", action="store_true", help="print rows as JSON lines instead")
    args = ap.parse_args(argv)
    rows = []
    for fam in args.families:
        limit = args.time_limit or LIMITS[fam]
        params = Params(time_limit_s=limit, workers=args.workers, explain_time_limit_s=10)
        if fam == "aude":
            path = HERE / "instances" / "aude-2009.json"
            aude = problem_from_dict(json.loads(path.read_text()))
            cases = [(f"aude-2009 {aude.interpretation.policy}", aude)]
            # The same visit under the other policy: what the policy costs or saves.
            other = "conference" if aude.interpretation.policy == "liaison" else "liaison"
            cases.append(
                (
                    f"aude-2009 {other}",
                    dataclasses.replace(aude, interpretation=interpretation(other)),
                )
            )
        else:
            cases = [(f"{fam}-{s}", generate(fam, s)) for s in range(args.seeds)]
        for name, problem in cases:
            row = run_one(name, problem, params)
            rows.append(row)
            if args.json:
                print(json.dumps(row), flush=True)
    if not args.json:
        print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
