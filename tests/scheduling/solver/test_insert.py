"""The greedy's programme completed by insertion (insert.py), and complete hints with the
languages chosen (rules/languages.choice_hints)."""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from benchmarks.solver.generate import generate
from scheduling.solver import Params, ProgrammeResult, solve_programme, validate
from scheduling.solver.build import build
from scheduling.solver.greedy import greedy
from scheduling.solver.insert import insert_missing
from scheduling.solver.policy import interpretation
from scheduling.solver.search import hint_result as _hint_result

from .factories import act, at, group, host, interp, problem

PARAMS = Params(time_limit_s=10, explain=False, sequencing="pairwise")


def test_insertion_completes_what_the_greedy_left_out():
    # M-0 since languages are choices: the greedy leaves mandatory activities out.
    p = generate("M", 0)
    partial, status, *_ = greedy(p, PARAMS)
    assert status == "incomplete"
    full = insert_missing(p, PARAMS, partial, time.perf_counter() + 20)
    assert full is not None
    assert validate(p, full) == []
    placed = {pl.activity for pl in full.placements}
    assert {a.id for a in p.activities if a.mandatory} <= placed


def test_insertion_gives_up_when_nothing_can_take_the_activity():
    # Two mandatory two-hour activities with the same host in a two-hour window.
    h = host(1, (at(0, 9), at(0, 11)))
    acts = [act(1, 120, hosts=(1,)), act(2, 120, hosts=(1,))]
    p = problem(acts, hosts=[h])
    partial, status, *_ = greedy(p, PARAMS)
    assert status == "incomplete"
    assert insert_missing(p, PARAMS, partial, time.perf_counter() + 5) is None


