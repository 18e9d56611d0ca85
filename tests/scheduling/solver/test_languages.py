"""Languages as choices (issue 14, part 4): the solver picks the spoken language of each
activity and the language each member listens in, with the fewest interpretations first
and members' preferred languages next. One feasible and one infeasible case per rule, and
the validator catching a hand-made violation."""

from __future__ import annotations

import json

from scheduling.solver import Placement, ProgrammeResult, solve_programme, validate
from scheduling.solver.build import build
from scheduling.solver.io import (
    problem_from_dict,
    problem_to_dict,
    result_from_dict,
    result_to_dict,
)
from scheduling.solver.model import Assignment, Group, LanguageChoice, Member
from scheduling.solver.policy import interpretation
from scheduling.solver.prepare import Prepared

from .factories import PARAMS, act, at, interp, problem

CONFERENCE = interpretation("conference")
LIAISON = interpretation("liaison")


def solve(p):
    r = solve_programme(p, PARAMS)
    if r.status in ("optimal", "feasible"):
        assert validate(p, r) == []
    return r


def rules(result) -> set[str]:
    return {c.rule for c in result.conflicts}


def violations(p, placements, assignments=(), languages=()) -> set[str]:
    r = ProgrammeResult(
        "feasible",
        placements=tuple(placements),
        assignments=tuple(assignments),
        languages=tuple(languages),
    )
    return {v.rule for v in validate(p, r)}


def members(*rows) -> Group:
    """Group 1 with members given as (follows, count, preferred)."""
    return Group(1, "delegation", members=tuple(Member(tuple(f), n, pref) for f, n, pref in rows))


def one(spoken, group, interpreters=(), policy=LIAISON, **kw):
    a = act(1, 60, languages=tuple(spoken), fixed_start=at(0, 9), **kw)
    return problem([a], groups=[group], interpreters=interpreters, interpretation=policy)


# ---- a guest who follows French or English ---------------------------------------------------
def test_guest_following_fr_or_en_needs_no_interpreter_when_host_speaks_either():
    both = members((("fr", "en"), 2, "en"))
    for spoken in (("fr",), ("en",)):
        r = solve(one(spoken, both))
        assert r.status == "optimal"
        assert r.assignments == ()
        assert r.languages == (LanguageChoice(1, spoken[0], ((1, spoken[0], 2),)),)


def test_guest_following_fr_or_en_with_a_german_host_needs_an_interpreter():
    both = members((("fr", "en"), 2, "en"))
    r = solve(one(("de",), both))
    assert r.status == "infeasible"
    assert "interpretation" in rules(r)


def test_guest_listens_in_the_language_an_interpreter_can_render():
    both = members((("fr", "en"), 2, "fr"))
    de_en = interp(1, ("de", "en"), modes=("consecutive",))
    r = solve(one(("de",), both, [de_en]))
    assert r.status == "optimal"
    assert r.languages == (LanguageChoice(1, "de", ((1, "en", 2),)),)
    assert r.assignments == (Assignment(1, 1, ("de", "en")),)
    assert r.terms["language"] == 2  # they prefer French: reported, not served


# ---- the spoken language is a choice: coverage follows it ----------------------------------
def test_host_speaking_fr_or_de_speaks_what_the_interpreter_renders():
    english = members((("en",), 3, "en"))
    de_en = interp(1, ("de", "en"), modes=("consecutive",))
    r = solve(one(("fr", "de"), english, [de_en]))
    assert r.status == "optimal"
    assert r.languages == (LanguageChoice(1, "de", ((1, "en", 3),)),)
    assert r.assignments == (Assignment(1, 1, ("de", "en")),)


def test_host_speaking_fr_or_de_without_a_matching_interpreter_is_infeasible():
    english = members((("en",), 3, "en"))
    es_en = interp(1, ("es", "en"), modes=("consecutive",))
    r = solve(one(("fr", "de"), english, [es_en]))
    assert r.status == "infeasible"
    assert "interpretation" in rules(r)


def test_bilingual_host_does_not_enlarge_the_consecutive_team():
    """French and German spoken by the host, English listened: two languages in play, so
    the conference team for 90 minutes is 2, as with a host who speaks only German."""
    english = members((("en",), 3, "en"))
    team = [interp(k, ("de", "en"), ("en", "de"), modes=("consecutive",)) for k in (1, 2)]
    for spoken in (("de",), ("fr", "de")):
        a = act(1, 90, languages=spoken, two_way=True, fixed_start=at(0, 9))
        p = problem([a], groups=[english], interpreters=team, interpretation=CONFERENCE)
        r = solve(p)
        assert r.status == "optimal", spoken
        assert {x.interpreter for x in r.assignments} == {1, 2}
        assert Prepared(p).team(a, r.languages[0]) == 2


