"""Bounds that mean something (issue 18): bound, objective, gap, status and time on S, M, L
and an interpreter-block case, for the solver of any checkout.

    .venv/bin/python benchmarks/solver/bounds.py [S M L blocks] [--seeds 3] [--repo PATH]
        [--limit S=10 M=10 L=60 blocks=10] [--runs 1]

Each solve runs in a subprocess of the checkout at `--repo` (default: this one; a
`git worktree` of an older commit gives the "before" rows), on instances generated here,
so before and after solve the same problems. The gaps are computed here, on this
checkout's basis (objective.normalised): the score is "what is reachable minus the
penalties" (scoring.score_bound: a fixed upper bound computed from the problem), so
gap = (bound - score) / bound with bound and score on that scale; `raw gap` is CP-SAT's
|objective - bound| / |objective| on the minimised objective, the basis before.

`blocks` is the conference case with interpreters (conference.py's rooms and slots, each
talk at a fixed slot): optional talks of 40 minutes (one interpreter each) in fixed blocks,
interpreters with a few directions; the only thing in the way of a talk is an interpreter
free in its block, so a bipartite matching per block proves the optimum
(`matching_optimum`). Its row gives how far the reported bound sits above that optimum.

The 1-minute load average is printed beside every timing. The last line:
`bounds: s_optimal_s=<s> m_gap_10s=<pct> l_gap_60s=<pct> conference_bound_over_opt=<pct>`
(the worst over the seeds and runs; '-' if an S instance was not proven optimal).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from machine import load  # noqa: E402

from scheduling.solver import (  # noqa: E402
    Activity,
    Day,
    Group,
    Host,
    Interpreter,
    Problem,
    Venue,
    Weights,
    Window,
)
from scheduling.solver.io import problem_to_dict  # noqa: E402
from scheduling.solver.model import Interpretation  # noqa: E402

LIMITS = {"S": 10.0, "M": 10.0, "L": 60.0, "blocks": 10.0}
BLOCK_STARTS = (540, 600, 660, 840, 900, 960)  # 09:00 ... 16:00, 40-minute talks
BLOCK_DUR = 40  # up to 40 minutes: one interpreter (AIIC, simultaneous)
BLOCK_LANGS = ("fr", "en", "es", "de")
VALUE_ONLY = dataclasses.replace(
    Weights(*(0 for _f in dataclasses.fields(Weights))), value=Weights().value
)


def blocks(
    seed: int, talks: int = 72, days: int = 2, interpreters: int = 8, slots: int = 3
) -> Problem:
    """Talks of 40 minutes into fixed blocks (six a day, conference.py's way: a slot is a
    speaker's window of exactly the talk's length), each talk possible in `slots` blocks,
    optional with a value. Each talk has its own speaker and its own audience (a group
    listening in one language) in a conference centre (one venue, not exclusive): the only
    thing in the way of a talk is an interpreter, when it is spoken in another language,
    qualified for that direction, free that day and not taken in that block. Weights:
    value only (what a matching can prove: `matching_optimum`)."""
    rng = random.Random(f"blocks-{seed}")
    day_t = tuple(Day(d, d * 1440 + 540, d * 1440 + 1035) for d in range(days))
    venues = (Venue(1, "conference centre"),)
    starts = [d.start - 540 + t for d in day_t for t in BLOCK_STARTS]
    pairs = [(s, t) for s in BLOCK_LANGS for t in BLOCK_LANGS if s != t]
    interps = []
    for i in range(interpreters):
        dirs = tuple(sorted(rng.sample(pairs, rng.choice((2, 3, 4)))))
        on = sorted(rng.sample(range(days), rng.choice((1, days))))
        wins = tuple(Window(day_t[d].start, day_t[d].end) for d in on)
        interps.append(Interpreter(i + 1, f"interpreter {i + 1}", dirs, ("simultaneous",), wins))
    acts, hosts, groups = [], [], []
    for k in range(1, talks + 1):
        groups.append(Group(k, f"audience {k}", (rng.choice(BLOCK_LANGS),), None, 10))
        wins = tuple(Window(s, s + BLOCK_DUR) for s in sorted(rng.sample(starts, slots)))
        hosts.append(Host(k, f"speaker {k}", wins))
        acts.append(
            Activity(
                k,
                f"talk {k}",
                BLOCK_DUR,
                1,
                (k,),
                (rng.choice(BLOCK_LANGS),),
                (k,),
                mandatory=False,
                value=rng.randint(1, 6),
                interpretation_mode="simultaneous",
            )
        )
    return Problem(
        day_t,
        venues,
        {},
        tuple(hosts),
        tuple(groups),
        tuple(acts),
        (),
        tuple(interps),
        time_grid=5,
        interpretation=Interpretation(policy="conference"),
    )


def _max_weight_matching(weights: dict[tuple[int, int], int]) -> int:
    """The largest total weight of a matching of a bipartite graph ((left, right) -> weight),
    by successive longest augmenting paths (Bellman-Ford on the residual graph): small and
    exact, independent of CP-SAT."""
    left = sorted({a for a, _ in weights})
    right = sorted({b for _, b in weights})
    match_l: dict = {}
    match_r: dict = {}
    total = 0
    while True:
        # Longest path from a free left node to a free right node, alternating.
        best = {("L", a): 0 for a in left if a not in match_l}
        prev: dict = {}
        for _ in range(len(left) + len(right) + 1):
            changed = False
            for (a, b), w in weights.items():
                la, rb = ("L", a), ("R", b)
                if la in best and match_l.get(a) != b and best[la] + w > best.get(rb, -(10**9)):
                    best[rb], prev[rb], changed = best[la] + w, la, True
                if rb in best and match_l.get(a) == b and best[rb] - w > best.get(la, -(10**9)):
                    best[la], prev[la], changed = best[rb] - w, rb, True
            if not changed:
                break
        ends = [(best[("R", b)], b) for b in right if b not in match_r and ("R", b) in best]
        if not ends:
            return total
        gain, b = max(ends)
        if gain <= 0:
            return total
        node = ("R", b)
        while node in prev:
            p = prev[node]
            if node[0] == "R":
                match_l[p[1]], match_r[node[1]] = node[1], p[1]
            node = p
        total += gain


def matching_optimum(problem: Problem) -> int:
    """The largest placed value of a `blocks` instance: talks needing no interpreter are all
    placed; the others are matched with (interpreter, block) pairs, the block one of the
    speaker's, the interpreter qualified and available then (one talk per interpreter and
    block): a bipartite matching."""
    langs = {g.id: g.languages[0] for g in problem.groups}
    speaker = {h.id: h for h in problem.hosts}
    total, edges = 0, {}
    for a in problem.activities:
        spoken, heard = a.languages[0], langs[a.groups[0]]
        if spoken == heard:
            total += a.value
            continue
        for w in speaker[a.hosts[0]].windows:
            for i in problem.interpreters:
                if (spoken, heard) in i.directions and any(
                    x.start <= w.start and w.end <= x.end for x in i.windows
                ):
                    edges[a.id, (i.id, w.start)] = a.value
    return total + _max_weight_matching(edges)


# The solve in the checkout under test (cwd = --repo): prints the result's figures as JSON.
CHILD = """
import dataclasses, json, sys, time
from scheduling.solver import Params, Weights, solve_programme, validate
from scheduling.solver.io import problem_from_dict
p = problem_from_dict(json.load(open(sys.argv[1])))
w = Weights(**json.loads(sys.argv[3]))
params = Params(time_limit_s=float(sys.argv[2]), weights=w, explain=False)
times = []
t0 = time.perf_counter()
r = solve_programme(p, params, on_progress=lambda x: times.append(x.elapsed_s))
wall = time.perf_counter() - t0
bad = len(validate(p, r)) if r.placements else 0
root = None
if sys.argv[4] == "root":
    # The bound of the root node (presolve, the whole linear relaxation, cuts), no search.
    from ortools.sat.python import cp_model
    from scheduling.solver.build import build
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.max_number_of_conflicts = 0
    s.parameters.linearization_level = 2
    s.parameters.add_lp_constraints_lazily = False
    s.solve(build(p, params).m)
    root = s.best_objective_bound
