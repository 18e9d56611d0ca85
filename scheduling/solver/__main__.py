"""Command line: `python -m scheduling.solver solve|check|schema` (see docs/problem-format.md)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys

from .io import ProblemFormatError, json_schema, problem_from_dict, result_from_dict, result_to_dict
from .model import POLICIES, Params, SolveStatus
from .policy import interpretation
from .solve import solve_programme
from .validate import validate


def _load(path: str, what: str):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise ProblemFormatError(path, f"cannot read {what}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise ProblemFormatError(path, f"not JSON: {e.msg} at line {e.lineno}") from None
    except UnicodeDecodeError as e:
        raise ProblemFormatError(path, f"not UTF-8: byte {e.start} cannot be decoded") from None
    except RecursionError:
        raise ProblemFormatError(path, "not JSON this parser can read: nested too deeply") from None
    except ValueError as e:  # e.g. an integer literal of thousands of digits
        raise ProblemFormatError(path, f"not JSON this parser can read: {e}") from None


def _problem(path: str, time_grid: int | None = None):
    try:
        d = _load(path, "problem")
        if time_grid is not None and isinstance(d, dict):
            d["time_grid"] = time_grid  # read (and checked) as if the file said so
        return problem_from_dict(d)
    except ProblemFormatError as e:
        raise ProblemFormatError(
            f"{path}: {e.path}" if e.path != path else path, e.reason
        ) from None


def _result(path: str):
    try:
        return result_from_dict(_load(path, "result"))
    except (KeyError, TypeError, AttributeError) as e:
        raise ProblemFormatError(f"{path}: $.conflicts", f"malformed conflict ({e})") from None
    except ProblemFormatError as e:
        raise ProblemFormatError(
            f"{path}: {e.path}" if e.path != path else path, e.reason
        ) from None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m scheduling.solver")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("solve", help="solve a problem file, print the result as JSON")
    s.add_argument("problem")
    s.add_argument("--time-limit", type=float, default=10.0)
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--previous", help="a result JSON to re-plan from (minimal changes)")
    s.add_argument("--lock", type=int, nargs="*", default=[], help="activity ids to keep")
    s.add_argument(
        "--interpretation",
        choices=POLICIES,
        help="interpret under this policy instead of the problem's (its defaults; the "
        "problem's own numbers are kept when it names the same policy)",
    )
    c = sub.add_parser("check", help="validate a result against a problem, print violations")
    c.add_argument("problem")
    c.add_argument("result")
    for p in (s, c):
        p.add_argument(
            "--time-grid",
            type=int,
            metavar="MINUTES",
            help="every start on this grid instead of the problem's time_grid (1: none)",
        )
    sub.add_parser("schema", help="print the JSON Schema of the problem format")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "schema":
            print(json.dumps(json_schema(), indent=2))
            return 0
        problem = _problem(args.problem, args.time_grid)
        if args.cmd == "solve":
            known = {a.id for a in problem.activities}
            for aid in args.lock:
                if aid not in known:
                    raise ProblemFormatError("--lock", f"no activity has the id {aid}")
            if args.lock and not args.previous:
                raise ProblemFormatError("--lock", "needs --previous (the times to keep)")
            if args.previous:
                prev = _result(args.previous)
                problem = _with_previous(problem, prev, args.lock)
            if args.interpretation and args.interpretation != problem.interpretation.policy:
                policy = interpretation(args.interpretation)
                problem = dataclasses.replace(problem, interpretation=policy)
            # The limit covers the whole command: what starting Python, importing OR-Tools
            # and reading the problem took is not the solve's to spend (issue 18: 3,000
            # activities, 10 s, ended after 12 s). At least a tenth of it is left to solve.
            left = max(args.time_limit - _since_start(), 0.1 * args.time_limit)
            params = Params(time_limit_s=left, workers=args.workers, seed=args.seed)
            result = solve_programme(problem, params)
            print(json.dumps(result_to_dict(result), indent=2))
            return 0 if result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) else 1
        result = _result(args.result)
        violations = validate(problem, result)
        print(json.dumps([result_to_dict_conflict(v) for v in violations], indent=2))
        return 0 if not violations else 1
    except ProblemFormatError as e:
        print(f"error: {e.path}: {e.reason}", file=sys.stderr)
        return 2


def _since_start() -> float:
    """Seconds since this process started (Linux /proc; 0 where it cannot be read)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def result_to_dict_conflict(v) -> dict:
    return {
        "rule": v.rule,
        "entities": {k: list(x) for k, x in v.entities.items()},
        "params": v.params,
    }


def _with_previous(problem, prev, lock):
    import dataclasses

    return dataclasses.replace(
        problem,
        previous=prev.placements,
        previous_assignments=prev.assignments,
        locked=frozenset(problem.locked) | frozenset(lock),
    )


if __name__ == "__main__":
    sys.exit(main())
