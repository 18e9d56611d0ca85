"""The solver package stays free of Django; the JSON format and the command line."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

from scheduling.solver import Placement, solve_programme, validate
from scheduling.solver.__main__ import main
from scheduling.solver.io import (
    ProblemFormatError,
    json_schema,
    problem_from_dict,
    problem_to_dict,
    result_from_dict,
    result_to_dict,
)

from .factories import PARAMS, act, group, host, interp, problem

ROOT = Path(__file__).resolve().parents[3]


def test_import_solver_does_not_import_django():
    code = "import sys, scheduling.solver; print('django' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def _sample():
    return problem(
        [act(1, 90, hosts=(1,), languages=("fr",)), act(2, 60, venue=2, mandatory=False, value=3)],
        hosts=[host(1, (600, 800, True))],
        groups=[group(1, ("en", "fr"), lodging=3)],
        interpreters=[interp(1, ("fr", "en")), interp(2, ("fr", "en"))],
    )


def test_problem_round_trips_through_json():
    p = _sample()
    assert problem_from_dict(json.loads(json.dumps(problem_to_dict(p)))) == p


def test_problem_round_trips_lodging_by_day_through_json():
    p = dataclasses.replace(_sample(), groups=(group(1, ("en", "fr"), lodging=3, by_day=[(0, 4)]),))
    d = json.loads(json.dumps(problem_to_dict(p)))
    assert d["groups"][0]["lodging_by_day"] == [[0, 4]]
    assert problem_from_dict(d) == p


def test_problem_from_dict_names_path_of_bad_lodging_pair():
    d = problem_to_dict(_sample())
    d["groups"][0]["lodging_by_day"] = [[0, "Sarrant"]]
    try:
        problem_from_dict(d)
    except ProblemFormatError as e:
        assert (e.path, e.reason) == (
            "$.groups[0].lodging_by_day[0][1]",
            "expected an integer, got str",
        )
    else:
        raise AssertionError("no error")


def test_result_round_trips_through_json():
    r = solve_programme(_sample(), PARAMS)
    back = result_from_dict(json.loads(json.dumps(result_to_dict(r))))
    assert back.placements == r.placements
    assert back.assignments == r.assignments
    assert back.terms == r.terms


def test_problem_from_dict_names_path_and_reason():
    d = problem_to_dict(_sample())
    d["activities"][1]["duration"] = "2h"
    try:
        problem_from_dict(d)
    except ProblemFormatError as e:
        assert (e.path, e.reason) == ("$.activities[1].duration", "expected an integer, got str")
    else:
        raise AssertionError("no error")


def test_problem_from_dict_rejects_unknown_field():
    d = problem_to_dict(_sample())
    d["hosts"][0]["windows"][0]["prefered"] = True
    try:
        problem_from_dict(d)
    except ProblemFormatError as e:
        assert (e.path, e.reason) == ("$.hosts[0].windows[0].prefered", "unknown field")
    else:
        raise AssertionError("no error")


def test_schema_file_matches_the_field_table():
    on_disk = json.loads((ROOT / "docs" / "problem.schema.json").read_text())
    assert on_disk == json_schema()


def test_cli_solve_and_check(tmp_path, capsys):
    pf = tmp_path / "p.json"
    pf.write_text(json.dumps(problem_to_dict(_sample())))
    assert main(["solve", str(pf), "--time-limit", "5", "--seed", "1"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "optimal"
    rf = tmp_path / "r.json"
    rf.write_text(json.dumps(result))
    assert main(["check", str(pf), str(rf)]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["solve", str(pf), "--previous", str(rf)]) == 0
    assert json.loads(capsys.readouterr().out)["moved"] == []


def test_cli_check_reports_violation(tmp_path, capsys):
    pf = tmp_path / "p.json"
    pf.write_text(json.dumps(problem_to_dict(_sample())))
    rf = tmp_path / "r.json"
    rf.write_text(json.dumps({"placements": [{"activity": 1, "day": 0, "start": 540}]}))
    assert main(["check", str(pf), str(rf)]) == 1
    rules = [v["rule"] for v in json.loads(capsys.readouterr().out)]
    assert rules == ["host_window", "group_travel", "interpretation", "team_strength"]


def test_cli_bad_file_exits_2_with_path_and_no_traceback(tmp_path):
    pf = tmp_path / "p.json"
    d = problem_to_dict(_sample())
    del d["activities"][0]["venue"]
    pf.write_text(json.dumps(d))
    out = subprocess.run(
        [sys.executable, "-m", "scheduling.solver", "solve", str(pf)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr == f"error: {pf}: $.activities[0].venue: required field is missing\n"


def test_cli_not_json_exits_2(tmp_path):
    pf = tmp_path / "p.json"
    pf.write_text("{nope")
    out = subprocess.run(
        [sys.executable, "-m", "scheduling.solver", "check", str(pf), str(pf)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr.startswith(f"error: {pf}: not JSON")
    assert "Traceback" not in out.stderr


def test_aude_instance_solves_to_a_valid_programme():
    p = problem_from_dict(
        json.loads((ROOT / "benchmarks/solver/instances/aude-2009.json").read_text())
    )
    r = solve_programme(p, PARAMS)
    assert r.status == "optimal"
    assert validate(p, r) == []
    assert len(r.placements) == 20
    assert {a.id for a in p.activities if a.mandatory} <= {pl.activity for pl in r.placements}


def test_previous_placement_of_deleted_activity_is_ignored():
    p = dataclasses.replace(_sample(), previous=(Placement(99, 0, 600),))
    r = solve_programme(p, PARAMS)
    assert r.status == "optimal"
    assert r.moved == ()