print(json.dumps(dict(status=str(r.status), objective=r.objective, bound=r.bound, gap=r.gap,
    wall=wall, first=r.time_to_first_s, best=times[-1] if times else None, violations=bad,
    placed=len(r.placements), root=root)))
"""


def solve_in(repo: str, problem: Problem, limit: float, weights: Weights, root=False) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(problem_to_dict(problem), f)
        path = f.name
    try:
        w = json.dumps(dataclasses.asdict(weights))
        cmd = [sys.executable, "-c", CHILD, path, str(limit), w, "root" if root else "-"]
        out = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, timeout=limit * 5 + 120)
        if out.returncode:
            return {"status": "error: " + out.stderr.strip().splitlines()[-1][:80]}
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        os.unlink(path)


def relaxation_row(problem: Problem, weights: Weights, seconds: float, obj, reach) -> str:
    """The relaxation (scheduling/solver/relaxation.py of this checkout) solved alone for
    `seconds` (one worker): its bound and the gap it gives the solve's objective."""
    from scheduling.solver import Params
    from scheduling.solver.prepare import Prepared
    from scheduling.solver.relaxation import relaxation_bound
    from scheduling.solver.scoring import normalised_gap

    before = load()
    r = relaxation_bound(Prepared(problem, Params(weights=weights)), weights, seconds)
    if r is None:
        return f"|   relaxation alone ({seconds:g} s) | none | | | | | | | | | | ({before}) | | |"
    gap = 100 * normalised_gap(obj, r.bound, reach)
    state = "proven" if r.proven else "bound"
    return (
        f"|   relaxation alone ({seconds:g} s) | {state} | {fmt(r.objective, 0)} | {r.bound} | "
        f"| {reach} | | {reach - r.bound} | {gap:.2f} % | | | {r.wall_s:.2f} ({before}-{load()}) "
        "| | |"
    )


