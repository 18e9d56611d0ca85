"""`python -m benchmarks.solver`: every solver benchmark in turn, one at a time (the machine
is shared), each printing its table. `--quick` keeps each to a small subset."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import conference  # noqa: E402
import grid  # noqa: E402
import replan  # noqa: E402
import run  # noqa: E402
import toptw  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.solver")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    seeds = "1" if args.quick else "3"
    print("## Aude 2009 and the S/M/L families (ours vs greedy earliest-fit)\n")
    run.main(["aude", "S", "M", "--seeds", seeds])
    run.main(["L", "--seeds", "1"])
    print("\n## Time grid: the same instances with grid 1 and grid 5\n")
    grid.main(["--quick"] if args.quick else [])
    print("\n## Re-plan after host declines (M)\n")
    replan.main(["--declines", "5" if args.quick else "20"])
    print("\n## TOPTW (ours vs OR-Tools routing vs best known)\n")
    toptw.main(["pr01", "pr02"] if args.quick else [])
    print("\n## conference-scheduler (PuLP + CBC) on slot instances\n")
    try:
        conference.main(["--seeds", seeds])
    except ImportError:
        print("conference-scheduler not installed: pip install '.[bench]'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
