"""The visit's interpretation policy (issue 14, part 3): liaison (one interpreter per need,
a daily limit, breaks after long stints) against conference (AIIC team strength), a meal's
lunch, and the policy in the problem JSON and on the command line. One feasible and one
infeasible case per rule, and the validator catching a hand-made violation."""

from __future__ import annotations

import dataclasses
import json

import pytest

from scheduling.solver import Placement, ProgrammeResult, solve_programme, validate
from scheduling.solver.__main__ import main
from scheduling.solver.io import ProblemFormatError, problem_from_dict, problem_to_dict
from scheduling.solver.model import Assignment, Day, Interpretation
from scheduling.solver.policy import RulesError, interpretation

from .factories import PARAMS, act, at, day, group, interp, problem

LIAISON = interpretation("liaison")
CONFERENCE = interpretation("conference")


def solve(p):
    r = solve_programme(p, PARAMS)
    if r.status in ("optimal", "feasible"):
        assert validate(p, r) == []
    return r


def rules(result) -> set[str]:
    return {c.rule for c in result.conflicts}


def violations(p, placements, assignments=()) -> set[str]:
    r = ProgrammeResult("feasible", placements=tuple(placements), assignments=tuple(assignments))
    return {v.rule for v in validate(p, r)}


FR_EN = interp(1, ("fr", "en"), ("en", "fr"), modes=("consecutive", "whispered"), daily_cap=480)


def small_visit(policy: Interpretation, days: int = 3, per_day: int = 2) -> object:
    """A one-interpreter visit: 90-minute consecutive meetings in French with an
    English-speaking delegation, at two venues 30 minutes apart."""
    acts = [
        act(
            d * 10 + k,
            90,
            venue=1 + k % 2,
            languages=("fr",),
            two_way=True,
            earliest=at(d, 9),
            latest=at(d, 18),
        )
        for d in range(days)
        for k in range(per_day)
    ]
    return problem(
        acts, days=days, groups=[group(1, ("en",))], interpreters=[FR_EN], interpretation=policy
    )


# ---- acceptance: liaison builds it, conference explains why not ------------------------------
def test_liaison_one_interpreter_builds_three_days_of_90_minute_meetings():
    p = small_visit(LIAISON)
    r = solve(p)
    assert r.status == "optimal"
    assert len(r.placements) == 6
    assert {x.interpreter for x in r.assignments} == {1}


def test_conference_same_visit_is_infeasible_and_names_the_team():
    r = solve(small_visit(CONFERENCE))
    assert r.status == "infeasible"
    assert rules(r) == {"team_strength"}
    assert {c.params["team"] for c in r.conflicts} == {2}
    assert {c.params["policy"] for c in r.conflicts} == {"conference"}


def test_liaison_simultaneous_keeps_the_booth_team():
    a = act(1, 90, languages=("fr",), interpretation_mode="simultaneous")
    booth = interp(1, ("fr", "en"))
    p = problem([a], groups=[group(1, ("en",))], interpreters=[booth], interpretation=LIAISON)
    assert rules(solve(p)) == {"team_strength"}


def test_liaison_validator_accepts_one_interpreter_and_conference_does_not():
    p = small_visit(LIAISON, days=1, per_day=1)
    pls = [Placement(0, 0, at(0, 9))]
    asg = [Assignment(0, 1, ("fr", "en")), Assignment(0, 1, ("en", "fr"))]
    assert violations(p, pls, asg) == set()
    assert violations(dataclasses.replace(p, interpretation=CONFERENCE), pls, asg) == {
        "team_strength"
    }


# ---- daily limit -------------------------------------------------------------------------------
def _one_day(policy, n=5, minutes=80, cap=480):
    acts = [act(k, minutes, languages=("fr",)) for k in range(n)]
    i = interp(1, ("fr", "en"), modes=("consecutive",), daily_cap=cap)
    return problem(acts, groups=[group(1, ("en",))], interpreters=[i], interpretation=policy)


def test_daily_limit_feasible_within_the_policy_limit():
    # 4 x 80 = 320 minutes, under liaison's 360.
    assert solve(_one_day(LIAISON, n=4)).status == "optimal"


def test_daily_limit_infeasible_over_the_policy_limit():
    # 5 x 80 = 400 minutes: the interpreter's own cap (480) allows it, liaison's 360 does not.
    r = solve(_one_day(LIAISON))
    assert r.status == "infeasible"
    assert "daily_cap" in rules(r)


def test_daily_limit_changed_in_the_rules_allows_it():
    assert solve(_one_day(interpretation("liaison", {"daily_limit": 400}))).status == "optimal"


def test_daily_limit_validator_uses_the_policy_limit():
    p = _one_day(LIAISON)
    pls = [Placement(k, 0, at(0, 9) + 90 * k) for k in range(5)]
    asg = [Assignment(k, 1, ("fr", "en")) for k in range(5)]
    assert violations(p, pls, asg) == {"daily_cap"}


# ---- breaks after long stints ------------------------------------------------------------------
def _two_meetings(second_start, policy=LIAISON):
    acts = [
        act(1, 90, languages=("fr",), fixed_start=at(0, 9)),
        act(2, 60, languages=("fr",), fixed_start=second_start),
    ]
    i = interp(1, ("fr", "en"), modes=("consecutive",))
    return problem(acts, groups=[group(1, ("en",))], interpreters=[i], interpretation=policy)


