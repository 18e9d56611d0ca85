"""Cliques (rules/cliques.py): one at-most-one per maximal set of activities that would hold
one resource at a common minute, counted on small instances."""

from __future__ import annotations

from scheduling.solver import Params
from scheduling.solver.build import build
from scheduling.solver.rules.cliques import maximal_cliques, start_points

from .factories import act, at, group, host, interp, problem

QUIET = Params(explain=False)


def at_most_ones(ctx) -> int:
    return sum(1 for c in ctx.m.proto.constraints if len(c.at_most_one.literals) > 0)


def test_maximal_cliques_of_intervals():
    items = [(0, 60, "a"), (30, 90, "b"), (60, 120, "c"), (200, 260, "d")]
    assert [sorted(c) for c in maximal_cliques(items)] == [["a", "b"], ["b", "c"], ["d"]]
    # Half-open: touching intervals do not meet.
    assert [sorted(c) for c in maximal_cliques([(0, 60, "a"), (60, 90, "b")])] == [["a"], ["b"]]


def test_fixed_starts_of_one_group():
    # 09:00-10:00, 09:30-10:30, 10:20-11:20 (the same venue, no travel): {1, 2}, {2, 3}.
    acts = [
        act(1, 60, 1, fixed_start=at(0, 9), mandatory=False, value=1),
        act(2, 60, 1, fixed_start=at(0, 9.5), mandatory=False, value=1),
        act(3, 60, 1, fixed_start=at(0, 10 + 1 / 3), mandatory=False, value=1),
    ]
    ctx = build(problem(acts), QUIET)
    assert ctx.cliques == 2
    assert at_most_ones(ctx) == 2


def test_a_host_and_blocks():
    # One host, two activities for two groups, the host's windows two hour-long blocks
    # (09:00, 14:00): a start among two values each, so one "starts at" literal per value
    # and one clique per block (the host's), none per group (each has one activity).
    w = ((at(0, 9), at(0, 10)), (at(0, 14), at(0, 15)))
    acts = [
        act(1, 60, 1, hosts=(1,), groups=(1,), mandatory=False, value=1),
        act(2, 60, 1, hosts=(1,), groups=(2,), mandatory=False, value=1),
    ]
    p = problem(acts, groups=[group(1), group(2)], hosts=[host(1, *w)])
    ctx = build(p, QUIET)
    assert start_points(ctx, 1) == [(0, at(0, 9)), (0, at(0, 14))]
    assert ctx.cliques == 2


def test_interpreter_per_block():
    # Three talks in English for a French group, each possible at 09:00 only or 10:00 only;
    # one interpreter: at most one of the two 09:00 talks (and no clique at 10:00, one talk).
    w9, w10 = (at(0, 9), at(0, 10)), (at(0, 10), at(0, 11))
    acts = [
        act(
            k,
            40,
            1,
            hosts=(k,),
            groups=(k,),
            languages=("en",),
            mandatory=False,
            value=k,
            interpretation_mode="simultaneous",
        )
        for k in (1, 2, 3)
    ]
    p = problem(
        acts,
        groups=[group(k) for k in (1, 2, 3)],
        hosts=[host(1, w9), host(2, w9), host(3, w10)],
        interpreters=[interp(1, ("en", "fr"))],
    )
    ctx = build(p, QUIET)
    # Starts on a 5-minute grid inside an hour for 40 minutes: 5 values each; the 09:00
    # talks' ten (talk, start) literals all meet at 09:20-09:40: one clique; the 10:00 one
    # is alone.
    assert len(start_points(ctx, 1)) == 5
    assert ctx.cliques == 1
    assert at_most_ones(ctx) == 1


def test_none_in_explain_mode_or_without_objective():
    acts = [act(1, 60, 1, fixed_start=at(0, 9)), act(2, 60, 1, fixed_start=at(0, 9.5))]
    p = problem(acts)
    assert build(p, Params()).cliques == 1
    assert build(p, Params(), explain=True).cliques == 0
    assert build(p, Params(), objective=False).cliques == 0


def test_wide_ranges_state_nothing():
    # Two hour-long activities free over the whole day: no compulsory part, no clique.
    ctx = build(problem([act(1, 60, 1), act(2, 60, 2)]), QUIET)
    assert ctx.cliques == 0
