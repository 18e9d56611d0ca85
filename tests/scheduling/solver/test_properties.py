"""Hypothesis: every result on small random instances passes the validator and its reported
terms match an independent scoring; tiny instances match brute-force enumeration."""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.solver import (
    Activity,
    Member,
    Placement,
    ProgrammeResult,
    Window,
    solve_programme,
    validate,
)
from scheduling.solver.policy import interpretation
from scheduling.solver.scoring import objective, score

from .factories import PARAMS, at, day, group, host, interp, problem


@st.composite
def instances(draw):
    n_days = draw(st.integers(1, 2))
    n_groups = draw(st.integers(1, 2))
    groups = [
        group(
            g,
            draw(st.sampled_from([("fr",), ("en",), ("en", "fr")])),
            draw(st.sampled_from([None, 3])),
        )
        for g in range(1, n_groups + 1)
    ]
    hosts = []
    for h in range(1, 3):
        d = draw(st.integers(0, n_days - 1))
        s = draw(st.integers(9, 14))
        hosts.append(host(h, (at(d, s), at(d, s + draw(st.integers(1, 4))), draw(st.booleans()))))
    acts = []
    for k in range(1, draw(st.integers(1, 5)) + 1):
        acts.append(
            Activity(
                k,
                f"a{k}",
                draw(st.sampled_from([30, 60, 90, 120])),
                draw(st.integers(1, 4)),
                hosts=draw(st.sampled_from([(), (1,), (2,)])),
                languages=(draw(st.sampled_from(["fr", "en"])),),
                groups=draw(st.sampled_from([(), (1,), (n_groups,)])),
                mandatory=draw(st.booleans()),
                value=draw(st.integers(0, 5)),
                phase=draw(st.sampled_from([None, 1, 2])),
                interpretation_mode=draw(st.sampled_from(["consecutive", "simultaneous"])),
            )
        )
    interpreters = [
        interp(1, ("fr", "en"), ("en", "fr")),
        interp(2, ("fr", "en"), daily_cap=draw(st.sampled_from([60, 360])), home_venue=3),
    ][: draw(st.integers(0, 2))]
    return problem(
        acts,
        days=n_days,
        lunch=draw(st.booleans()),
        groups=groups,
        hosts=hosts,
        interpreters=interpreters,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_instance_result_passes_validator(p):
    r = solve_programme(p, PARAMS)
    assert r.status in ("optimal", "infeasible")
    if r.status == "optimal":
        assert validate(p, r) == []
        assert r.terms == score(p, r, PARAMS)
        assert round(r.objective) == objective(r.terms, PARAMS)
    else:
        assert r.conflicts


LANGUAGES = st.sampled_from(
    [("fr",), ("en",), ("fr", "en"), ("en", "fr"), ("de", "fr"), ("en", "de")]
)
DIRECTIONS = [("fr", "en"), ("en", "fr"), ("de", "en"), ("en", "de"), ("fr", "de")]


@st.composite
def visits(draw):
    """Several days on a time grid, each group there for part of the visit and following
    languages by choice, hosts with touching, overlapping or separate windows (and busy time),
    a venue reached quicker via another, interpreters under either policy, a locked slot."""
    n_days = draw(st.integers(1, 3))
    groups = []
    for gid in (1, 2)[: draw(st.integers(1, 2))]:
        members = tuple(
            Member(follows, draw(st.integers(1, 3)), draw(st.sampled_from(["", *follows])))
            for follows in draw(st.lists(LANGUAGES, min_size=1, max_size=2))
        )
        arrives = at(0, draw(st.sampled_from([0, 9, 11])))
        leaves = at(n_days - 1, draw(st.sampled_from([15, 24])))
        g = group(gid, (), draw(st.sampled_from([None, 3])))
        presence = draw(st.sampled_from([None, (arrives, leaves)]))
        groups.append(dataclasses.replace(g, members=members, presence=presence))
    hosts = []
    for h in (1, 2):
        d = draw(st.integers(0, n_days - 1))
        s, m = draw(st.integers(9, 11)), draw(st.integers(1, 2))
        # The second window touches the first, overlaps it, or starts an hour after it.
        second = s + m - draw(st.sampled_from([0, 0.5, -1]))
        windows = ((at(d, s), at(d, s + m)), (at(d, second), at(d, second + 1.5)))
        busy = draw(st.sampled_from([(), ((at(d, second + 1), at(d, second + 1.5)),)]))
        hosts.append(host(h, *windows, busy=busy))
    acts = [
        Activity(
            k,
            f"a{k}",
            draw(st.sampled_from([30, 45, 60, 90, 120, 180])),
            draw(st.sampled_from([1, 2, 4])),
            hosts=draw(st.sampled_from([(), (), (), (1,), (2,)])),
            languages=draw(LANGUAGES),
            groups=draw(st.sampled_from([(), (1,), (len(groups),)])),
            mandatory=draw(st.booleans()),
            value=draw(st.integers(0, 5)),
            interpretation_mode=draw(st.sampled_from(["consecutive", "simultaneous"])),
            two_way=draw(st.booleans()),
            meal=k == 2 and draw(st.booleans()),
        )
        for k in range(1, draw(st.integers(2, 5)) + 1)
    ]
    interpreters = [interp(1, ("fr", "en"), ("en", "fr"))]
    for i in (2, 3):
        interpreters.append(
            interp(
                i,
                *draw(st.lists(st.sampled_from(DIRECTIONS), min_size=1, max_size=3)),
                daily_cap=draw(st.sampled_from([120, 360])),
                home_venue=draw(st.sampled_from([None, 3])),
            )
        )
    # Venue 4 is reached quicker through the hotel (3) than directly.
    travel = {(1, 2): 30, (1, 3): 20, (2, 3): 40, (1, 4): 120, (2, 4): 150, (3, 4): 30}
    locked, previous = frozenset(), ()
    if draw(st.booleans()):
        a = draw(st.sampled_from(acts))
        d = draw(st.integers(0, n_days - 1))
        previous = (Placement(a.id, d, at(d, 9) + draw(st.integers(0, 480 - a.duration))),)
        locked = frozenset({a.id})
    return problem(
        acts,
        days=n_days,
        lunch=draw(st.booleans()),
        groups=groups,
        hosts=hosts,
        interpreters=interpreters[: draw(st.integers(0, 3))],
        travel=travel,
        time_grid=draw(st.sampled_from([1, 5, 15, 30])),
        previous=previous,
        locked=locked,
        interpretation=interpretation(draw(st.sampled_from(["liaison", "conference"]))),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(visits())
def test_random_visit_programme_passes_the_independent_validator(p):
    r = solve_programme(p, dataclasses.replace(PARAMS, explain=False))
    assert r.status in ("optimal", "feasible", "infeasible")
    if r.status != "infeasible":
        assert validate(p, r) == []
        assert r.terms == score(p, r, PARAMS)


def _brute_force(p):
    """Best objective over every placement on a 30-minute grid (all data are multiples of 30,
    so rounding starts down keeps feasibility and never worsens a term)."""
    options = []
    for a in p.activities:
        opts = [] if a.mandatory else [None]
        for d in p.days:
            opts += [Placement(a.id, d.id, s) for s in range(d.start, d.end - a.duration + 1, 30)]
        options.append(opts)
    weighted_best = lex_best = None
    for combo in itertools.product(*options):
        r = ProgrammeResult("feasible", placements=tuple(x for x in combo if x is not None))
        if validate(p, r):
            continue
        terms = score(p, r, PARAMS)
        value = objective(terms, PARAMS)
        lex = (value - terms["travel"] * PARAMS.weights.travel, value)
        weighted_best = value if weighted_best is None else min(weighted_best, value)
        lex_best = lex if lex_best is None else min(lex_best, lex)
    return weighted_best, lex_best and lex_best[1]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_tiny_instance_optimum_matches_brute_force(data):
    days = (day(0, soft_end=12 * 60), day(1, soft_end=12 * 60))
    days = tuple(d.__class__(d.id, d.start, d.start + 180, 0, 0, 0, d.soft_end) for d in days)
    hosts = [host(1, (at(0, 9), at(0, 12)), (at(1, 10), at(1, 11), True))]
    acts = [
        Activity(
            k,
            f"a{k}",
            data.draw(st.sampled_from([30, 60, 90])),
            data.draw(st.sampled_from([1, 2, 3])),
            hosts=data.draw(st.sampled_from([(), (1,)])),
            mandatory=data.draw(st.booleans()),
            value=data.draw(st.integers(0, 3)),
        )
        for k in (1, 2, 3)
    ]
    lodging = data.draw(st.sampled_from([None, 3]))
    # Per-night lodging: day 1 sometimes starts and ends at venue 2 (or 4, far from all).
    by_day = data.draw(st.sampled_from([(), ((1, 2),), ((1, 4),)]))
    travel = {(1, 2): 30, (1, 3): 30, (2, 3): 60, (1, 4): 90, (2, 4): 90, (3, 4): 90}
    g = group(1, lodging=lodging, by_day=by_day)
    p = problem(acts, days=days, hosts=hosts, groups=[g], travel=travel)
    weighted = solve_programme(p, dataclasses.replace(PARAMS, strategy="weighted"))
    lexicographic = solve_programme(p, PARAMS)
    best_weighted, best_lexicographic = _brute_force(p)
    if best_weighted is None:
        assert weighted.status == lexicographic.status == "infeasible"
    else:
        assert weighted.status == lexicographic.status == "optimal"
        assert round(weighted.objective) == best_weighted
        assert round(lexicographic.objective) == best_lexicographic


def test_interpreter_window_list_is_respected_in_random_like_case():
    i = interp(1, ("fr", "en"), windows=(Window(at(0, 14), at(0, 16)),))
    p = problem(
        [Activity(1, "a", 40, 1, languages=("fr",), interpretation_mode="simultaneous")],
        groups=[group(1, ("en",))],
        interpreters=[i],
    )
    r = solve_programme(p, PARAMS)
    assert [pl.start for pl in r.placements] == [at(0, 14)]
