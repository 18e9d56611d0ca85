"""Interpreter rules, each alone on the variables and the assignment literals that
add_interpretation creates (the other rules read them)."""

from __future__ import annotations

import dataclasses

from scheduling.solver.model import Window
from scheduling.solver.policy import interpretation
from scheduling.solver.rules import (
    add_daily_cap,
    add_interpretation,
    add_interpreter_overlap,
    add_interpreter_rest,
    add_interpreter_window,
)

from .factories import act, at, group, interp, problem
from .rulekit import feasible, model

FR_EN = ("fr", "en")
EN_GUESTS = [group(1, ("en",))]


def _problem(acts, *interpreters, **kw):
    return problem(acts, groups=EN_GUESTS, interpreters=interpreters, **kw)


def test_interpretation_needs_a_qualified_interpreter():
    qualified = _problem([act(1, 30)], interp(1, FR_EN))
    assert feasible(model(qualified, add_interpretation), {1: at(0, 9)})
    nobody = _problem([act(1, 30)], interp(1, ("fr", "de")))
    assert not feasible(model(nobody, add_interpretation), {1: at(0, 9)})
    assert feasible(model(nobody, add_interpretation), absent=(1,))


def test_interpretation_in_team_strength():
    # Conference policy: a consecutive hour takes two interpreters.
    one = _problem([act(1, 60)], interp(1, FR_EN))
    assert not feasible(model(one, add_interpretation), {1: at(0, 9)})
    two = _problem([act(1, 60)], interp(1, FR_EN), interp(2, FR_EN))
    assert feasible(model(two, add_interpretation), {1: at(0, 9)})


def test_interpreter_window():
    i = interp(1, FR_EN, windows=(Window(at(0, 9), at(0, 11)),))
    p = _problem([act(1, 30)], i)
    assert feasible(model(p, add_interpretation, add_interpreter_window), {1: at(0, 10)})
    assert not feasible(model(p, add_interpretation, add_interpreter_window), {1: at(0, 12)})


def test_interpreter_overlap_and_travel_between_venues():
    p = _problem([act(1, 30, venue=1), act(2, 30, venue=2, groups=())], interp(1, FR_EN))
    rules = (add_interpretation, add_interpreter_overlap)
    assert feasible(model(p, *rules), {1: at(0, 9), 2: at(0, 10)})
    assert not feasible(model(p, *rules), {1: at(0, 9), 2: at(0, 9.25)})
    assert not feasible(model(p, *rules), {1: at(0, 9), 2: at(0, 9.5) + 10})  # 30 min travel


def test_daily_cap():
    acts = [act(1, 30), act(2, 30)]
    capped = _problem(acts, interp(1, FR_EN, daily_cap=45))
    rules = (add_interpretation, add_daily_cap)
    assert not feasible(model(capped, *rules), {1: at(0, 9), 2: at(0, 10)})
    assert feasible(model(capped, *rules), {1: at(0, 9)}, absent=(2,))
    roomy = _problem(acts, interp(1, FR_EN, daily_cap=60))
    assert feasible(model(roomy, *rules), {1: at(0, 9), 2: at(0, 10)})


def test_interpreter_rest_after_a_long_stint():
    rules_ = dataclasses.replace(interpretation("liaison"), long_stint=30, min_break=60)
    p = _problem([act(1, 30), act(2, 30)], interp(1, FR_EN), interpretation=rules_)
    rules = (add_interpretation, add_interpreter_rest)
    assert feasible(model(p, *rules), {1: at(0, 9), 2: at(0, 10.5)})
    assert not feasible(model(p, *rules), {1: at(0, 9), 2: at(0, 10)})
