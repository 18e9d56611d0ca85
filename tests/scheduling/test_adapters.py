import ast
import datetime as dt
from pathlib import Path

from scheduling import hints as hints_module
from scheduling.adapters import Clock, problem_from_visit
from scheduling.attendance import SOLVER_WHOLE_OFFSET as WHOLE_DELEGATION_OFFSET
from scheduling.hints import SolverHints, visit_hints
from scheduling.import_problem import visit_from_problem
from scheduling.solver import Params, solve_programme
from scheduling.solver.io import problem_to_dict

DETERMINISTIC = Params(time_limit_s=20, deterministic=True, seed=1, workers=2)


def _windows(x: dict) -> tuple:
    return tuple((w["start"], w["end"], w["preferred"]) for w in x["windows"]) + tuple(
        map(tuple, x["busy"])
    )


def _by_name(d: dict) -> dict:
    """A problem dict with ids replaced by names, to compare two imports of the same data."""
    names = {
        kind: {x["id"]: x.get("name") or x["id"] for x in d[kind]}
        for kind in ("venues", "hosts", "groups", "activities", "interpreters")
    }
    hosts = {h["id"]: h for h in d["hosts"]}
    return {
        "days": d["days"],
        "activities": sorted(
            (
                a["name"],
                a["duration"],
                names["venues"][a["venue"]],
                tuple(sorted(_windows(hosts[h]) for h in a["hosts"])),
                tuple(a["languages"]),
                a["mandatory"],
                a["value"],
                a["fixed_start"],
                a["interpretation_mode"],
                a["two_way"],
            )
            for a in d["activities"]
        ),
        "travel": sorted(
            (names["venues"][t["from"]], names["venues"][t["to"]], t["minutes"])
            for t in d["travel"]
        ),
        "groups": sorted((tuple(g["languages"]), g["size"]) for g in d["groups"]),
        "interpreters": sorted(
            (tuple(map(tuple, i["directions"])), tuple(i["modes"]), i["daily_cap"], _windows(i))
            for i in d["interpreters"]
        ),
        "precedences": sorted(
            (names["activities"][p["before"]], names["activities"][p["after"]], p["min_gap"])
            for p in d["precedences"]
        ),
    }


def test_clock_keeps_wall_time_across_daylight_saving(aude):
    clock = Clock.for_visit(aude)
    # 2009-03-29: clocks went forward in Paris; a visit starting the day before still sees
    # 09:00 on the 29th as minute 1440 + 540.
    clock.origin = dt.datetime(2009, 3, 28)
    nine = dt.datetime(2009, 3, 29, 7, 0, tzinfo=dt.UTC)  # 09:00 CEST
    assert clock.minutes(nine) == 1440 + 540
    assert clock.instant(1440 + 540) == nine


def test_problem_round_trips_through_a_visit(aude):
    exported = problem_to_dict(problem_from_visit(aude).problem)
    imported = visit_from_problem(problem_from_visit(aude).problem, owner=aude.owner, title="Copy")
    again = problem_to_dict(problem_from_visit(imported).problem)
    assert _by_name(again) == _by_name(exported)


def test_round_tripped_visit_solves_to_the_same_objective(aude):
    original = problem_from_visit(aude).problem
    copy = problem_from_visit(visit_from_problem(original, owner=aude.owner, title="Copy")).problem
    first, second = solve_programme(original, DETERMINISTIC), solve_programme(copy, DETERMINISTIC)
    assert (first.status, second.status) == ("optimal", "optimal")
    assert first.objective == second.objective


def test_problem_takes_the_hints_it_is_given(aude):
    """The logistics' hints are an argument: given ones replace the registered provider's."""
    first = problem_from_visit(aude).problem
    group, venue = first.groups[0].id, first.venues[0].id
    whole = group >= WHOLE_DELEGATION_OFFSET
    key = ("delegation", group - WHOLE_DELEGATION_OFFSET) if whole else ("subgroup", group)
    clock = Clock.for_visit(aude)
    hints = SolverHints(
        lodging={key: {0: venue}}, presence={key: (clock.instant(600), clock.instant(2000))}
    )
    given = problem_from_visit(aude, hints=hints).problem.groups[0]
    assert (given.id, given.presence, given.lodging_by_day) == (group, (600, 2000), ((0, venue),))


def test_without_a_registered_provider_the_problem_has_no_hints(aude, monkeypatch):
    monkeypatch.setattr(hints_module, "_provider", None)
    assert visit_hints(aude) == SolverHints()
    for group in problem_from_visit(aude).problem.groups:
        assert group.lodging_by_day == ()


def test_scheduling_imports_no_logistics():
    """Scheduling is below logistics: the hints come in through ``scheduling.hints``."""
    root = Path(__file__).resolve().parents[2] / "scheduling"
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "logistics"]
    assert found == []
