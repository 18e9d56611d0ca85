"""Explanations: pre-checks name the cause; CP-SAT cores are minimal and actionable."""

from __future__ import annotations

from scheduling.solver import Conflict, Precedence, feasible_when_relaxed, solve_programme
from scheduling.solver.explain import (
    SET_BY_ORGANISER,
    culprits_first,
    feasible_enforcing_only,
    rank,
)

from .factories import PARAMS, act, at, group, host, interp, problem


def test_explain_host_window_and_travel_conflict_names_both_visits():
    # The mayor is only free 9-11; the Sarrant visit (2 h drive away) is fixed at 11:00.
    p = problem(
        [
            act(1, 90, venue=2, hosts=(1,)),
            act(2, 120, venue=4, fixed_start=at(0, 11)),
        ],
        hosts=[host(1, (at(0, 9), at(0, 11)))],
    )
    r = solve_programme(p, PARAMS)
    assert r.status == "infeasible"
    assert {c.rule for c in r.conflicts} >= {"host_window", "group_travel"}
    assert feasible_when_relaxed(p, PARAMS, r.conflicts)


def test_explain_relaxing_named_rules_makes_feasible_for_each_case():
    cases = [
        problem([act(1, phase=1), act(2, phase=2, fixed_start=at(0, 9))]),
        problem(
            [act(1, fixed_start=at(0, 9)), act(2), act(3)],
            precedences=(Precedence(2, 1, 0), Precedence(3, 2, 0)),
        ),
        problem([act(1, 240), act(2, 240), act(3, 240)]),
        problem(
            [act(k, 60, groups=(k,), hosts=(1,)) for k in (1, 2, 3)],
            groups=[group(1), group(2), group(3)],
            hosts=[host(1, (at(0, 9), at(0, 11)))],
        ),
    ]
    for p in cases:
        r = solve_programme(p, PARAMS)
        assert r.status == "infeasible"
        assert r.conflicts
        assert feasible_when_relaxed(p, PARAMS, r.conflicts)


def test_explain_single_reason_is_minimal():
    p = problem(
        [act(k, 60, groups=(k,), hosts=(1,)) for k in (1, 2, 3)],
        groups=[group(1), group(2), group(3)],
        hosts=[host(1, (at(0, 9), at(0, 11)))],
    )
    r = solve_programme(p, PARAMS)
    assert not feasible_enforcing_only(p, PARAMS, r.conflicts)
    for k in range(len(r.conflicts)):
        assert feasible_enforcing_only(p, PARAMS, r.conflicts[:k] + r.conflicts[k + 1 :])


def test_explain_two_independent_reasons_are_both_named():
    # Day 0: two fixed activities overlap; group 2: phase order contradicted by a fixed start.
    p = problem(
        [
            act(1, groups=(1,), fixed_start=at(0, 10)),
            act(2, groups=(1,), fixed_start=at(0, 10.5)),
            act(3, groups=(2,), phase=1),
            act(4, groups=(2,), phase=2, fixed_start=at(0, 9)),
        ],
        groups=[group(1), group(2)],
    )
    r = solve_programme(p, PARAMS)
    assert "phase" in {c.rule for c in r.conflicts}
    assert {1, 2} & {a for c in r.conflicts for a in c.entities.get("activity", ())}
    assert feasible_when_relaxed(p, PARAMS, r.conflicts)


def test_explain_precedence_chain_names_both_precedences():
    p = problem(
        [act(1, fixed_start=at(0, 9)), act(2), act(3)],
        precedences=(Precedence(2, 1, 0), Precedence(3, 2, 0)),
    )
    r = solve_programme(p, PARAMS)
    assert [c.rule for c in r.conflicts].count("precedence") in (1, 2)
    assert feasible_when_relaxed(p, PARAMS, r.conflicts)


