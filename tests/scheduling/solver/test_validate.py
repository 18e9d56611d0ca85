"""Issue 14 part 6: the validator reads the rules from the problem itself, not from the solver's
preparation. Hand-made wrong results are refused with the right rule id, across a day boundary
too, and a programme planned with broken preparation does not pass."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

import scheduling.solver.prepare as prepare
from scheduling.solver import (
    Assignment,
    Day,
    LanguageChoice,
    Placement,
    ProgrammeResult,
    Window,
    solve_programme,
    validate,
)
from scheduling.solver.model import Member
from scheduling.solver.policy import interpretation

from .factories import PARAMS, act, at, group, host, interp, problem

SOLVER = Path(prepare.__file__).parent


def found(p, placements, assignments=(), choices=()) -> list[tuple[str, dict]]:
    r = ProgrammeResult(
        "feasible",
        placements=tuple(placements),
        assignments=tuple(assignments),
        languages=tuple(choices),
    )
    return [(v.rule, v.params) for v in validate(p, r)]


def rules(p, placements, assignments=(), choices=()) -> set[str]:
    return {rule for rule, _ in found(p, placements, assignments, choices)}


# ---- independence ----------------------------------------------------------------------------
def _path(module: str) -> Path:
    """`module` is dotted from the solver package ("rules.travel"); "__init__" is the package."""
    as_file = SOLVER / f"{module.replace('.', '/')}.py"
    return as_file if as_file.exists() else SOLVER / module.replace(".", "/") / "__init__.py"


def _solver_imports(module: str) -> set[str]:
    """The solver modules `module` imports, relative or absolute; a name taken from the
    package itself counts as importing its __init__ (which imports everything)."""
    path = _path(module)
    if module == "__init__":
        package = ""
    elif path.name == "__init__.py":
        package = module
    else:
        package = module.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            pairs = [(a.name, None) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                parts = parts[: len(parts) - (node.level - 1)] + (
                    [node.module] if node.module else []
                )
                base = "scheduling.solver." + ".".join(parts) if parts else "scheduling.solver"
            else:
                base = node.module or ""
            pairs = [(base, a.name) for a in node.names]
        else:
            continue
        for base, name in pairs:
            if base != "scheduling.solver" and not base.startswith("scheduling.solver."):
                continue
            inner = base.removeprefix("scheduling.solver").lstrip(".")
            if name and _path(f"{inner}.{name}".lstrip(".")).exists():
                out.add(f"{inner}.{name}".lstrip("."))
            elif inner:
                out.add(inner)
            else:
                out.add("__init__")
    return out


def _closure(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo += _solver_imports(m)
    return seen


def test_validator_imports_nothing_that_imports_the_preparation():
    reached = _closure("validate")
    assert "prepare" not in reached
    assert reached == {"validate", "validate_reading", "model", "languages"}
    # The walk itself sees the preparation where it is imported.
    assert "prepare" in _closure("scoring")


# ---- time grid and presence ------------------------------------------------------------------
def test_off_grid_start_is_refused_with_rule_grid():
    p = problem([act(1)], time_grid=15)
    assert found(p, [Placement(1, 0, at(0, 10) + 5)]) == [
        ("grid", {"start": at(0, 10) + 5, "grid": 15})
    ]
    assert rules(p, [Placement(1, 0, at(0, 10) + 15)]) == set()


def test_start_outside_presence_is_refused_with_rule_presence():
    g = dataclasses.replace(group(1), presence=(at(0, 14), at(0, 17)))
    p = problem([act(1, 60)], groups=[g])
    assert found(p, [Placement(1, 0, at(0, 16) + 30)]) == [
        ("presence", {"start": at(0, 16) + 30, "arrives": at(0, 14), "leaves": at(0, 17)})
    ]
    assert rules(p, [Placement(1, 0, at(0, 16))]) == set()


# ---- windows -------------------------------------------------------------------------------
def test_touching_host_windows_hold_a_meeting_across_them():
    h = host(1, (at(0, 9), at(0, 12)), (at(0, 12), at(0, 15)))
    p = problem([act(1, 240, hosts=(1,))], hosts=[h])
    assert rules(p, [Placement(1, 0, at(0, 10))]) == set()
    assert rules(p, [Placement(1, 0, at(0, 11) + 30)]) == {"host_window"}


def test_host_windows_with_a_gap_or_busy_time_refuse_a_meeting_across_it():
    h = host(1, (at(0, 9), at(0, 11)), (at(0, 12), at(0, 15)))
    p = problem([act(1, 240, hosts=(1,))], hosts=[h])
    assert rules(p, [Placement(1, 0, at(0, 10))]) == {"host_window"}
    busy = host(1, (at(0, 9), at(0, 15)), busy=[(at(0, 13), at(0, 13) + 30)])
    p = problem([act(1, 60, hosts=(1,))], hosts=[busy])
    assert rules(p, [Placement(1, 0, at(0, 12) + 45)]) == {"host_window"}
    assert rules(p, [Placement(1, 0, at(0, 12))]) == set()


# ---- travel: the quickest route, one timeline across days ------------------------------------
def test_travel_too_short_for_the_shorter_path_via_a_third_venue():
    # Direct 1 -> 2 is 100 minutes, via venue 3 it is 10 + 10.
    travel = {(1, 2): 100, (1, 3): 10, (2, 3): 10, (1, 4): 50, (2, 4): 50, (3, 4): 50}
    p = problem([act(1, 60, venue=1), act(2, 60, venue=2)], travel=travel)
    short = [Placement(1, 0, at(0, 10)), Placement(2, 0, at(0, 11) + 15)]
    assert found(p, short) == [("group_travel", {"travel": 20, "gap": 15})]
    assert rules(p, [short[0], Placement(2, 0, at(0, 11) + 20)]) == set()


def test_travel_given_one_way_counts_both_ways():
    p = problem([act(1, 60, venue=2), act(2, 60, venue=1)], travel={(1, 2): 30})
    back = [Placement(1, 0, at(0, 10)), Placement(2, 0, at(0, 11) + 10)]
    assert found(p, back) == [("group_travel", {"travel": 30, "gap": 10})]


NIGHT = (Day(0, at(0, 18), at(1, 0)), Day(1, at(1, 0), at(1, 6)))


def test_travel_across_midnight_between_two_days_is_refused():
    p = problem([act(1, 60, venue=1), act(2, 60, venue=2)], days=NIGHT)
    across = [Placement(1, 0, at(0, 23)), Placement(2, 1, at(1, 0) + 10)]
    assert found(p, across) == [("group_travel", {"travel": 30, "gap": 10})]
    assert rules(p, [across[0], Placement(2, 1, at(1, 0) + 30)]) == set()


def test_overlap_across_overlapping_days_is_refused_for_hosts_groups_and_rooms():
    # Overlapping days are a data error before solving; a result on them still cannot put
    # anyone in two places at once.
    days = (Day(0, at(0, 9), at(0, 20)), Day(1, at(0, 18), at(1, 2)))
    h = host(1, (at(0, 9), at(1, 2)))
    p = problem([act(1, 120, hosts=(1,)), act(2, 120, hosts=(1,))], days=days, hosts=[h])
    p = dataclasses.replace(
        p, venues=tuple(dataclasses.replace(v, exclusive=True) for v in p.venues)
    )
    both = [Placement(1, 0, at(0, 18)), Placement(2, 1, at(0, 19))]
    assert rules(p, both) == {"host_overlap", "group_travel", "venue_overlap"}


def test_interpreter_overlap_across_midnight_is_refused():
    p = problem(
        [act(k, 40, venue=k, languages=("fr",)) for k in (1, 2)],
        days=NIGHT,
        groups=[group(1, ("en",))],
        interpreters=[interp(1, ("fr", "en"))],
    )
    pls = [Placement(1, 0, at(0, 23) + 20), Placement(2, 1, at(1, 0) + 10)]
    asgs = [Assignment(k, 1, ("fr", "en")) for k in (1, 2)]
    assert rules(p, pls, asgs) == {"group_travel", "interpreter_overlap"}


def test_lunch_blocked_by_an_activity_of_the_other_day_label():
    # Day 1 starts during day 0's lunch window (overlapping days): its activity still
    # takes the group's lunch.
    days = (
        Day(0, at(0, 9), at(0, 13), at(0, 12), at(0, 13), 60),
        Day(1, at(0, 12), at(0, 20)),
    )
    p = problem([act(1, 60)], days=days)
    assert rules(p, [Placement(1, 1, at(0, 12))]) == {"lunch"}
    assert rules(p, [Placement(1, 1, at(0, 13))]) == set()


# ---- interpretation ------------------------------------------------------------------------
def _liaison(*acts, daily_limit=60, **kw):
    return problem(
        list(acts),
        lunch=True,
        groups=[group(1, ("en",))],
        interpreters=[interp(1, ("fr", "en"), daily_cap=360)],
        interpretation=interpretation("liaison", {"daily_limit": daily_limit}),
        **kw,
    )


def test_interpreter_over_the_policys_daily_limit_is_refused():
    p = _liaison(act(1, 90))
    r = found(p, [Placement(1, 0, at(0, 9))], [Assignment(1, 1, ("fr", "en"))])
    assert r == [("daily_cap", {"minutes": 90, "cap": 60})]


def test_meal_lunch_is_not_interpreted_time_unless_a_working_lunch():
    meal = act(1, 120, meal=True)
    asg = [Assignment(1, 1, ("fr", "en"))]
    assert rules(_liaison(meal), [Placement(1, 0, at(0, 12))], asg) == set()
    working = dataclasses.replace(meal, working_lunch=True)
    assert rules(_liaison(working), [Placement(1, 0, at(0, 12))], asg) == {"daily_cap"}


def test_rest_after_a_long_stint_is_required():
    p = _liaison(act(1, 90), act(2, 30), daily_limit=360)
    asg = [Assignment(k, 1, ("fr", "en")) for k in (1, 2)]
    tight = [Placement(1, 0, at(0, 9)), Placement(2, 0, at(0, 10) + 30 + 10)]
    assert found(p, tight, asg) == [("interpreter_rest", {"rest": 30, "gap": 10})]
    assert rules(p, [tight[0], Placement(2, 0, at(0, 11))], asg) == set()


def test_team_strength_under_conference_and_liaison():
    conference = problem(
        [act(1, 90)],
        groups=[group(1, ("en",))],
        interpreters=[interp(1, ("fr", "en")), interp(2, ("fr", "en"))],
    )
    one = [Assignment(1, 1, ("fr", "en"))]
    pl = [Placement(1, 0, at(0, 10))]
    assert rules(conference, pl, one) == {"team_strength"}
    assert rules(conference, pl, [*one, Assignment(1, 2, ("fr", "en"))]) == set()
    liaison = dataclasses.replace(conference, interpretation=interpretation("liaison"))
    assert rules(liaison, pl, one) == set()


def test_need_follows_the_stated_choice_and_a_wrong_choice_is_refused():
    g = dataclasses.replace(group(1, ()), members=(Member(("fr", "en"), 2, "en"),))
    p = problem(
        [act(1, 30, languages=("fr", "de"))], groups=[g], interpreters=[interp(1, ("de", "en"))]
    )
    pl = [Placement(1, 0, at(0, 10))]
    french = LanguageChoice(1, "fr", ((1, "fr", 2),))
    assert rules(p, pl, choices=[french]) == set()
    german = LanguageChoice(1, "de", ((1, "en", 2),))
    assert found(p, pl, choices=[german]) == [
        ("interpretation", {"kind": "into", "language": "en"}),
        ("team_strength", {"team": 1, "mode": "consecutive", "duration": 30}),
    ]
    assert rules(p, pl, [Assignment(1, 1, ("de", "en"))], [german]) == set()
    # Members who do not follow German listen in it: refused, nothing rendered to miss.
    assert rules(p, pl, choices=[LanguageChoice(1, "de", ((1, "de", 2),))]) == {"language_choice"}
    assert rules(p, pl, choices=[LanguageChoice(1, "fr", ((1, "fr", 1),))]) == {"language_choice"}


# ---- a bug in the preparation no longer hides behind the validator ---------------------------
def test_programme_planned_with_broken_shortest_paths_is_refused(monkeypatch):
    # The preparation forgets the travel matrix: the solver packs two venues back to back.
    monkeypatch.setattr(prepare, "_shortest_paths", lambda vs, items: {})
    p = problem([act(1, 120, venue=1, latest=at(0, 11)), act(2, 120, venue=2, earliest=at(0, 11))])
    r = solve_programme(p, dataclasses.replace(PARAMS, explain=False))
    assert r.status == "optimal"
    assert [(v.rule, v.params) for v in validate(p, r)] == [
        ("group_travel", {"travel": 30, "gap": 0})
    ]


@pytest.mark.parametrize("slack", [0, 60])
def test_programme_planned_with_windows_merged_across_a_gap_is_refused(monkeypatch, slack):
    real = prepare.merge_windows

    def merge_across_gaps(windows):
        # The bug: windows up to an hour apart merged as if they touched.
        ws = sorted(windows, key=lambda w: w.start)
        return real(Window(w.start, w.end + slack, w.preferred) for w in ws)

    monkeypatch.setattr(prepare, "merge_windows", merge_across_gaps)
    h = host(1, (at(0, 9), at(0, 11)), (at(0, 12), at(0, 15)))
    p = problem([act(1, 240, hosts=(1,))], hosts=[h])
    r = solve_programme(p, dataclasses.replace(PARAMS, explain=False))
    if slack:
        assert r.status == "optimal"
        assert {v.rule for v in validate(p, r)} == {"host_window"}
    else:
        assert r.status == "infeasible"


def test_listening_rows_that_no_seating_of_the_members_fills_are_refused():
    # One member follows French or English, two follow German only: rows of one French, one
    # English and one German listener count right per language but seat a German-only
    # member in French or English (languages.listening_error, shared with is_valid_choice).
    g = dataclasses.replace(group(1, ()), members=(Member(("fr", "en"), 1), Member(("de",), 2)))
    p = problem([act(1, 30, languages=("fr",))], groups=[g])
    pl = [Placement(1, 0, at(0, 10))]
    unseatable = LanguageChoice(1, "fr", ((1, "de", 1), (1, "en", 1), (1, "fr", 1)))
    assert found(p, pl, choices=[unseatable])[0] == (
        "language_choice",
        {"reason": "listening", "spoken": "fr"},
    )
    seated = LanguageChoice(1, "fr", ((1, "de", 2), (1, "fr", 1)))
    assert "language_choice" not in rules(p, pl, choices=[seated])
