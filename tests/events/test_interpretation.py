"""A visit's interpretation policy and rules (issue 14, part 3): the shape checked on the
visit, the same keys and bounds as the solver's reader, the kind's default, the service and
the API."""

import pytest
from django.core.exceptions import ValidationError

from events import interpretation as shape
from events.models import Visit, default_interpretation_policy
from events.services import visit_interpretation_set
from scheduling.solver import policy as solver_policy

GOOD = [
    {},
    {"daily_limit": 300},
    {"daily_limit": None},
    {"long_stint": 60, "min_break": 15},
    {"whisper_max_listeners": 2},
    {"team_strength": {"consecutive": [[40, 1], [480, 2]]}},
]
BAD = [
    {"daily_limit": 3600},
    {"daily_limit": "360"},
    {"breaks": 2},
    {"long_stint": 0, "min_break": 30},
    {"team_strength": {"relay": [[40, 1]]}},
    {"team_strength": {"consecutive": [[60, 2], [40, 3]]}},
    {"team_strength": {"consecutive": [[40, 2], [60, 1]]}},
    {"team_strength": {"consecutive": []}},
    {"team_strength": {"consecutive": [[40]]}},
    {"whisper_max_listeners": True},
]


def test_shape_keys_and_bounds_are_the_solvers():
    assert set(shape.RULE_KEYS) == set(solver_policy.RULE_KEYS)
    for key, bounds in shape.BOUNDS.items():
        assert solver_policy.BOUNDS[key] == bounds
    assert solver_policy.BOUNDS["team_minutes"] == shape.TEAM_MINUTES
    assert solver_policy.BOUNDS["team_size"] == shape.TEAM_SIZE
    for policy, stint in shape.DEFAULT_LONG_STINT.items():
        assert solver_policy.DEFAULTS[policy]["long_stint"] == stint


@pytest.mark.parametrize("policy", ["liaison", "conference"])
@pytest.mark.parametrize("rules", GOOD)
def test_good_rules_accepted_by_the_visit_and_the_solver(policy, rules):
    assert shape.rules_errors(policy, rules) == []
    solver_policy.interpretation(policy, rules)


@pytest.mark.parametrize("policy", ["liaison", "conference"])
@pytest.mark.parametrize("rules", BAD)
def test_bad_rules_refused_by_the_visit_and_the_solver(policy, rules):
    assert shape.rules_errors(policy, rules) != []
    with pytest.raises(solver_policy.RulesError):
        solver_policy.interpretation(policy, rules)


def test_break_without_stint_under_conference_is_refused_by_both():
    assert shape.rules_errors("conference", {"min_break": 20}) != []
    with pytest.raises(solver_policy.RulesError):
        solver_policy.interpretation("conference", {"min_break": 20})


def test_default_policy_follows_the_kind():
    assert default_interpretation_policy(Visit.Kind.FORUM) == "conference"
    assert default_interpretation_policy(Visit.Kind.DELEGATION) == "liaison"
    assert default_interpretation_policy(Visit.Kind.LEARNING_JOURNEY) == "liaison"


def test_visit_clean_names_the_rules_field(visit):
    visit.interpretation_rules = {"daily_limit": 3600}
    with pytest.raises(ValidationError) as e:
        visit.full_clean()
    assert e.value.message_dict == {
        "interpretation_rules": ["daily_limit: between 30 and 720 is expected"]
    }


def test_service_sets_policy_and_rules(visit):
    visit_interpretation_set(visit=visit, policy="conference", rules={"whisper_max_listeners": 2})
    visit.refresh_from_db()
    assert (visit.interpretation_policy, visit.interpretation_rules) == (
        "conference",
        {"whisper_max_listeners": 2},
    )


def test_service_refuses_bad_rules_and_writes_nothing(visit):
    with pytest.raises(ValidationError) as e:
        visit_interpretation_set(visit=visit, policy="liaison", rules={"min_break": 500})
    assert list(e.value.message_dict) == ["interpretation_rules"]
    visit.refresh_from_db()
    assert visit.interpretation_rules == {}


VISIT = {
    "kind": "forum",
    "title": "Lux'09, atelier 7",
    "start_date": "2009-04-23",
    "end_date": "2009-04-25",
}


def test_api_forum_defaults_to_conference(api):
    response = api.post("/visits", VISIT)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["interpretation_policy"], body["interpretation_rules"]) == ("conference", {})


def test_api_rules_round_trip(api):
    rules = {"daily_limit": 300, "team_strength": {"consecutive": [[40, 1], [480, 3]]}}
    response = api.post(
        "/visits", {**VISIT, "interpretation_policy": "liaison", "interpretation_rules": rules}
    )
    assert response.status_code == 201, response.content
    assert response.json()["interpretation_rules"] == rules


def test_api_bad_rules_is_422_naming_the_field(api):
    response = api.post("/visits", {**VISIT, "interpretation_rules": {"daily_limit": 3600}})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "body.interpretation_rules",
            "reason": "daily_limit: between 30 and 720 is expected",
        }
    ]
