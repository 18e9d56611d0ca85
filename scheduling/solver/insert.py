"""Complete the greedy's programme by inserting what it left out, one day at a time.

The greedy places activities where they fit first and never moves them; on M it leaves
4-7 mandatory activities out. Each of them is then inserted by CP-SAT on a copy of one
model where everything stays as it is except the activities of one day (then of two days):
those may move, take other interpreters and other languages; the activity goes in on that
day. Days do not share interpreters' travel, daily caps or breaks, so fixing the other days
loses nothing for that day. A neighbourhood is small once presolved (tenths of a second).

Since languages are choices (issue 14), M's activities that list three languages need a
team of three interpreters (two languages rendered) and the bare feasibility search on the
whole model found no programme on M-0 or M-1 in 10 s; this completes the greedy's in
1.1-3 s (load 2-3, 2 cores). The completed programme is a hint for every variable,
the language choices included (rules/languages.choice_hints).
"""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from .build import build
from .deadline import Deadline
from .model import ProgrammeResult
from .prepare import Prepared
from .repair import DAYS_FIRST_SHARE, DAYS_LAST_SHARE, repair_on_days
from .report import programme_of
from .rules.languages import choice_hints
from .validate import validate

# insert_on_days: seconds after which a set of days without a programme is left (at most;
# less on a short limit, as re-plans do). A set gives its programme in 0.01-0.45 s on M or
# is proven unable in 0.01-0.35 s; a share of a 120 s limit, 18 s, was spent on each set
# that does neither (M-1 took 61 s to its first programme).
GIVE_UP_S = 1.5
# Per neighbourhood: a day that cannot take the activity is usually proven so in 0.05 s.
NEIGHBOURHOOD_S = 0.5
LIGHT = {
    "num_workers": 1,
    "symmetry_level": 0,
    "max_presolve_iterations": 1,
    "cp_model_probing_level": 0,
}


def left_out(problem, result: ProgrammeResult) -> list[int]:
    """The mandatory activities `result` does not place."""
    placed = {pl.activity for pl in result.placements}
    return [a.id for a in problem.activities if a.mandatory and a.id not in placed]


def insertion_order(prep, missing) -> list[int]:
    """The activities of more groups first (all of them at once: once the others are in,
    the days seldom have an hour free for everyone; M-5's whole-delegation meeting went in
    on one day first, and took 9 s of three-day sets last), then those of fewer days."""
    return sorted(
        missing,
        key=lambda a: (-len(prep.groups_of(prep.act[a])), len(prep.domains.get(a) or ()), a),
    )