def test_a_programme_hinted_with_its_language_choices_is_a_complete_hint():
    # French or English spoken, a group following both: literals for the choice.
    acts = [
        act(1, 60, languages=("fr", "en"), interpretation_mode="consecutive"),
        act(2, 60, languages=("en",), interpretation_mode="consecutive"),
    ]
    p = problem(
        acts,
        groups=[group(1, languages=("fr", "es"))],
        interpreters=(interp(1, ("fr", "es"), ("en", "es"), ("en", "fr")), interp(2, ("en", "fr"))),
        interpretation=interpretation("liaison"),
    )
    r = solve_programme(p, Params(time_limit_s=5, explain=False))
    assert r.status == "optimal"
    assert {c.activity for c in r.languages} == {1, 2}
    ctx = build(p, dataclasses.replace(PARAMS, sequencing="both"))
    _hint_result(ctx, r)
    hinted = set(ctx.m.proto.solution_hint.vars)
    cv = ctx.choices[1]
    lits = [*cv.spoken.values(), *cv.targets.values(), *ctx.covers.values()]
    assert {x.Index() for x in lits} <= hinted
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(ctx.m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_solve_reports_the_completed_programme_as_the_first():
    # Any gap is accepted, so the solve ends with its first programme: the test waits for it
    # (a generous limit) instead of racing a clock on a loaded machine.
    p = generate("M", 1)
    r = solve_programme(p, Params(time_limit_s=120, explain=False, relative_gap=1e9))
    assert r.status in ("feasible", "optimal")
    assert validate(p, r) == []
    assert r.time_to_first_s is not None and r.time_to_first_s <= r.wall_time_s
    assert isinstance(r, ProgrammeResult)


def test_what_the_construction_left_out_goes_in_one_day_or_two_at_a_time():
    # M-0: the construction without its ejections leaves four mandatory activities out;
    # each goes in as a re-plan of its day (or two, or three) as a problem of its own.
    from scheduling.solver.construct import construct
    from scheduling.solver.insert import insert_on_days, left_out
    from scheduling.solver.prepare import Prepared

    p = generate("M", 0)
    params = Params(time_limit_s=10, explain=False, deterministic=True)
    prep = Prepared(p, params)
    partial, missing = construct(prep, complete_s=0.0)
    assert len(missing) >= 3 and left_out(p, partial) == sorted(missing)
    full = insert_on_days(p, prep, params, partial, time.perf_counter() + 300)
    assert left_out(p, full) == []
    assert validate(p, full) == []


def test_three_days_are_tried_only_when_asked():
    from scheduling.solver.construct import construct
    from scheduling.solver.prepare import Prepared
    from scheduling.solver.repair import day_sets

    p = generate("M", 2)
    partial, missing = construct(Prepared(p, PARAMS), complete_s=0.0)
    # The programme so far as the previous version; one of those left out to place.
    one, later = missing[0], set(missing[1:])
    replan = dataclasses.replace(
        p,
        activities=tuple(a for a in p.activities if a.id not in later),
        precedences=tuple(x for x in p.precedences if not {x.before, x.after} & later),
        previous=partial.placements,
        previous_assignments=partial.assignments,
    )
    prep = Prepared(replan, PARAMS)
    broken, default = day_sets(replan, prep)
    _broken, wide = day_sets(replan, prep, widths=(3,))
    assert broken == {one}
    assert {len(s) for s in default} == {1, 2} and {len(s) for s in wide} == {3}
    days = set(prep.domains[one])
    assert all(s & days for s in wide) and len(wide) == len(set(wide))


def test_an_activity_for_every_group_goes_in_first(monkeypatch):
    # M-5: the construction leaves out four activities of one group and a meeting of the
    # whole delegation (both groups at once). Inserted last, once the others had taken the
    # days' free hours, the meeting needed three-day sets (9 s); first, one day.
    from scheduling.solver import insert
    from scheduling.solver.construct import construct
    from scheduling.solver.prepare import Prepared

    p = generate("M", 5)
    prep = Prepared(p, PARAMS)
    partial, missing = construct(prep)
    tried = []

    def record(sub, _prep, _params, _deadline, **_kw):
        placed = {pl.activity for pl in sub.previous}
        tried.extend(a.id for a in sub.activities if a.mandatory and a.id not in placed)
        return None  # nothing placed: each is tried in turn

    monkeypatch.setattr(insert, "repair_on_days", record)
    insert.insert_on_days(p, prep, PARAMS, partial, time.perf_counter() + 60)
    tried = list(dict.fromkeys(tried))  # the first try of each (a restart tries them again)
    width = [len(prep.groups_of(prep.act[a])) for a in tried[: len(missing)]]
    assert sorted(tried[: len(missing)]) == sorted(missing)
    assert width == sorted(width, reverse=True) and width[0] == len(p.groups) > width[-1]
    # Among those of as many groups: the fewest possible days first.
    days = [len(prep.domains[a]) for a, w in zip(tried, width, strict=False) if w == 1]
    assert days == sorted(days)


def test_the_first_with_no_place_on_one_or_two_days_goes_first(monkeypatch):
    # M-5: activity 54, third, found no place on one or two days once the two before it
    # were in (nor on three, and the first programme missed the limit); first, it went in
    # on its day in 0.2 s. Here the third fails while another left-out is placed.
    from scheduling.solver import insert
    from scheduling.solver.construct import construct
    from scheduling.solver.model import Placement
    from scheduling.solver.prepare import Prepared

    p = generate("M", 5)
    prep = Prepared(p, PARAMS)
    partial, missing = construct(prep)
    order = insert.insertion_order(prep, missing)
    stuck = order[2]
    calls = []

    def fake(sub, _prep, _params, _deadline, widths=(1, 2), **_kw):
        placed = {pl.activity for pl in sub.previous}
        aid = next(a.id for a in sub.activities if a.mandatory and a.id not in placed)
        calls.append((aid, widths))
        if aid == stuck and placed & set(missing):
            return None  # no room once others are in
        day, ranges = next(iter(prep.domains[aid].items()))
        at = Placement(aid, day, ranges[0][0])
        return ProgrammeResult("feasible", placements=(*sub.previous, at))

    monkeypatch.setattr(insert, "repair_on_days", fake)
    insert.insert_on_days(p, prep, PARAMS, partial, time.perf_counter() + 60)
    assert calls[:3] == [(a, (1, 2)) for a in order[:3]]
    # Then from the start again, the stuck one first: every one in on one or two days.
    rest = [stuck, *(a for a in order if a != stuck)]
    assert calls[3:] == [(a, (1, 2)) for a in rest]


def test_a_first_programme_out_of_time_names_what_found_no_place(monkeypatch):
    # Generated M-23: the insertion left one activity of 60 out and CP-SAT's own search
    # found no programme by the limit (its first one came after 14 s). The answer names
    # that activity (the organiser can act on it), not the visit's size. Here the stages
    # are made to fail as they did there.
    from scheduling.solver import SolveStatus, solve
    from scheduling.solver.construct import construct

    h = host(1, (at(0, 9), at(0, 17)))
    p = problem([act(1, 60, hosts=(1,)), act(2, 60, hosts=(1,)), act(3, 60)], hosts=[h])

    def without_2(*a, **k):
        done, _missing = construct(*a, **k)
        kept = tuple(pl for pl in done.placements if pl.activity != 2)
        return dataclasses.replace(done, placements=kept), [2]

    def nothing_found(run, _name, _params, ctx):
        run.failed = (ctx, SolveStatus.UNKNOWN)
        return False

    monkeypatch.setattr(solve, "construct", without_2)
    monkeypatch.setattr(solve, "insert_on_days", lambda _p, _prep, _params, partial, _end: partial)
    monkeypatch.setattr(solve, "insert_missing", lambda *a, **k: None)
    monkeypatch.setattr(solve, "_solve_pass", nothing_found)
    r = solve_programme(p, PARAMS)
    assert r.status == SolveStatus.UNKNOWN
    (c,) = r.conflicts
    assert (c.rule, c.entities, c.params["first"]) == ("time_limit", {"activity": [2]}, True)