def test_explain_daily_cap_names_interpreter_and_day():
    g = [group(1, ("en",)), group(2, ("en",))]
    acts = [
        act(
            k, 200, groups=(k + 1,), interpretation_mode="consecutive", fixed_start=at(0, 9 + 4 * k)
        )
        for k in (0, 1)
    ]
    i = [interp(1, ("fr", "en")), interp(2, ("fr", "en"))]
    r = solve_programme(problem(acts, groups=g, interpreters=i), PARAMS)
    assert r.status == "infeasible"
    caps = [c for c in r.conflicts if c.rule == "daily_cap"]
    assert caps
    assert caps[0].entities["day"] == (0,)
    assert caps[0].params == {"cap": 360}


def test_precheck_invalid_when_no_activities():
    r = solve_programme(problem([]), PARAMS)
    assert r.status == "invalid"
    assert [c.rule for c in r.conflicts] == ["no_activities"]


def test_precheck_invalid_when_travel_pair_missing():
    r = solve_programme(problem([act(1, venue=1), act(2, venue=2)], travel={}), PARAMS)
    assert r.status == "invalid"
    assert r.conflicts[0].rule == "missing_travel"
    assert r.conflicts[0].entities == {"venue": (1, 2)}


def test_precheck_invalid_when_reference_unknown():
    r = solve_programme(problem([act(1, hosts=(9,))]), PARAMS)
    assert r.status == "invalid"
    assert r.conflicts[0].rule == "unknown_reference"
    assert r.conflicts[0].entities == {"host": (9,), "activity": (1,)}


def test_precheck_invalid_when_lodging_by_day_names_unknown_venue_or_day():
    g = group(1, lodging=3, by_day=[(0, 4), (0, 9), (7, 1)])
    r = solve_programme(problem([act(1)], groups=[g]), PARAMS)
    assert r.status == "invalid"
    got = [(c.rule, c.entities, c.params) for c in r.conflicts]
    assert got == [
        ("unknown_reference", {"venue": (9,), "group": (1,)}, {"field": "lodging_by_day[1][1]"}),
        ("duplicate_id", {"day": (0,), "group": (1,)}, {"field": "lodging_by_day[1][0]"}),
        ("unknown_reference", {"day": (7,), "group": (1,)}, {"field": "lodging_by_day[2][0]"}),
    ]


def test_precheck_never_raises_on_garbage():
    r = solve_programme(problem([act(1, duration="long")]), PARAMS)
    assert r.status == "invalid"


def test_explain_names_the_organisers_rules_first_and_must_take_place_last():
    """The fixed start and the host window are what an organiser changes; the travel follows
    from them, and "must take place" is what they prevent."""
    p = problem(
        [
            act(1, 90, venue=2, hosts=(1,)),
            act(2, 120, venue=4, fixed_start=at(0, 11)),
        ],
        hosts=[host(1, (at(0, 9), at(0, 11)))],
    )
    r = solve_programme(p, PARAMS)
    rules = [c.rule for c in r.conflicts]
    assert rules[0] in SET_BY_ORGANISER, rules
    assert [rank(rule) for rule in rules] == sorted(rank(rule) for rule in rules), rules
    assert feasible_when_relaxed(p, PARAMS, r.conflicts)


def test_culprits_first_puts_the_smallest_set_first_and_organisers_rules_in_each():
    big = [
        Conflict("mandatory", {"activity": (1,)}),
        Conflict("group_travel", {"group": (1,)}),
        Conflict("fixed_start", {"activity": (1,)}, {"start": 540}),
        Conflict("fixed_start", {"activity": (2,)}, {"start": 570}),
    ]
    small = [Conflict("mandatory", {"activity": (3,)}), Conflict("locked", {"activity": (3,)})]
    assert [(c.rule, c.entities) for c in culprits_first([big, small])] == [
        ("locked", {"activity": (3,)}),
        ("mandatory", {"activity": (3,)}),
        ("fixed_start", {"activity": (1,)}),
        ("fixed_start", {"activity": (2,)}),
        ("group_travel", {"group": (1,)}),
        ("mandatory", {"activity": (1,)}),
    ]
