"""The greedy earliest-fit baseline (and CP-SAT start hint) never breaks a rule."""

from __future__ import annotations

from scheduling.solver import Placement, ProgrammeResult
from scheduling.solver.greedy import greedy

from .factories import act, at, group, host, interp, problem


def test_greedy_places_at_earliest_fit_with_travel():
    p = problem([act(1, 60, venue=1), act(2, 60, venue=2)], groups=[group(1, lodging=3)])
    result, status, _obj, _wall, violations = greedy(p)
    assert status == "feasible"
    assert violations == []
    # Hotel -> Carcassonne 20 min, then 60 min, then 30 min to Villerouge.
    assert [(pl.activity, pl.start) for pl in result.placements] == [
        (1, at(0, 9) + 20),
        (2, at(0, 9) + 20 + 60 + 30),
    ]


def test_greedy_starts_each_day_from_that_days_lodging():
    acts = [act(1, 60, venue=1, earliest=at(0, 9)), act(2, 60, venue=1, earliest=at(1, 9))]
    p = problem(acts, days=2, groups=[group(1, lodging=3, by_day=[(1, 4)])])
    result, status, _obj, _wall, violations = greedy(p)
    assert status == "feasible"
    assert violations == []
    # Day 0 from the hotel (20 min), day 1 from Sarrant (120 min).
    assert [(pl.activity, pl.start) for pl in result.placements] == [
        (1, at(0, 9) + 20),
        (2, at(1, 9) + 120),
    ]


def test_greedy_reports_incomplete_when_it_cannot_place_a_mandatory_activity():
    p = problem(
        [act(1, 120, hosts=(1,)), act(2, 120, hosts=(1,))],
        hosts=[host(1, (at(0, 9), at(0, 12)))],
    )
    result, status, _obj, _wall, violations = greedy(p)
    assert status == "incomplete"
    assert [v.rule for v in violations] == ["mandatory"]
    assert len(result.placements) == 1


def test_greedy_assigns_a_team_of_interpreters():
    p = problem(
        [act(1, 90, languages=("fr",))],
        groups=[group(1, ("en", "fr"))],
        interpreters=[interp(1, ("fr", "en")), interp(2, ("fr", "en"))],
    )
    result, status, *_ = greedy(p)
    assert status == "feasible"
    assert sorted(a.interpreter for a in result.assignments) == [1, 2]


def test_greedy_with_seed_keeps_its_placements_and_adds_the_rest():
    p = problem([act(1, 60, venue=1), act(2, 60, venue=1, mandatory=False, value=3)])
    seed = ProgrammeResult("feasible", placements=(Placement(1, 0, at(0, 10)),))
    result, status, _obj, _wall, violations = greedy(p, seed=seed)
    assert status == "feasible"
    assert violations == []
    # Activity 1 stays at 10:00 (earliest fit would have put it at 09:00); 2 fills 09:00.
    assert sorted((pl.activity, pl.start) for pl in result.placements) == [
        (1, at(0, 10)),
        (2, at(0, 9)),
    ]