def insert_on_days(problem, prep, params, partial: ProgrammeResult, end: float):
    """`partial` with each mandatory activity it leaves out inserted as a re-plan of one day,
    then two, then (once the others are in) three, as problems of their own
    (repair.repair_on_days: the other days' activities left out of the model, the fewest
    moves of `partial`): the activities still to come are left out of the problem meanwhile.
    A valid programme that may still leave some out (those that found no place by `end`,
    perf_counter).

    On M-2 (seven left out by the construction) this took 6.6 s where the copies of the
    whole model (insert_missing) took 18 s: a day's problem builds in hundredths of a
    second and needs no presolve of everything fixed."""
    missing = left_out(problem, partial)

    def attempt(cur, aid, widths):
        """`cur` with `aid` inserted on sets of `widths` days, or None."""
        placed = {pl.activity for pl in cur.placements}
        later = set(missing) - {aid} - placed
        sub = dataclasses.replace(
            problem,
            activities=tuple(a for a in problem.activities if a.id not in later),
            precedences=tuple(
                x for x in problem.precedences if x.before not in later and x.after not in later
            ),
            previous=cur.placements,
            previous_assignments=cur.assignments,
            locked=frozenset(),
        )
        left = end - time.perf_counter()
        if left <= 0.05:
            return None
        return repair_on_days(
            sub,
            Prepared(sub, params),
            params,
            # It starts no set after DAYS_LAST_SHARE of its deadline: here, by `end`.
            Deadline(time.perf_counter(), left / DAYS_LAST_SHARE),
            first=True,
            widths=widths,
            give_up_s=min(GIVE_UP_S, DAYS_FIRST_SHARE * params.time_limit_s),
        )

    order = insertion_order(prep, missing)
    if any(not prep.domains.get(aid) for aid in order):
        return partial
    # One or two days each. The first that finds no place once the ones before it are in
    # goes first, and the insertion starts again from `partial` (once: moving each failing
    # one first in turn went round in circles on M-5): on M-5, activity 54, third, found
    # none on one or two days (1.8 s) nor on three (4.6 s), and the first programme missed
    # the limit; first, it goes in on its day in 0.2 s and all four are in after 3.2 s.
    cur, restarted, k = partial, False, 0
    while k < len(order) and time.perf_counter() < end:
        aid = order[k]
        found = attempt(cur, aid, (1, 2))
        if found is not None:
            cur, k = found, k + 1
        elif k > 0 and not restarted:
            restarted = True
            order = [aid, *(a for a in order if a != aid)]
            cur, k = partial, 0
        else:
            k += 1
    # Those that found no place on one or two days: on three, once the others are in.
    for aid in order:
        if aid not in {pl.activity for pl in cur.placements}:
            found = attempt(cur, aid, (3,))
            if found is not None:
                cur = found
    if cur is not partial and any(v.rule != "mandatory" for v in validate(problem, cur)):
        return partial  # never hand on a programme that breaks a rule
    return cur


def insert_missing(problem, params, partial: ProgrammeResult, deadline: float, stop=None):
    """A valid programme with every mandatory activity, built from `partial` (a valid
    programme that leaves some out), or None if one could not be inserted by `deadline`.
    Raises deadline.OutOfTime if its model could not even be built by then."""
    missing = left_out(problem, partial)
    if not missing:
        return partial
    # The model of the problem where what is missing is optional: `partial` is a programme
    # of it, and each insertion keeps it one.
    relaxed = dataclasses.replace(
        problem,
        activities=tuple(
            dataclasses.replace(a, mandatory=False) if a.id in missing else a
            for a in problem.activities
        ),
    )
    prep = Prepared(relaxed, params)
    ctx = build(relaxed, params, prep, objective=False, deadline=Deadline(deadline, 0.0, stop))
    days = [d.id for d in problem.days]
    must = {a.id for a in problem.activities if a.mandatory}
    owners = _owners(ctx)
    spent = [0.0]  # deterministic time of the neighbourhoods so far
    if params.deterministic:
        # Repeatable whatever the load: deterministic limits, and the share of the time
        # limit the wall-clock deadline stands for, in deterministic time.
        budget = max(0.0, deadline - time.perf_counter())
        deadline = float("inf")
    cur = partial
    # The most constrained first: fewest days it may take place on.
    for aid in sorted(missing, key=lambda a: (len(ctx.on_day[a]), a)):
        if not ctx.on_day[aid]:
            return None
        load = {d: 0 for d in days}
        for pl in cur.placements:
            load[pl.day] += prep.act[pl.activity].duration
        by_load = sorted(days, key=lambda d: (load[d], d))
        own = [d for d in by_load if d in ctx.on_day[aid]]
        # Then two days: the activity's day and another, the least loaded first.
        hoods = [(d,) for d in own] + [(d, e) for d in own for e in by_load if e != d]
        # A neighbourhood that ran out of time (not proven unable) is tried again with
        # four times as long once the others have failed: on a loaded machine (load 12 on
        # 2 cores) M-1's insertions all ran out at 0.5 s and the solve found nothing.
        inserted = False
        for scale in (1, 4) if not params.deterministic else (1,):
            late = []
            for free in hoods:
                if time.perf_counter() >= deadline or (stop is not None and stop.is_set()):
                    return None
                if params.deterministic and spent[0] >= budget:
                    return None
                found = _insert(ctx, owners, cur, aid, set(free), must, deadline, spent, scale)
                if isinstance(found, ProgrammeResult):
                    cur, inserted = found, True
                    break
                if found == cp_model.UNKNOWN:
                    late.append(free)
            if inserted or not late:
                break
            hoods = late
        if not inserted:
            return None
    if validate(problem, cur):
        return None  # never hand on a programme that breaks a rule
    return cur