def test_rest_feasible_with_the_break():
    assert solve(_two_meetings(at(0, 11))).status == "optimal"  # 10:30 -> 11:00


def test_rest_infeasible_without_the_break():
    r = solve(_two_meetings(at(0, 10.75)))  # 10:30 -> 10:45
    assert r.status == "infeasible"
    assert "interpreter_rest" in rules(r)


def test_rest_not_a_rule_under_conference_with_a_team():
    acts = _two_meetings(at(0, 10.75), CONFERENCE)
    two = [interp(k, ("fr", "en"), modes=("consecutive",)) for k in (1, 2)]
    assert solve(dataclasses.replace(acts, interpreters=tuple(two))).status == "optimal"


def test_rest_validator_catches_a_short_break():
    p = _two_meetings(at(0, 10.75))
    pls = [Placement(1, 0, at(0, 9)), Placement(2, 0, at(0, 10.75))]
    asg = [Assignment(1, 1, ("fr", "en")), Assignment(2, 1, ("fr", "en"))]
    assert violations(p, pls, asg) == {"interpreter_rest"}


# ---- a meal's lunch is not interpreted unless it is a working lunch ----------------------------
def _meal(working_lunch: bool, duration=60, interpreters=()):
    meal = act(
        1,
        duration,
        languages=("fr",),
        meal=True,
        working_lunch=working_lunch,
        fixed_start=at(0, 12),
    )
    days = (day(0, lunch=True),)
    return problem(
        [meal],
        days=days,
        groups=[group(1, ("en",))],
        interpreters=interpreters,
        interpretation=LIAISON,
    )


def test_lunch_feasible_without_an_interpreter():
    r = solve(_meal(working_lunch=False))
    assert r.status == "optimal"
    assert r.assignments == ()


def test_working_lunch_infeasible_without_an_interpreter():
    r = solve(_meal(working_lunch=True))
    assert r.status == "infeasible"
    assert rules(r) == {"interpretation"}


def _day_with_lunch(working_lunch: bool):
    i = interp(1, ("fr", "en"), modes=("consecutive",), daily_cap=300)
    acts = [
        act(1, 120, languages=("fr",), fixed_start=at(0, 9)),
        act(2, 120, languages=("fr",), meal=True, working_lunch=working_lunch),
        act(3, 120, languages=("fr",), fixed_start=at(0, 15)),
    ]
    days = (Day(0, at(0, 9), at(0, 18), at(0, 11.5), at(0, 14), 60),)
    policy = interpretation("liaison", {"min_break": 0})
    return problem(
        acts, days=days, groups=[group(1, ("en",))], interpreters=[i], interpretation=policy
    )


def test_lunch_does_not_count_against_the_daily_limit():
    # 120 + (120 - 60 of lunch) + 120 = 300 interpreted minutes: the cap.
    assert solve(_day_with_lunch(working_lunch=False)).status == "optimal"


def test_working_lunch_counts_against_the_daily_limit():
    r = solve(_day_with_lunch(working_lunch=True))
    assert r.status == "infeasible"
    assert "daily_cap" in rules(r)


# ---- the policy in the problem JSON and on the command line ---------------------------------
def test_policy_round_trips_through_json():
    p = small_visit(interpretation("liaison", {"daily_limit": 300, "min_break": 20}))
    d = problem_to_dict(p)
    assert d["interpretation"] == {"policy": "liaison", "daily_limit": 300, "min_break": 20}
    assert problem_from_dict(json.loads(json.dumps(d))) == p


def test_policy_absent_from_json_is_conference():
    d = problem_to_dict(small_visit(LIAISON))
    del d["interpretation"]
    assert problem_from_dict(d).interpretation == CONFERENCE


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"policy": "escort"}, "$.interpretation.policy"),
        ({"policy": "liaison", "daily_limit": 3600}, "$.interpretation.daily_limit"),
        ({"policy": "liaison", "breaks": 3}, "$.interpretation.breaks"),
        (
            {"team_strength": {"consecutive": [[60, 2], [40, 3]]}},
            "$.interpretation.team_strength.consecutive[1][0]",
        ),
        ({"team_strength": {"relay": [[40, 1]]}}, "$.interpretation.team_strength.relay"),
    ],
)
def test_policy_json_errors_name_the_path(value, path):
    d = problem_to_dict(small_visit(LIAISON))
    d["interpretation"] = value
    with pytest.raises(ProblemFormatError) as e:
        problem_from_dict(d)
    assert e.value.path == path


def test_rules_refuse_a_break_without_a_stint():
    with pytest.raises(RulesError) as e:
        interpretation("liaison", {"long_stint": 0})
    assert e.value.path == "long_stint"


def test_cli_interpretation_flag_overrides_the_problem(tmp_path, capsys):
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(problem_to_dict(small_visit(CONFERENCE, days=1, per_day=1))))
    assert main(["solve", str(path), "--time-limit", "5"]) == 1
    assert json.loads(capsys.readouterr().out)["status"] == "infeasible"
    assert main(["solve", str(path), "--time-limit", "5", "--interpretation", "liaison"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "optimal"
