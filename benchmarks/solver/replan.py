"""Re-plan benchmark: on an M instance, 20 random host declines, each re-planned from the
previous programme (hinted, moves penalised) and, for comparison, solved again from scratch.

    .venv/bin/python benchmarks/solver/replan.py [--seed 1] [--declines 20] [--time-limit 2]

A decline removes the host's availability around the placed activity (the slot becomes busy),
so at least that activity must move. Columns: moves (activities whose start changed), time to
reach that number of moves (from the progress stream), wall time; p50/p95 over the declines.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from machine import load  # noqa: E402

from scheduling.solver import Params, solve_programme, validate  # noqa: E402
from scheduling.solver.io import result_from_dict, result_to_dict  # noqa: E402


def decline(problem, placement, host_id):
    """The host is no longer available during the placed slot (busy there from now on)."""
    a = next(x for x in problem.activities if x.id == placement.activity)
    hosts = tuple(
        dataclasses.replace(h, busy=(*h.busy, (placement.start, placement.start + a.duration)))
        if h.id == host_id
        else h
        for h in problem.hosts
    )
    return dataclasses.replace(problem, hosts=hosts)


def timed(problem, params):
    seen = []
    t0 = time.perf_counter()
    r = solve_programme(problem, params, on_progress=lambda p: seen.append(p))
    return r, time.perf_counter() - t0, seen


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", default="M")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--declines", type=int, default=20)
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--base-time-limit", type=float, default=10.0)
    ap.add_argument(
        "--base-file",
        type=Path,
        default=None,
        help="reuse the base programme stored there (written on first use): the base solve "
        "is not deterministic, and comparing two re-plan methods needs the same declines",
    )
    ap.add_argument("--no-scratch", action="store_true", help="skip the solves from scratch")
    args = ap.parse_args(argv)
    base = generate(args.family, args.seed)
    if args.base_file is not None and args.base_file.exists():
        first = result_from_dict(json.loads(args.base_file.read_text()))
    else:
        first = solve_programme(base, Params(time_limit_s=args.base_time_limit))
        if args.base_file is not None:
            args.base_file.write_text(json.dumps(result_to_dict(first)))
    print(f"base {args.family}-{args.seed}: {first.status}, {len(first.placements)} placed")
    rng = random.Random(args.seed)
    hosted = [pl for pl in first.placements if base.activities[pl.activity - 1].hosts]
    rows = []
    started = load()
    print(
        "| decline | replan status | moves | t_moves_s | wall_s (load) | scratch moves "
        "| scratch wall_s |"
    )
    print("|---|---|---|---|---|---|---|")
    for k in range(args.declines):
        pl = rng.choice(hosted)
        host = base.activities[pl.activity - 1].hosts[0]
        p = decline(base, pl, host)
        replan_p = dataclasses.replace(
            p, previous=first.placements, previous_assignments=first.assignments
        )
        params = Params(time_limit_s=args.time_limit, explain=False)
        r, wall, seen = timed(replan_p, params)
        assert not r.placements or validate(p, r) == []
        # Time at which the final number of moves was first reached: moves dominate the
        # objective (weight 100000), so it is the first solution within 50000 of the last.
        t_moves = next(
            (
                s.elapsed_s
                for s in seen
                if r.objective is not None and abs(s.objective - r.objective) < 50_000
            ),
            wall,
        )
        if args.no_scratch:
            s_moves, swall = None, None  # not measured: printed as "-", left out of the summary
        else:
            scratch, swall, _ = timed(p, params)
            prev = {x.activity: x.start for x in first.placements}
            placed = {x.activity for x in scratch.placements}
            s_moves = sum(1 for x in scratch.placements if prev.get(x.activity) != x.start)
            s_moves += sum(1 for a in prev if a not in placed)
        rows.append((r.terms.get("moves"), t_moves, wall, s_moves, swall))
        scratch_cells = "- | -" if s_moves is None else f"{s_moves} | {swall:.2f}"
        print(
            f"| {k + 1}: activity {pl.activity} host {host} | {r.status} | "
            f"{r.terms.get('moves')} | {t_moves:.2f} | {wall:.2f} ({load()}) | {scratch_cells} |"
        )
    moves = [x[0] for x in rows if x[0] is not None]
    print()
    if moves:
        print(
            f"re-plan: moves min/median/max = {min(moves)}/{statistics.median(moves)}/{max(moves)}"
        )
    print(
        f"re-plan: time to final moves p50 = {pct([x[1] for x in rows], 0.5):.2f} s, "
        f"p95 = {pct([x[1] for x in rows], 0.95):.2f} s; wall p95 = "
        f"{pct([x[2] for x in rows], 0.95):.2f} s; "
        f"{len(rows) - len(moves)} of {len(rows)} without a programme (load {started}-{load()})"
    )
    if not args.no_scratch:
        print(
            f"from scratch: moves median = {statistics.median([x[3] for x in rows])}, "
            f"wall p95 = {pct([x[4] for x in rows], 0.95):.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