def test_bilingual_host_with_one_interpreter_under_conference_is_still_short():
    english = members((("en",), 3, "en"))
    solo = interp(1, ("de", "en"), ("en", "de"), modes=("consecutive",))
    a = act(1, 90, languages=("fr", "de"), two_way=True, fixed_start=at(0, 9))
    p = problem([a], groups=[english], interpreters=[solo], interpretation=CONFERENCE)
    r = solve(p)
    assert r.status == "infeasible"
    assert "team_strength" in rules(r)


# ---- preferences and fewest interpretations ----------------------------------------------------
def test_preferred_language_served_when_it_costs_no_interpreter():
    both = members((("fr", "en"), 2, "en"))
    r = solve(one(("fr", "en"), both))
    assert r.languages == (LanguageChoice(1, "en", ((1, "en", 2),)),)
    assert (r.terms["interpretations"], r.terms["language"]) == (0, 0)


def test_fewest_interpretations_before_preferences():
    """Two prefer English, one follows only French: speaking French and rendering nothing
    beats speaking French and rendering English for the two."""
    mixed = members((("fr", "en"), 2, "en"), (("fr",), 1, "fr"))
    fr_en = interp(1, ("fr", "en"), modes=("consecutive",))
    r = solve(one(("fr",), mixed, [fr_en]))
    assert r.languages == (LanguageChoice(1, "fr", ((1, "fr", 3),)),)
    assert r.assignments == ()
    assert (r.terms["interpretations"], r.terms["language"]) == (0, 2)


def test_group_without_a_common_language_listens_in_two():
    mixed = members((("fr",), 1, "fr"), (("es", "en"), 2, "es"))
    fr_es = interp(1, ("fr", "es"), modes=("consecutive",))
    r = solve(one(("fr",), mixed, [fr_es]))
    assert r.status == "optimal"
    assert r.languages == (LanguageChoice(1, "fr", ((1, "es", 2), (1, "fr", 1))),)


def test_whispering_counts_the_members_listening_in_the_language():
    five = members((("fr", "en"), 2, "fr"), (("en",), 3, "en"))
    fr_en = interp(1, ("fr", "en"), modes=("whispered",))
    ok = solve(one(("fr",), five, [fr_en], interpretation_mode="whispered"))
    assert ok.languages == (LanguageChoice(1, "fr", ((1, "en", 3), (1, "fr", 2))),)
    crowd = members((("fr", "en"), 2, "en"), (("en",), 3, "en"), (("en", "de"), 1, "en"))
    r = solve(one(("fr", "de"), crowd, [fr_en], interpretation_mode="whispered"))
    assert r.status == "infeasible"  # 4 or more would listen in English


# ---- the model stays small without a choice -----------------------------------------------------
def test_no_language_literals_when_there_is_one_candidate():
    p = one(("fr",), members((("en",), 3, "en")), [interp(1, ("fr", "en"))])
    assert build(p, PARAMS).choices == {}
    assert build(one(("fr", "de"), p.groups[0]), PARAMS).choices.keys() == {1}


# ---- validator -----------------------------------------------------------------------------------
def test_validator_refuses_a_language_the_host_does_not_speak():
    p = one(("fr",), members((("fr", "en"), 2, "en")))
    pl = [Placement(1, 0, at(0, 9))]
    assert "interpretation" in violations(
        p, pl, languages=[LanguageChoice(1, "fr", ((1, "en", 2),))]
    )
    assert violations(p, pl, languages=[LanguageChoice(1, "de", ((1, "de", 2),))]) >= {
        "language_choice"
    }
    assert violations(p, pl, languages=[LanguageChoice(1, "fr", ((1, "fr", 2),))]) == set()


def test_validator_without_stated_languages_finds_the_served_choice():
    p = one(("fr", "de"), members((("en",), 3, "en")), [interp(1, ("de", "en"))])
    pl = [Placement(1, 0, at(0, 9))]
    assert violations(p, pl, [Assignment(1, 1, ("de", "en"))]) == set()
    assert "interpretation" in violations(p, pl, [])


# ---- the format ----------------------------------------------------------------------------------
def test_members_and_chosen_languages_round_trip_through_json():
    p = one(("fr", "de"), members((("en", "fr"), 2, "en")), [interp(1, ("de", "en"))])
    assert problem_from_dict(json.loads(json.dumps(problem_to_dict(p)))) == p
    r = solve(p)
    again = result_from_dict(json.loads(json.dumps(result_to_dict(r))))
    assert again.languages == r.languages == (LanguageChoice(1, "fr", ((1, "fr", 2),)),)
