"""The solver at scale (issue 18): the limit holds and memory stays bounded.

    .venv/bin/python benchmarks/solver/scale.py [--sizes 1000 3000 10000] [--time-limit 10]
        [--repo PATH] [--seed 0]

For each size, a generated XL instance (generate.py: a season of visits) is written to a
temporary file and solved by the command line (`python -m scheduling.solver solve`) in a
subprocess of the checkout at `--repo` (default: this one; a `git worktree` of an older
commit gives the "before" rows). Printed per size: the child's wall time, its peak RSS
(getrusage of that child alone, os.wait4), the status and exit code (a traceback is shown as
such), the time to the first programme, the reason of an `unknown`, and the pair literals of
the model (order literals between two activities: built in another subprocess of the same
checkout, groups pairwise, interpreters' travel and rest; '-' if that build did not finish
within --build-timeout). The machine's 1-minute load average is printed beside each timing.
Run it alone: the 10,000 row before issue 18 took minutes and gigabytes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from generate import season  # noqa: E402
from machine import load  # noqa: E402

from scheduling.solver.io import problem_to_dict  # noqa: E402

# Counts the order literals (new Boolean variables) the pair rules create, in the checkout
# it runs in: the same count before and after issue 18 (ctx.pairs did not exist before).
COUNT = """
import json, sys
from scheduling.solver import Params
from scheduling.solver.build import Ctx
from scheduling.solver.io import problem_from_dict
from scheduling.solver.prepare import Prepared
from scheduling.solver.rules import groups, interpreters, rest
from scheduling.solver.variables import build_variables
from ortools.sat.python import cp_model
p = problem_from_dict(json.load(open(sys.argv[1])))
params = Params(sequencing="pairwise")
ctx = Ctx(problem=p, params=params, prep=Prepared(p, params), m=cp_model.CpModel())
build_variables(ctx)
interpreters.add_interpretation(ctx)
before = len(ctx.m.proto.variables)
groups.add_group_travel(ctx)
interpreters.add_interpreter_overlap(ctx)
rest.add_interpreter_rest(ctx)
print(len(ctx.m.proto.variables) - before, len(ctx.assigned))
"""


def run_child(cmd, cwd, timeout):
    """(wall s, peak RSS MiB, exit code, stdout, stderr) of one child, its own rusage."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, text=True)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss / 1024, child.returncode, out.read(), err.read()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000, 10000])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--repo", default=str(ROOT), help="the checkout whose solver is run")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=300.0, help="kill a solve after this")
    ap.add_argument("--build-timeout", type=float, default=120.0)
    ap.add_argument("--no-count", action="store_true", help="skip the pair-literal count")
    args = ap.parse_args(argv)
    python = sys.executable
    print(f"repo {args.repo}, limit {args.time_limit:g} s, XL seed {args.seed}")
    head = "| activities | wall s (load) | peak RSS MiB | status (exit) | first s | reason |"
    head += " pair literals (y) | count build s (load) |"
    print(head)
    print("|" + "---|" * 8)
    for n in args.sizes:
        problem = season(n, args.seed)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(problem_to_dict(problem), f)
            path = f.name
        try:
            cmd = [python, "-m", "scheduling.solver", "solve", path]
            cmd += ["--time-limit", str(args.time_limit)]
            before = load()
            wall, rss, code, out, err = run_child(cmd, args.repo, args.timeout)
            after = load()
            status, first, reason = "-", "-", ""
            if "Traceback" in err:
                status = "traceback: " + err.strip().splitlines()[-1][:60]
            elif code < 0:
                status = f"killed ({-code})"
            else:
                try:
                    r = json.loads(out)
                    status = r["status"]
                    if r.get("time_to_first_s") is not None:
                        first = f"{r['time_to_first_s']:.2f}"
                    reason = "; ".join(
                        f"{c['rule']} {c.get('params', {}).get('stage', '')}".strip()
                        for c in r.get("conflicts", [])[:2]
                    )
                except (ValueError, KeyError):
                    status = "no JSON"
            count, cwall, cload = "-", "-", ""
            if not args.no_count:
                cload = load()
                c = run_child([python, "-c", COUNT, path], args.repo, args.build_timeout)
                if c[2] == 0:
                    pairs, ys = c[3].split()
                    count, cwall = f"{int(pairs)} ({int(ys)})", f"{c[0]:.1f} ({cload})"
                else:
                    cwall = f"> {c[0]:.0f} ({cload}), {c[1]:.0f} MiB"
            print(
                f"| {n} | {wall:.1f} ({before}-{after}) | {rss:.0f} | {status} ({code}) "
                f"| {first} | {reason or '-'} | {count} | {cwall} |",
                flush=True,
            )
        finally:
            os.unlink(path)


if __name__ == "__main__":
    main()
