"""The solver at scale (issue 18): pair structures only between activities that can meet,
and one deadline that every stage keeps, answering `unknown` with a reason (or the best
programme so far) instead of a traceback. No wall-clock assertions: a limit of 0 and a
monkeypatched stage make the stages run out deterministically."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from benchmarks.solver.generate import season
from scheduling.solver import Params, SolveStatus, solve_programme
from scheduling.solver.build import build
from scheduling.solver.deadline import Deadline, OutOfTime
from scheduling.solver.prepare import Prepared
from scheduling.solver.rules import interpreters
from scheduling.solver.variables import Ctx, build_variables, reach, sweep_pairs

from . import factories as f

ROOT = Path(__file__).resolve().parents[3]


def _pair_counts(n: int) -> tuple[int, int, int]:
    """(assignment literals, interpreter pairs, group pairs) of the season of `n`
    activities: the pairs the rules state structures for, enumerated without building them
    (a 3,000-activity model's constraints take a quarter of a minute to build in Python)."""
    p = season(n, 0)
    params = Params(sequencing="pairwise")
    ctx = Ctx(problem=p, params=params, prep=Prepared(p, params), m=cp_model.CpModel())
    build_variables(ctx)
    interpreters.add_interpretation(ctx)
    prep = ctx.prep
    by_interp: dict[int, list[int]] = {}
    for aid, iid in ctx.assigned:
        by_interp.setdefault(iid, []).append(aid)

    def gap(a):
        return prep.max_travel_from(prep.act[a].venue)

    interp_pairs = sum(
        sum(1 for _ in interpreters.meeting_pairs(ctx, aids, gap)) for aids in by_interp.values()
    )
    group_pairs = 0
    for aids in prep.acts_by_group.values():
        for d in p.days:
            items = [
                (*reach(ctx, a, ctx.ranges[a][d.id], gap(a)), a)
                for a in aids
                if d.id in ctx.ranges[a]
            ]
            group_pairs += sum(1 for _ in sweep_pairs(items))
    return len(ctx.assigned), interp_pairs, group_pairs


def test_pair_structures_grow_linearly_with_the_activities():
    """750 -> 3,000 activities (x4): quadratic structures would grow x16 (before issue 18:
    assignment literals 2,658 -> 43,450, every interpreter paired with every activity of its
    languages). Here each grows about x4 at most, and stays below a fixed number per
    activity."""
    small, large = _pair_counts(750), _pair_counts(3000)
    names = ("assignments", "interpreter pairs", "group pairs")
    for what, s, big in zip(names, small, large, strict=True):
        assert big < 6 * s, (what, s, big)
        assert big < 60 * 3000, (what, big)


def test_sweep_pairs_finds_exactly_the_pairs_whose_spans_meet():
    items = [(0, 10, "a"), (5, 20, "b"), (11, 30, "c"), (40, 50, "d"), (50, 60, "e")]
    brute = {
        (x[2], y[2])
        for i, x in enumerate(sorted(items))
        for y in sorted(items)[i + 1 :]
        if y[0] <= x[1]
    }
    assert set(sweep_pairs(items)) == brute == {("a", "b"), ("b", "c"), ("d", "e")}


def _travel_problem():
    """Six activities over two days with windows and travel: some pairs meet, some not."""
    acts = [
        f.act(1, 90, venue=1, earliest=f.at(0, 9), latest=f.at(0, 12)),
        f.act(2, 60, venue=2, earliest=f.at(0, 10), latest=f.at(0, 13)),
        f.act(3, 60, venue=4, earliest=f.at(0, 14), latest=f.at(0, 18), mandatory=False, value=5),
        f.act(4, 120, venue=1, earliest=f.at(0, 9), latest=f.at(1, 18), mandatory=False, value=3),
        f.act(5, 60, venue=2, earliest=f.at(1, 9), latest=f.at(1, 11)),
        f.act(6, 90, venue=4, mandatory=False, value=4),
    ]
    return f.problem(acts, days=2, groups=[f.group(1, lodging=3)])


@pytest.mark.parametrize("strategy", ["lexicographic", "weighted"])
def test_same_optimum_as_with_every_pair(monkeypatch, strategy):
    """The sweep leaves out only pairs that need nothing: the optimum is that of the model
    with every pair of the day."""
    p = _travel_problem()
    params = dataclasses.replace(f.PARAMS, strategy=strategy, sequencing="pairwise")
    swept = solve_programme(p, params)

    def every_pair(items):
        items = sorted(items, key=lambda x: (x[0], x[1]))
        for i, x in enumerate(items):
            for y in items[i + 1 :]:
                yield x[2], y[2]

    monkeypatch.setattr("scheduling.solver.rules.groups.sweep_pairs", every_pair)
    monkeypatch.setattr("scheduling.solver.rules.interpreters.sweep_pairs", every_pair)
    full = solve_programme(p, params)
    assert swept.status == full.status
    assert swept.status.has_programme
    assert swept.objective == full.objective
    assert swept.terms == full.terms


def test_model_build_stops_at_the_deadline():
    p = _travel_problem()
    with pytest.raises(OutOfTime) as e:
        build(p, f.PARAMS, deadline=Deadline(0.0, 0.0))  # passed long ago
    assert e.value.stage == "model build"


def test_no_time_at_all_answers_unknown_with_the_stage():
    r = solve_programme(season(300, 0), Params(time_limit_s=0.0))
    assert r.status == SolveStatus.UNKNOWN
    (c,) = r.conflicts
    assert c.rule == "time_limit"
    assert c.params["stage"] == "preparation"
    assert c.params["reason"] == "out of time"


def test_running_out_while_building_keeps_the_best_programme_so_far(monkeypatch):
    """The greedy's complete programme is the answer when the model cannot be built."""
    p = f.problem([f.act(1), f.act(2, venue=2)], groups=[f.group(1, lodging=3)])

    def too_slow(*a, **k):
        raise OutOfTime("model build")

    monkeypatch.setattr("scheduling.solver.solve.build", too_slow)
    r = solve_programme(p, f.PARAMS)
    assert r.status == SolveStatus.FEASIBLE
    assert {pl.activity for pl in r.placements} == {1, 2}


def test_out_of_memory_answers_unknown_with_the_stage(monkeypatch):
    """10,000 activities once ended in a MemoryError traceback from rules/groups.py."""
    p = f.problem([f.act(1), f.act(2, venue=2, fixed_start=f.at(0, 9))])  # no start

    def no_memory(*a, **k):
        raise MemoryError

    monkeypatch.setattr("scheduling.solver.solve.construct", no_memory)
    r = solve_programme(p, f.PARAMS)
    assert r.status == SolveStatus.UNKNOWN
    (c,) = r.conflicts
    assert (c.rule, c.params["stage"], c.params["reason"]) == (
        "time_limit",
        "construction",
        "out of memory",
    )


def test_explanation_gives_up_in_time():
    """An explanation whose model cannot be built in the time left says `unexplained`."""
    from scheduling.solver.explain import explain_infeasibility

    p = _travel_problem()
    params = dataclasses.replace(f.PARAMS, time_limit_s=0.0, explain_time_limit_s=0.0)
    out = explain_infeasibility(p, params, deadline=Deadline(0.0, 0.0))
    assert [c.rule for c in out] == ["unexplained"]


def test_cli_too_large_for_the_limit_answers_without_a_traceback(tmp_path):
    """A season of 1,000 activities with a limit far too small: the documented exit code
    (1: no programme) and `unknown` with its reason, or 0 with a programme; never a
    traceback."""
    from scheduling.solver.io import problem_to_dict

    path = tmp_path / "season.json"
    path.write_text(json.dumps(problem_to_dict(season(1000, 0))))
    out = subprocess.run(
        [sys.executable, "-m", "scheduling.solver", "solve", str(path), "--time-limit", "0.2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in out.stderr
    r = json.loads(out.stdout)
    if r["status"] == "unknown":
        assert out.returncode == 1
        assert r["conflicts"][0]["rule"] == "time_limit"
        assert r["conflicts"][0]["params"]["stage"]
    else:
        assert (out.returncode, r["status"]) == (0, "feasible")


def test_no_pass_starts_when_its_build_took_the_time_left(monkeypatch):
    """XL 1,000 at 5 s: the main pass's model was built at 4.3 s; CP-SAT, given its 0.05 s
    minimum, stopped 0.4 s later and the solve at 5.47 s. When the build leaves less than a
    tenth of the limit, the first programme is the answer, with no pass and no hint
    completion (each starts a CP-SAT solve that cannot stop sooner on a large model)."""
    from scheduling.solver import solve

    p = f.problem([f.act(1), f.act(2, venue=2)], groups=[f.group(1, lodging=3)])
    solved = []
    # Time enough before the build (the guard before it reads the clock), none after it.
    monkeypatch.setattr(solve, "_search_left", lambda _run: 0.0)
    monkeypatch.setattr(solve, "_solve_pass", lambda *a: solved.append(a) or False)
    monkeypatch.setattr(solve, "solve_fixed", lambda *a: solved.append(a))
    r = solve_programme(p, Params(time_limit_s=10.0))
    assert solved == []
    assert r.status == SolveStatus.FEASIBLE
    assert {pl.activity for pl in r.placements} == {1, 2}
