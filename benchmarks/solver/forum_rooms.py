"""What bounds the forum L (issue 18, L gap <= 5 % at 60 s): each room's best on its own,
and the relaxation of days and gaps (relaxation.py) with its own best assignment.

    .venv/bin/python benchmarks/solver/forum_rooms.py [--seed 0] [--relaxation 30]

A session needs its room, so the rooms partition the sessions: the sum over rooms of the
most value each room holds alone (its sessions into the gaps between the plenaries, on
their speakers' days, the mandatory ones in) bounds the value of every programme. Each room
is a small multiple knapsack, proven in milliseconds. The relaxation adds the cohorts, the
speakers and the lunch; its own best assignment of sessions to gaps is an upper view of
what a programme can reach (times within a gap are not checked). The last line:
`forum: rooms_bound=<objective> relaxation_bound=<objective> relaxation_best=<objective>`
on the minimised objective's scale (value weight 100; costs at 0).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from machine import load  # noqa: E402
from ortools.sat.python import cp_model  # noqa: E402

from scheduling.solver import relaxation  # noqa: E402
from scheduling.solver.gaps import fixed_blocks, is_fixed, segments  # noqa: E402
from scheduling.solver.model import Params  # noqa: E402
from scheduling.solver.prepare import Prepared  # noqa: E402


def room_best(prep: Prepared, acts, blocks) -> int:
    """The most optional value `acts` (one room's sessions) hold alone."""
    m = cp_model.CpModel()
    value, bins = [], {}
    for a in acts:
        lits = []
        for did in prep.domains[a.id]:
            for lo, hi in segments(prep, prep.domains, a.id, did, blocks):
                y = m.new_bool_var("")
                lits.append(y)
                bins.setdefault((did, lo, hi + a.duration), []).append((a.duration, y))
        if a.mandatory:
            m.add_exactly_one(lits)
        else:
            m.add_at_most_one(lits)
            value.append(a.value * sum(lits))
    for (_did, lo, end), items in bins.items():
        m.add(sum(d * y for d, y in items) <= end - lo)
    m.maximize(sum(value))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    solver.solve(m)
    return int(solver.best_objective_bound)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--relaxation", type=float, default=30.0)
    args = ap.parse_args()
    p = generate("L", args.seed)
    params = Params(time_limit_s=60)
    prep = Prepared(p, params)
    blocks = fixed_blocks(prep, prep.domains)
    by_room: dict[int, list] = {}
    for a in p.activities:
        if not is_fixed(prep.domains, a.id):
            by_room.setdefault(a.venue, []).append(a)
    t0 = time.perf_counter()
    rooms = sum(room_best(prep, acts, blocks) for acts in by_room.values())
    rooms_bound = -params.weights.value * rooms
    print(f"L-{args.seed}: rooms alone hold value {rooms}: objective >= {rooms_bound}", end="")
    print(f" ({time.perf_counter() - t0:.2f} s, load {load()})")
    r = relaxation.relaxation_bound(prep, params.weights, args.relaxation)
    rb, best = (r.bound, r.objective) if r else ("-", "-")
    print(f"relaxation {args.relaxation:.0f} s: bound {rb}, its best {best} (load {load()})")
    print(f"forum: rooms_bound={rooms_bound} relaxation_bound={rb} relaxation_best={best}")


if __name__ == "__main__":
    main()
