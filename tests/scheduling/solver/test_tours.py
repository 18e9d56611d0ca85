"""The tours stage (scheduling/solver/tours.py): routing's guided local search seeded by the
current programme, on problems that are tours; skipped, with a reason, on the others.
No wall clock: the descent stops at a local optimum (`descent=True`)."""

from __future__ import annotations

import math
import random
import time

from scheduling.solver import (
    Activity,
    Day,
    Group,
    Host,
    Params,
    Placement,
    Precedence,
    Problem,
    ProgrammeResult,
    Venue,
    Window,
    solve_programme,
    validate,
)
from scheduling.solver.construct import construct
from scheduling.solver.prepare import Prepared
from scheduling.solver.scoring import objective, score
from scheduling.solver.tours import improve_tours, tour_reason

from .factories import PARAMS, act, interp

FAR = 600.0  # seconds: never reached, the descent ends at a local optimum


def tour_problem(seed: int = 0, sites: int = 24, days: int = 2, mandatory: int = 2) -> Problem:
    """One group lodged at venue 0; `sites` visits, each at its own venue with a host open
    a few hours each day, a duration and a value; travel Euclidean in minutes; 5-minute
    grid."""
    rng = random.Random(seed)
    pts = {0: (50.0, 50.0)}
    for v in range(1, sites + 1):
        pts[v] = (rng.uniform(0, 100), rng.uniform(0, 100))
    travel = {(u, v): int(math.dist(pts[u], pts[v]) * 0.6) for u in pts for v in pts if u < v}
    ds = tuple(Day(d, d * 1440 + 540, d * 1440 + 1080) for d in range(days))
    hosts, acts = [], []
    for v in range(1, sites + 1):
        open_h = rng.choice((9, 10, 11, 13))
        close_h = open_h + rng.choice((3, 4, 5))
        wins = tuple(Window(d * 1440 + open_h * 60, d * 1440 + close_h * 60) for d in range(days))
        hosts.append(Host(v, f"site {v}", wins))
        acts.append(
            Activity(
                v,
                f"visit {v}",
                rng.choice((30, 45, 60, 90)),
                v,
                (v,),
                (),
                (),
                v <= mandatory,
                0 if v <= mandatory else rng.randint(1, 10),
            )
        )
    return Problem(
        ds,
        tuple(Venue(v) for v in pts),
        travel,
        tuple(hosts),
        (Group(1, "tour", (), 0, 4),),
        tuple(acts),
    )


def obj(problem, result, params=PARAMS) -> int:
    return objective(score(problem, result, params), params)


def test_tour_instance_is_a_tour():
    prep = Prepared(tour_problem(), PARAMS)
    assert tour_reason(prep) is None


def test_improves_the_constructed_programme_or_keeps_it():
    problem = tour_problem(seed=1)
    prep = Prepared(problem, PARAMS)
    seed, missing = construct(prep, PARAMS.weights)
    assert not missing and validate(problem, seed) == []
    note = []
    found = improve_tours(prep, PARAMS, seed, time.perf_counter() + FAR, note, descent=True)
    best = found or seed
    assert validate(problem, best) == [], note
    assert obj(problem, best) <= obj(problem, seed), note
    assert note and (found is None) == (not note[-1].startswith("improved")), note


def test_improves_a_poor_seed():
    """A seed with the mandatory visits alone, one per day: routing adds visits of value."""
    problem = tour_problem(seed=2)
    prep = Prepared(problem, PARAMS)
    full, _ = construct(prep, PARAMS.weights)
    mandatory = {a.id for a in problem.activities if a.mandatory}
    poor = ProgrammeResult(
        "feasible",
        placements=tuple(pl for pl in full.placements if pl.activity in mandatory),
    )
    assert validate(problem, poor) == []
    note = []
    found = improve_tours(prep, PARAMS, poor, time.perf_counter() + FAR, note, descent=True)
    assert found is not None, note
    assert validate(problem, found) == []
    assert obj(problem, found) < obj(problem, poor)
    assert mandatory <= {pl.activity for pl in found.placements}
    assert note == [note[-1]] and note[-1].startswith("improved")


def test_skipped_with_precedences():
    problem = tour_problem(seed=3)
    problem = Problem(**{**problem.__dict__, "precedences": (Precedence(1, 2),)})
    prep = Prepared(problem, PARAMS)
    seed, _ = construct(prep, PARAMS.weights)
    note = []
    assert improve_tours(prep, PARAMS, seed, time.perf_counter() + FAR, note, True) is None
    assert note == ["skipped: precedences"]


def test_skipped_with_interpreters():
    from .factories import group
    from .factories import problem as make

    p = make(
        [act(1, languages=("en",)), act(2, venue=2, languages=("en",), mandatory=False, value=3)],
        groups=[group(languages=("fr",), lodging=3)],
        interpreters=[interp(1, ("en", "fr"))],
    )
    prep = Prepared(p, PARAMS)
    seed = ProgrammeResult("feasible", placements=(Placement(1, 0, 9 * 60),))
    note = []
    assert improve_tours(prep, PARAMS, seed, time.perf_counter() + FAR, note, True) is None
    assert note == ["skipped: interpreters"]


def test_skipped_with_two_groups():
    problem = tour_problem(seed=4)
    two = Problem(**{**problem.__dict__, "groups": (*problem.groups, Group(2, "b", (), 0, 2))})
    assert "groups" in tour_reason(Prepared(two, PARAMS))


def test_solve_uses_the_stage_and_validates():
    problem = tour_problem(seed=5)
    prep = Prepared(problem, PARAMS)
    seed, _ = construct(prep, PARAMS.weights)
    params = Params(**{**PARAMS.__dict__, "time_limit_s": 2.0})
    r = solve_programme(problem, params)
    assert r.status in ("feasible", "optimal")
    assert validate(problem, r) == []
    assert r.objective <= obj(problem, seed, params)


def test_a_cancelled_solve_ends_the_guided_local_search():
    """Params.stop ends routing's search (a cancelled job must not run on to its limit)."""
    import threading

    problem = tour_problem(seed=6, sites=60, days=3)
    stop = threading.Event()
    params = Params(**{**PARAMS.__dict__, "stop": stop})
    prep = Prepared(problem, params)
    seed, _ = construct(prep, params.weights)
    note: list = []
    searching = threading.Event()
    done = threading.Event()

    def run():
        searching.set()
        # Guided local search, an hour's limit: only the stop can end it.
        improve_tours(prep, params, seed, time.perf_counter() + 3600, note, descent=False)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert searching.wait(60)
    stop.set()
    assert done.wait(300), "the routing search ran on after the stop"
