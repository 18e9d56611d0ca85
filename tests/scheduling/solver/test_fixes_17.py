"""Small fixes found by the validator's author (issue 17, part 8): the solver plans with the
same travel times as the pages, and an impossible seating of listeners is refused wherever
a choice is checked."""

from __future__ import annotations

import dataclasses

from scheduling.solver import Venue, shortest_paths, solve_programme, validate
from scheduling.solver.languages import is_valid_choice
from scheduling.solver.model import LanguageChoice, Member
from scheduling.solver.prepare import Prepared

from .factories import PARAMS, act, at, group, problem

# Venue 3 is used by no activity: the quick way from 1 to 2 goes through it.
DETOUR = {(1, 2): 100, (1, 3): 10, (3, 2): 10}
VENUES = (Venue(1, "one"), Venue(2, "two"), Venue(3, "unused"))


def _detour_problem():
    # A day of 540 minutes, 520 of them taken: 20 minutes left for the travel.
    return problem(
        [act(1, 260, venue=1, fixed_start=at(0, 9)), act(2, 260, venue=2)],
        venues=VENUES,
        travel=DETOUR,
    )


def test_solver_travel_times_go_through_venues_no_activity_uses():
    p = _detour_problem()
    prep = Prepared(p)
    assert prep.t(1, 2) == shortest_paths(p.travel)[1, 2] == 20


def test_a_detour_through_an_unused_venue_makes_a_tight_day_feasible():
    p = _detour_problem()
    r = solve_programme(p, dataclasses.replace(PARAMS, explain=False))
    assert r.status in ("optimal", "feasible")
    assert validate(p, r) == []


def test_listening_rows_that_no_seating_of_the_members_fills_are_not_a_valid_choice():
    # One member follows French or English, two German only: one listener each in fr, en
    # and de counts right per group but seats a German-only member in French or English.
    g = dataclasses.replace(group(1, ()), members=(Member(("fr", "en"), 1), Member(("de",), 2)))
    p = problem([act(1, 30, languages=("fr",))], groups=[g])
    a = p.activities[0]
    profiles = Prepared(p).profiles(a)
    unseatable = LanguageChoice(1, "fr", ((1, "de", 1), (1, "en", 1), (1, "fr", 1)))
    assert is_valid_choice(a, profiles, unseatable) == "listening"
    seated = LanguageChoice(1, "fr", ((1, "de", 2), (1, "fr", 1)))
    assert is_valid_choice(a, profiles, seated) is None
