"""The visit's interpretation policy reaches the solver through the adapter (issue 14, part
3), the demo builds under liaison, and a conference visit too short of interpreters is
explained in words."""

from events.models import Activity
from events.services import visit_interpretation_set
from scheduling.adapters import problem_from_visit
from scheduling.explanations import with_sentences
from scheduling.import_problem import visit_from_problem
from scheduling.solver import Params, solve_programme, validate
from scheduling.solver.policy import interpretation

DETERMINISTIC = Params(time_limit_s=20, deterministic=True, seed=1, workers=2)


def test_demo_visit_is_interpreted_by_liaison(aude):
    assert problem_from_visit(aude).problem.interpretation == interpretation("liaison")


def test_demo_builds_under_liaison(aude):
    problem = problem_from_visit(aude).problem
    result = solve_programme(problem, DETERMINISTIC)
    assert result.status == "optimal"
    assert validate(problem, result) == []


def test_visit_rules_reach_the_problem(aude):
    visit_interpretation_set(visit=aude, policy="conference", rules={"daily_limit": 300})
    got = problem_from_visit(aude).problem.interpretation
    assert got == interpretation("conference", {"daily_limit": 300})


def test_working_lunch_reaches_the_problem(aude):
    lunch = Activity.objects.filter(visit=aude).order_by("pk").first()
    lunch.kind, lunch.working_lunch = Activity.Kind.MEAL, True
    lunch.save()
    by_id = {a.id: a for a in problem_from_visit(aude).problem.activities}
    assert (by_id[lunch.pk].meal, by_id[lunch.pk].working_lunch) == (True, True)


def test_policy_survives_the_json_import(aude):
    visit_interpretation_set(visit=aude, policy="liaison", rules={"min_break": 20})
    copy = visit_from_problem(problem_from_visit(aude).problem, owner=aude.owner, title="Copy")
    assert (copy.interpretation_policy, copy.interpretation_rules) == ("liaison", {"min_break": 20})


def test_one_interpreter_under_conference_is_explained_in_words(aude):
    """The demo with one interpreter: liaison builds it, conference names the team."""
    aude.interpreters.set(aude.interpreters.order_by("pk")[:1])
    assert solve_programme(problem_from_visit(aude).problem, DETERMINISTIC).status == "optimal"
    visit_interpretation_set(visit=aude, policy="conference")
    result = solve_programme(problem_from_visit(aude).problem, DETERMINISTIC)
    assert result.status == "infeasible"
    conflict = next(c for c in result.conflicts if c.rule == "team_strength")
    title = Activity.objects.get(pk=conflict.entities["activity"][0]).local_title  # en page
    plain = {"rule": conflict.rule, "entities": conflict.entities, "params": conflict.params}
    (explained,) = with_sentences([plain], visit=aude)
    assert explained["sentence"] == (
        f"“{title}” needs a team of 2 interpreters ({conflict.params['mode']}) under conference "
        "interpreting, the visit's policy, and too few are available then; under liaison "
        "interpreting one interpreter per language would do."
    )
