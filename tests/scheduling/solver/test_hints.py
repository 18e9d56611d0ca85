"""A pass's hint made complete (search.solve_fixed + hint_solution): the first programme
names starts, days and interpreters, not the pass's other variables (order literals, lunch
breaks, the terms' variables), and CP-SAT did not always complete them (M-2's main pass,
hinted with its complete first programme, found no solution in 4 s)."""

from __future__ import annotations

import dataclasses

from benchmarks.solver.generate import generate
from scheduling.solver import Params, validate
from scheduling.solver.build import build
from scheduling.solver.construct import construct
from scheduling.solver.prepare import Prepared
from scheduling.solver.report import programme_of
from scheduling.solver.search import hint_result, hint_solution, solve_fixed

# The lexicographic main pass: pairwise order literals, travel left out.
MAIN = Params(time_limit_s=5, deterministic=True, sequencing="pairwise")


def _hinted(m) -> set[int]:
    return set(m.proto.solution_hint.vars)


def test_the_first_programme_becomes_a_complete_hint():
    p = generate("S", 0)
    main = dataclasses.replace(MAIN, weights=dataclasses.replace(MAIN.weights, travel=0))
    prep = Prepared(p, main)
    first, missing = construct(prep, main.weights)
    assert not missing and validate(p, first) == []
    ctx = build(p, main, prep)
    everything = set(range(len(ctx.m.proto.variables)))
    hint_result(ctx, first)
    assert _hinted(ctx.m) < everything  # the order literals, lunch breaks... are not named
    solver = solve_fixed(ctx, first, main, 5.0)
    assert solver is not None
    hint_solution(ctx.m, solver)
    assert _hinted(ctx.m) == everything
    same = programme_of(ctx, solver)
    assert {(pl.activity, pl.start) for pl in same.placements} == {
        (pl.activity, pl.start) for pl in first.placements
    }


def test_the_main_pass_starts_from_it(monkeypatch):
    from scheduling.solver import solve

    seen = []
    solve_pass = solve._solve_pass

    def spy(run, name, pass_params, ctx):
        seen.append((name, _hinted(ctx.m) == set(range(len(ctx.m.proto.variables)))))
        return solve_pass(run, name, pass_params, ctx)

    monkeypatch.setattr(solve, "_solve_pass", spy)
    result = solve.solve_programme(generate("S", 0), Params(time_limit_s=2, deterministic=True))
    assert result.placements
    assert seen[0] == ("main", True)
