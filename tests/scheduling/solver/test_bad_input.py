"""Bad input (issue 14): the command line and the JSON import refuse it with exit 2 and one
line naming the JSON path, never a traceback; an `invalid` result always says why."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scheduling.solver import Day, solve_programme
from scheduling.solver.__main__ import main
from scheduling.solver.io import ProblemFormatError, problem_from_dict, problem_to_dict

from .factories import PARAMS, act, at, group, problem

ROOT = Path(__file__).resolve().parents[3]


def _sample():
    return problem([act(1, 60), act(2, 60, venue=2)], groups=[group(1, lodging=3)], days=2)


def _refused(tmp_path, capsys, d_or_text, *extra) -> str:
    pf = tmp_path / "p.json"
    if isinstance(d_or_text, bytes):
        pf.write_bytes(d_or_text)
    elif isinstance(d_or_text, str):
        pf.write_text(d_or_text)
    else:
        pf.write_text(json.dumps(d_or_text))
    assert main(["solve", str(pf), "--time-limit", "2", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err.replace(str(pf), "P")


def test_cli_refuses_non_utf8_bytes(tmp_path, capsys):
    err = _refused(tmp_path, capsys, b'{"days": [], "name": "Caf\xe9"}')
    assert err == "error: P: not UTF-8: byte 25 cannot be decoded\n"


def test_cli_refuses_deeply_nested_json(tmp_path, capsys):
    err = _refused(tmp_path, capsys, "[" * 200_000 + "]" * 200_000)
    assert err == "error: P: not JSON this parser can read: nested too deeply\n"


def test_cli_refuses_an_integer_of_thousands_of_digits(tmp_path, capsys):
    d = problem_to_dict(_sample())
    text = json.dumps(d).replace('"value": 0', '"value": ' + "9" * 5000, 1)
    err = _refused(tmp_path, capsys, text)
    assert err.startswith("error: P: not JSON this parser can read: ")


def test_cli_refuses_integer_beyond_32_bits(tmp_path, capsys):
    d = problem_to_dict(_sample())
    d["activities"][0]["value"] = 2**40
    err = _refused(tmp_path, capsys, d)
    assert err == "error: P: $.activities[0].value: 1099511627776 does not fit in 32 bits\n"


def test_cli_refuses_time_beyond_the_horizon(tmp_path, capsys):
    d = problem_to_dict(_sample())
    d["activities"][1]["latest"] = 10**7
    err = _refused(tmp_path, capsys, d)
    assert err.startswith("error: P: $.activities[1].latest: 10000000 minutes is beyond the ")


def test_cli_refuses_a_value_cp_sat_cannot_hold(tmp_path, capsys):
    # A duration of 2**31 - 1 minutes fits 32 bits but not the horizon: its end would not.
    d = problem_to_dict(_sample())
    d["activities"][0]["duration"] = 2**31 - 1
    err = _refused(tmp_path, capsys, d)
    assert err.startswith("error: P: $.activities[0].duration: 2147483647 minutes is beyond")


def test_cli_refuses_a_lunch_window_shorter_than_the_lunch(tmp_path, capsys):
    d = problem_to_dict(_sample())
    d["days"][1].update(lunch_start=at(1, 12), lunch_end=at(1, 12.5), lunch_min=60)
    err = _refused(tmp_path, capsys, d)
    assert err == (
        "error: P: $.days[1].lunch_end: the lunch window is shorter than the lunch (60 minutes)\n"
    )


def test_cli_refuses_overlapping_days(tmp_path, capsys):
    d = problem_to_dict(_sample())
    d["days"][1]["start"] = at(0, 17)
    err = _refused(tmp_path, capsys, d)
    assert err == "error: P: $.days[1].start: day 1 overlaps day 0 (which ends at 1080)\n"


def test_cli_refuses_a_fixed_start_off_the_grid(tmp_path, capsys):
    d = problem_to_dict(_sample())
    d["activities"][0]["fixed_start"] = at(0, 9) + 7
    err = _refused(tmp_path, capsys, d)
    assert err == "error: P: $.activities[0].fixed_start: not on the 5-minute time grid\n"


def test_cli_refuses_lock_of_unknown_activity(tmp_path, capsys):
    rf = tmp_path / "r.json"
    rf.write_text(json.dumps({"placements": [{"activity": 1, "day": 0, "start": 600}]}))
    err = _refused(
        tmp_path, capsys, problem_to_dict(_sample()), "--previous", str(rf), "--lock", "99"
    )
    assert err == "error: --lock: no activity has the id 99\n"


def test_cli_check_refuses_a_malformed_result(tmp_path, capsys):
    pf, rf = tmp_path / "p.json", tmp_path / "r.json"
    pf.write_text(json.dumps(problem_to_dict(_sample())))
    rf.write_text(json.dumps({"conflicts": [{"entities": {}}]}))
    assert main(["check", str(pf), str(rf)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "$.conflicts" in err


def test_cli_deep_nesting_in_a_subprocess_has_no_traceback(tmp_path):
    pf = tmp_path / "p.json"
    pf.write_text('{"days": ' + "[" * 100_000 + "]" * 100_000 + "}")
    out = subprocess.run(
        [sys.executable, "-m", "scheduling.solver", "check", str(pf), str(pf)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert out.stderr == f"error: {pf}: not JSON this parser can read: nested too deeply\n"


def test_time_grid_out_of_range_is_refused():
    d = problem_to_dict(_sample())
    d["time_grid"] = 0
    with pytest.raises(ProblemFormatError) as e:
        problem_from_dict(d)
    assert e.value.path == "$.time_grid"


@pytest.mark.parametrize(
    "bad",
    [
        {"time_grid": 0},
        {"activities": (act(1, value=2**62, mandatory=False),)},
        {"activities": (act(1, earliest=-(2**62)),)},
        {"days": (Day(0, at(0, 9), at(0, 18), at(0, 12), at(0, 12.5), 60),)},
    ],
)
def test_invalid_result_always_says_why(bad):
    import dataclasses

    r = solve_programme(dataclasses.replace(_sample(), **bad), PARAMS)
    assert r.status == "invalid"
    assert r.conflicts and all(c.rule in ("bad_value", "day_overlap") for c in r.conflicts)


def test_cli_time_grid_overrides_the_problems(tmp_path, capsys):
    d = problem_to_dict(_sample())
    d["activities"][0]["earliest"] = at(0, 9) + 7
    pf = tmp_path / "p.json"
    pf.write_text(json.dumps(d))
    assert main(["solve", str(pf), "--time-limit", "2", "--time-grid", "15"]) == 0
    starts = [pl["start"] for pl in json.loads(capsys.readouterr().out)["placements"]]
    assert starts and all(s % 15 == 0 for s in starts)
    assert main(["solve", str(pf), "--time-grid", "0"]) == 2
    assert capsys.readouterr().err.endswith("$.time_grid: expected minutes from 1 to 1440\n")