def _insert(ctx, owners, cur, aid, free: set, must: set, deadline: float, spent: list, scale=1):
    """`cur` with `aid` inserted on one of the `free` days, the other days kept, or CP-SAT's
    status code without a programme (UNKNOWN: it ran out of time)."""
    m = ctx.m.clone()
    m.clear_hints()
    at = {pl.activity: pl for pl in cur.placements}
    team = {(x.activity, x.interpreter) for x in cur.assignments}
    kept = {a for a, pl in at.items() if pl.day not in free}
    for a, p in ctx.present.items():
        if not ctx.on_day[a]:
            continue
        pl = at.get(a)
        if a == aid:
            _fix(m, p, 1)
            for did, lit in ctx.on_day[a].items():
                if did not in free:
                    _fix(m, lit, 0)
        elif pl is None:
            _fix(m, p, 0)  # the others left out stay out for now
        elif a in kept:
            _fix(m, p, 1)
            _fix(m, ctx.on_day[a][pl.day], 1)
            if isinstance(ctx.start[a], cp_model.IntVar):
                _fix(m, ctx.start[a], pl.start)
        else:
            if a in must:
                _fix(m, p, 1)  # a mandatory activity stays in, on a free day
            else:
                m.add_hint(p, True)  # an optional one may make room
            for did, lit in ctx.on_day[a].items():
                m.add_hint(lit, did == pl.day)
            if isinstance(ctx.start[a], cp_model.IntVar):
                m.add_hint(ctx.start[a], pl.start)
    for (a, iid), y in ctx.assigned.items():
        if a in kept:
            _fix(m, y, int((a, iid) in team))
        elif a in at:
            m.add_hint(y, (a, iid) in team)
    seen = {y.Index() for y in ctx.assigned.values()} | {p.Index() for p in ctx.present.values()}
    for lit, value in choice_hints(ctx, cur):
        if lit.Index() in seen:
            continue
        seen.add(lit.Index())
        owner = owners.get(lit.Index())
        if owner in kept:
            _fix(m, lit, int(value))
        elif owner in at:
            m.add_hint(lit, value)
    solver = cp_model.CpSolver()
    sp = solver.parameters
    if ctx.params.deterministic:
        sp.max_deterministic_time = NEIGHBOURHOOD_S
    else:
        limit = min(scale * NEIGHBOURHOOD_S, deadline - time.perf_counter())
        sp.max_time_in_seconds = max(0.05, limit)
    sp.random_seed = ctx.params.seed
    for name, value in LIGHT.items():
        setattr(sp, name, value)
    code = solver.solve(m)
    spent[0] += solver.deterministic_time
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return code
    return programme_of(ctx, solver)


def _owners(ctx) -> dict[int, int]:
    """Variable index -> activity, for the choice and cover literals."""
    owner = {}
    for aid, cv in ctx.choices.items():
        lits = [*cv.spoken.values(), *cv.targets.values()]
        lits += [x for ls in cv.listening for x in ls.values()]
        if cv.interpreted is not None:
            lits.append(cv.interpreted)
        for x in lits:
            owner[x.Index()] = aid
    for (aid, _iid, _k), x in ctx.covers.items():
        owner[x.Index()] = aid
    return owner


def _fix(m: cp_model.CpModel, var, value: int) -> None:
    """Fix a variable of the copy (values come from a valid programme: in its domain)."""
    dom = m.proto.variables[var.Index()].domain
    dom.clear()
    dom.extend([value, value])
