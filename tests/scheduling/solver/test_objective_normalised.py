"""The normalised objective (scoring.score_bound): score = offset - objective, and for any
feasible programme 0 <= score <= score_bound, the fixed upper bound computed from the
problem. Checked on random instances against the best programme and against the worst one
(every cost maximised and value minimised: the weights turned round), scored independently
of the model. The travel floor (scoring.travel_floor) is below the travel of both."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.solver import Activity, Params, Weights, solve_programme, validate
from scheduling.solver.prepare import Prepared
from scheduling.solver.scoring import (
    objective,
    problem_bound,
    score,
    score_bound,
    score_offset,
    term_caps,
    travel_floor,
)

from .factories import PARAMS, at, day, group, host, interp, problem


@st.composite
def instances(draw):
    """Small instances that are mostly feasible and exercise every term: days with a soft
    end, lodging (travel), hosts with preferred windows, interpreters, groups that follow
    two languages (choices), optional activities of value."""
    n_days = draw(st.integers(1, 2))
    days = tuple(day(d, draw(st.booleans()), 17 * 60) for d in range(n_days))
    n_groups = draw(st.integers(1, 2))
    groups = [
        group(g, draw(st.sampled_from([("fr",), ("en",), ("en", "fr")])), 3)
        for g in range(1, n_groups + 1)
    ]
    hosts = []
    for h in (1, 2):
        d = draw(st.integers(0, n_days - 1))
        s = draw(st.integers(9, 13))
        hosts.append(host(h, (at(d, 9), at(d, 18)), (at(d, s), at(d, s + 2), True)))
    acts = []
    for k in range(1, draw(st.integers(2, 5)) + 1):
        acts.append(
            Activity(
                k,
                f"a{k}",
                draw(st.sampled_from([30, 60, 90])),
                draw(st.integers(1, 4)),
                hosts=draw(st.sampled_from([(), (1,), (2,)])),
                languages=draw(st.sampled_from([("fr",), ("en",), ("fr", "en")])),
                groups=draw(st.sampled_from([(), (1,), (n_groups,)])),
                mandatory=draw(st.booleans()),
                value=draw(st.integers(0, 5)),
                interpretation_mode=draw(st.sampled_from(["consecutive", "simultaneous"])),
            )
        )
    interpreters = [
        interp(1, ("fr", "en"), ("en", "fr")),
        interp(2, ("fr", "en"), ("en", "fr"), home_venue=3),
        interp(3, ("en", "fr")),
    ][: draw(st.integers(0, 3))]
    return problem(acts, days=days, groups=groups, hosts=hosts, interpreters=interpreters)


DEFAULT = Weights()
# The worst programme: each cost maximised, as little optional value as possible.
WORST = Weights(
    moves=0,
    value=-DEFAULT.value,
    preferred=-DEFAULT.preferred,
    travel=-DEFAULT.travel,
    late=-DEFAULT.late,
    balance=-DEFAULT.balance,
    interpreter_spread=-DEFAULT.interpreter_spread,
    interpretations=-DEFAULT.interpretations,
    language=-DEFAULT.language,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_score_bound_holds_for_the_best_and_the_worst_programme(p):
    top = score_bound(p, DEFAULT)
    offset = score_offset(p, DEFAULT)
    caps = term_caps(p)
    assert top >= 1
    for weights in (DEFAULT, WORST):
        params = dataclasses.replace(PARAMS, weights=weights, strategy="weighted")
        r = solve_programme(p, params)
        if not r.placements:
            continue
        assert validate(p, r) == []
        terms = score(p, r)
        for name, cap in caps.items():
            assert 0 <= terms[name] <= cap, name
        s = offset - objective(terms)
        assert 0 <= s <= top
        # The travel floor added to the bound of a stage without travel (report.py), and
        # the problem's own bound (the greedy's programme's, report.from_greedy).
        assert travel_floor(Prepared(p)) <= terms["travel"]
        assert problem_bound(p, Params(weights=DEFAULT)) <= objective(terms)
    assert problem_bound(p, Params(weights=WORST)) is None
