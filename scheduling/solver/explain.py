"""Why is there no programme? A small set of rule instances that cannot hold together.

The explanation model is the feasibility part of the solve model with one guard literal per
relaxable rule instance (variables.Ctx.guard), passed as assumptions. CP-SAT returns a
sufficient subset (needs one worker, and no objective: OR-Tools #3943); a deletion filter
then drops every instance whose relaxation keeps the rest infeasible, which yields a minimal
set (a MUS: each named instance is needed for the conflict) when every re-solve finishes.

One MUS is one reason; a problem may have several independent ones. So the search repeats
with the instances already named switched off, until the rest is feasible: relaxing every
named instance then yields a programme (what the organiser needs to act on), and each
round's set is itself minimal.

The reasons come culprits first (`culprits_first`): the smallest set first, a direct cause, and
within a set the rules an organiser sets (a lock, a fixed time, a window, an order) before the
resources they strain (interpreters, travel) and before "must take place", which every other
reason of the set prevents.
"""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from .build import build
from .deadline import Deadline, OutOfTime
from .model import Conflict, Params, Problem
from .precheck import INVALID_RULES
from .prepare import Prepared


def conflict_key(c: Conflict):
    return (c.rule, tuple(sorted(c.entities.items())), tuple(sorted(c.params.items())))


def _solver(time_limit: float, seed: int) -> cp_model.CpSolver:
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.max_time_in_seconds = time_limit
    s.parameters.random_seed = seed
    return s


MAX_ROUNDS = 5

# Rules an organiser sets and can change: a time, a window, an order. The causes to act on.
SET_BY_ORGANISER = (
    "locked",
    "fixed_start",
    "presence",
    "host_window",
    "host_no_windows",
    "time_window",
    "interpreter_window",
    "precedence",
    "phase",
    "place_in_visit",
    "day_window",
    "grid",
)
# Results of a decision rather than decisions: "must take place" is what the others prevent.
CONSEQUENCES = ("mandatory", "once", "unexplained")


def rank(rule: str) -> int:
    """-1: data to correct (a missing travel time: nothing else holds until it is entered);
    0: set by the organiser; 1: a resource (people, travel, interpretation); 2: a consequence."""
    if rule in INVALID_RULES:
        return -1
    if rule in SET_BY_ORGANISER:
        return 0
    return 2 if rule in CONSEQUENCES else 1


def culprits_first(cores: list[list[Conflict]]) -> list[Conflict]:
    """The smallest set first (the most direct reason); within a set, by rank."""
    ordered = sorted(cores, key=len)
    return [c for core in ordered for c in sorted(core, key=lambda c: rank(c.rule))]


# Share of the time limit the explanation may take beyond it when the search used it all
# (issue 18: the limit holds, within 10 %, for every stage).
GRACE_SHARE = 0.1


def explain_infeasibility(
    problem: Problem, params: Params, prep: Prepared | None = None, deadline=None
) -> list[Conflict]:
    """With `deadline` (the solve's deadline.Deadline) the explanation ends with the solve's
    time limit (at least GRACE_SHARE of it, for a proof that came at the very end), and
    within `Params.explain_time_limit_s` in any case."""
    now = time.perf_counter()
    end = now + params.explain_time_limit_s
    if deadline is not None:
        end = min(end, max(deadline.end, now + GRACE_SHARE * params.time_limit_s))
    # Pairwise sequencing: infeasibility proofs are much faster than with circuits, and the
    # explanation needs no travel cost.
    params = dataclasses.replace(params, sequencing="pairwise")
    try:
        ctx = build(problem, params, prep, explain=True, deadline=Deadline(end, 0.0))
    except OutOfTime:
        return [Conflict("unexplained")]  # its model did not fit in the time left
    deadline = end
    named: list = []
    cores: list[list[Conflict]] = []
    for _ in range(MAX_ROUNDS):
        core = _one_core(ctx, named, deadline, params.seed)
        if core is None:
            break
        if not core:
            return [*culprits_first(cores), Conflict("unexplained")]
        named += core
        cores.append([ctx.guards[k][1] for k in core])
        if time.perf_counter() > deadline:
            break
    if not named:
        return [Conflict("unexplained")]
    return culprits_first(cores)


def _one_core(ctx, relaxed: list, deadline: float, seed: int):
    """A minimal infeasible set among the guards not yet relaxed; None when feasible."""
    keys = [k for k in ctx.guards if k not in set(relaxed)]
    lit_of = {k: ctx.guards[k][0] for k in ctx.guards}
    index_of = {lit_of[k].Index(): k for k in keys}
    ctx.m.clear_assumptions()
    ctx.m.add_assumptions([lit_of[k] for k in keys])
    # Relaxed guards stay free (not assumed), which switches their rule off.
    solver = _solver(max(0.05, deadline - time.perf_counter()), seed)
    code = solver.solve(ctx.m)
    if code != cp_model.INFEASIBLE:
        return None
    core = [index_of[i] for i in solver.sufficient_assumptions_for_infeasibility()]
    # Deletion filter: try without each member; if still infeasible, it was not needed.
    k = 0
    while k < len(core) and time.perf_counter() < deadline:
        trial = core[:k] + core[k + 1 :]
        ctx.m.clear_assumptions()
        ctx.m.add_assumptions([lit_of[x] for x in trial])
        s = _solver(min(2.0, max(0.05, deadline - time.perf_counter())), seed)
        if s.solve(ctx.m) == cp_model.INFEASIBLE:
            smaller = {index_of[i] for i in s.sufficient_assumptions_for_infeasibility()}
            core = [x for x in trial if x in smaller] or trial
        else:
            k += 1
    return core


def feasible_when_relaxed(problem: Problem, params: Params, conflicts) -> bool:
    """True if the problem becomes feasible once the given rule instances are switched off
    (every other rule instance kept). Used by tests and by the UI's 'what if' button."""
    relaxed = frozenset(conflict_key(c) for c in conflicts)
    params = dataclasses.replace(params, sequencing="pairwise")
    ctx = build(problem, params, explain=True, relaxed=relaxed)
    for key, (lit, _) in ctx.guards.items():
        if key not in relaxed:
            ctx.m.add(lit == 1)
    s = _solver(max(params.time_limit_s, 5.0), params.seed)
    return s.solve(ctx.m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def feasible_enforcing_only(problem: Problem, params: Params, conflicts) -> bool:
    """True if the problem is feasible with only the given rule instances enforced among the
    relaxable ones (to test that an explanation is minimal)."""
    kept = {conflict_key(c) for c in conflicts}
    params = dataclasses.replace(params, sequencing="pairwise")
    ctx = build(problem, params, explain=True)
    for key, (lit, _) in ctx.guards.items():
        if key in kept:
            ctx.m.add(lit == 1)
    s = _solver(max(params.time_limit_s, 5.0), params.seed)
    return s.solve(ctx.m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
