"""The travel floor of a lexicographic solve, made exact by the days (a logic-based Benders
loop): after a proven main pass, the fewest travel minutes of a programme at the main
optimum, and a programme that travels them.

Each round solves the floor (relaxation.Floor: days, tours and minutes, no times) and then
the whole model on the floor's days (search.solve_days). When that programme travels the
floor, it is the lexicographic optimum. Else each day of the floor's solution is checked in
the whole model alone (its activities on it, every other activity absent, travel minimised):
a day whose set does not fit forbids the set (the core CP-SAT names), and a day that travels
more than the floor counted makes its set cost at least that. Both hold for every programme:
removing activities from a day of a programme keeps it one (each rule binds the activities
present, travel times obey the triangle inequality), so a day holding a superset of the set
fits no better and travels no less. S-3: the floor's days did not fit; four rounds raised the
floor from 930 to 980, the optimum.
"""

from __future__ import annotations

import dataclasses
import math
import threading
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from . import relaxation
from .build import build
from .deadline import Deadline, OutOfTime
from .model import Params
from .search import solve_days

# Rounds of the loop at most (S-3 needed four).
MAX_ROUNDS = 8
# Share of what is left for the whole model on the floor's days (S: 0.01-0.06 s).
DAYS_SHARE = 0.2
# ... and at least this.
DAYS_MIN_S = 0.05


@dataclass
class Outcome:
    """`solver`: the best programme on a floor's days (the whole model, read through the
    travel pass's ctx), or None; `proven` when it travels the floor; `bound` the floor."""

    solver: object | None
    proven: bool
    bound: int | None


class Loop:
    """The rounds, for `seconds` at most, on their own (`run`) or in a thread beside the
    travel pass (`start`, `stop`): `bound` is the floor so far, `outcome` the end. A
    deterministic solve (tests) gives each round's floor `seconds` of deterministic time."""

    def __init__(self, ctx, prep, pass_params: Params, main_best: int, main_days, seconds):
        self.ctx, self.prep, self.params = ctx, prep, pass_params
        self.main_best, self.days, self.seconds = main_best, main_days, seconds
        self.workers = pass_params.workers
        self.bound: int | None = None
        self.outcome: Outcome | None = None
        self.floor: relaxation.Floor | None = None
        self._stopped = False
        self._thread: threading.Thread | None = None

    def run(self) -> Outcome | None:
        """None when the floor gave no bound."""
        weights, seconds = self.params.weights, self.seconds
        if not relaxation.weights_ok(weights) or seconds <= 0:
            return None
        until = time.perf_counter() + seconds
        try:
            self.floor = relaxation.Floor(
                self.prep, weights, self.main_best, until, lambda: self._stopped
            )
        except relaxation.Stopped:
            return None
        deterministic = self.params.deterministic
        days, best, checks = self.days, None, None
        for _round in range(MAX_ROUNDS):
            left = seconds if deterministic else until - time.perf_counter()
            found = self.floor.solve(left, self.workers, days, deterministic)
            if found is None or self._stopped:
                break
            self.bound = found.bound if self.bound is None else max(self.bound, found.bound)
            if found.days is None:
                break
            left = seconds if deterministic else until - time.perf_counter()
            seconds_days = max(DAYS_MIN_S, DAYS_SHARE * left)
            solver = solve_days(self.ctx, found.days, self.params, seconds_days)
            kept = [s for s in (best, solver) if s is not None]
            best = min(kept, key=lambda s: s.objective_value, default=None)  # the first on ties
            if best is not None and self.reached(best.objective_value):
                self.outcome = Outcome(best, True, self.bound)
                return self.outcome
            if not found.proven or self.prep.p.previous or time.perf_counter() >= until:
                break  # a floor not proven may be lower than its days: nothing to cut
            try:
                checks = checks or DayChecks(self.prep, self.params, until)
            except OutOfTime:
                break
            if self._stopped or not checks.cut(self.floor, found, until):
                break
            days = found.days
        self.outcome = Outcome(best, False, self.bound)
        return self.outcome

    def start(self) -> None:
        """`run` in a thread on one worker, on a copy of the pass's model (which the pass
        is solving meanwhile)."""
        self.ctx = dataclasses.replace(self.ctx, m=self.ctx.m.clone())
        self.workers = 1
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()

    def reached(self, objective: float | None) -> bool:
        """Whether the pass may stop: the loop proved its programme, or the pass's best
        `objective` is at the floor."""
        if self.outcome is not None and self.outcome.proven:
            return True
        bound = self.bound
        top = None if bound is None else self.main_best + self.params.weights.travel * bound
        return objective is not None and top is not None and round(objective) <= top

    def stop(self) -> None:
        self._stopped = True
        if self.floor is not None:
            self.floor.interrupt()
        if self._thread is not None:
            self._thread.join()


class DayChecks:
    """The whole model without its mandatory rule (its guards: build's explain mode), to
    check one day's set of activities alone."""

    def __init__(self, prep, params: Params, until: float):
        left = until - time.perf_counter()
        self.ctx = build(prep.p, params, prep, explain=True, deadline=Deadline.start(left))
        for key, (lit, _conflict) in self.ctx.guards.items():
            self.ctx.m.add(lit == (key[0] != "mandatory"))

    def cut(self, floor: relaxation.Floor, found: relaxation.TravelFloor, until: float) -> int:
        """Check each day of `found`; add to `floor` what they say. The number of cuts."""
        by_day: dict[int, list[int]] = {}
        for aid, did in found.days.items():
            by_day.setdefault(did, []).append(aid)
        cuts = 0
        for did, aids in sorted(by_day.items()):
            left = until - time.perf_counter()
            if left <= 0:
                break
            status, solver, core = self._day(did, aids, left)
            if status == cp_model.INFEASIBLE:
                floor.forbid(did, core or aids)
                cuts += 1
            elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                minutes = math.ceil(round(solver.best_objective_bound, 6))
                if minutes > found.day_minutes.get(did, 0):
                    floor.at_least(did, aids, minutes)
                    cuts += 1
        return cuts

    def _day(self, did: int, aids: list[int], seconds: float):
        ctx = self.ctx
        m = ctx.m.clone()
        on = set(aids)
        for aid, lits in ctx.on_day.items():
            if lits and aid not in on:
                m.add(ctx.present[aid] == 0)
        assumed = [ctx.on_day[a][did] for a in aids]
        m.add_assumptions(assumed)
        tours = [t for (_g, d), t in ctx.day_travel.items() if d == did]
        m.minimize(sum(tours) if tours else 0)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # the core of assumptions needs one worker
        solver.parameters.max_time_in_seconds = max(0.01, seconds)
        status = solver.solve(m)
        core = []
        if status == cp_model.INFEASIBLE:
            named = set(solver.sufficient_assumptions_for_infeasibility())
            core = [a for a, lit in zip(aids, assumed, strict=True) if lit.Index() in named]
        return status, solver, core