def fmt(x, nd=2) -> str:
    if x is None:
        return "-"
    return f"{x:.{nd}f}" if isinstance(x, float) else str(x)


def main(argv=None) -> int:
    from scheduling.solver.scoring import normalised_gap, score_offset

    ap = argparse.ArgumentParser()
    ap.add_argument("families", nargs="*", default=["S", "M", "L", "blocks"])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--l-seeds", type=int, default=1)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--repo", default=str(ROOT))
    ap.add_argument("--limit", nargs="*", default=[], help="FAMILY=SECONDS")
    ap.add_argument(
        "--relaxation",
        type=float,
        default=0.0,
        help="also solve this checkout's relaxation alone for SECONDS per instance",
    )
    args = ap.parse_args(argv)
    limits = dict(LIMITS)
    for item in args.limit:
        fam, s = item.split("=")
        limits[fam] = float(s)
    print(f"repo {args.repo}")
    print(
        "| instance | status | objective | bound | raw gap | offset | score | score bound "
        "| gap | first s | best s | wall s (load) | placed | violations |"
    )
    print("|" + "---|" * 14)
    worst: dict[str, float | None] = {}
    s_times: list = []
    for fam in args.families:
        seeds = args.l_seeds if fam == "L" else args.seeds
        for seed in range(seeds):
            if fam == "blocks":
                problem, weights = blocks(seed, talks=120, interpreters=10), VALUE_ONLY
            else:
                problem, weights = generate(fam, seed), Weights()
            reach = score_offset(problem, weights)
            opt = matching_optimum(problem) * weights.value if fam == "blocks" else None
            for _run in range(args.runs):
                before = load()
                r = solve_in(args.repo, problem, limits[fam], weights, root=fam == "blocks")
                after = load()
                obj, bound = r.get("objective"), r.get("bound")
                score = sbound = gap = None
                if obj is not None:
                    score = reach - obj
                if bound is not None:
                    sbound = reach - bound
                    gap = normalised_gap(obj, bound, reach)
                # CP-SAT's basis (the gap reported before): relative to |objective|.
                raw = None if bound is None else abs(obj - bound) / max(1.0, abs(obj))
                name = f"{fam}-{seed}"
                print(
                    f"| {name} | {r['status']} | {fmt(obj, 0)} | {fmt(bound, 0)} | {fmt(raw, 3)} "
                    f"| {reach} | {fmt(score, 0)} | {fmt(sbound, 0)} "
                    f"| {fmt(None if gap is None else 100 * gap, 2)} % | {fmt(r.get('first'))} "
                    f"| {fmt(r.get('best'))} | {fmt(r.get('wall'))} ({before}-{after}) "
                    f"| {r.get('placed', '-')} | {r.get('violations', '-')} |",
                    flush=True,
                )
                if args.relaxation and obj is not None:
                    print(relaxation_row(problem, weights, args.relaxation, obj, reach), flush=True)
                if fam == "S":
                    s_times.append(r.get("wall") if r["status"] == "optimal" else None)
                if fam in ("M", "L"):
                    g = None if gap is None else 100 * gap
                    old = worst.get(fam, 0.0)
                    worst[fam] = None if g is None or old is None else max(old, g)
                if fam == "blocks":
                    root = r.get("root")
                    over = None if root is None else 100 * (-root - opt) / opt
                    print(
                        f"|   root bound (no search) | | | {fmt(root, 0)} | | | | "
                        f"{fmt(None if root is None else reach - root, 0)} | "
                        f"{fmt(over, 2)} % over the matching optimum {opt} | | | | | |"
                    )
                    old = worst.get("blocks", 0.0)
                    worst["blocks"] = None if over is None or old is None else max(old, over)

    def pct(key):
        v = worst.get(key)
        return "-" if v is None else f"{v:.2f}"

    s_opt = "-" if not s_times or None in s_times else f"{max(s_times):.2f}"
    print(
        f"bounds: s_optimal_s={s_opt} m_gap_10s={pct('M')} l_gap_60s={pct('L')} "
        f"conference_bound_over_opt={pct('blocks')}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
