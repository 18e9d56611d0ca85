"""The rules of one activity's time and of orderings, each alone on the variables."""

from __future__ import annotations

from scheduling.solver.model import Placement, Precedence
from scheduling.solver.rules import (
    add_day_window,
    add_fixed_start,
    add_locked,
    add_mandatory,
    add_phase,
    add_precedence,
    add_time_window,
)

from .factories import act, at, problem
from .rulekit import feasible, model


def test_day_window_holds_whatever_the_start_domain():
    # A domain that runs past the end of the day: the rule keeps the activity inside it.
    p = problem([act(1, 60)])
    d = p.days[0]
    wide = {1: {d.id: [(d.start, d.end)]}}
    assert feasible(model(p, add_day_window, domains=wide), {1: d.end - 60})
    assert not feasible(model(p, add_day_window, domains=wide), {1: d.end - 30})
    assert feasible(model(p, domains=wide), {1: d.end - 30})  # without the rule


def test_time_window_holds_without_the_domain_cut():
    p = problem([act(1, 60, earliest=at(0, 10), latest=at(0, 12))])
    assert feasible(model(p, add_time_window, loose=True), {1: at(0, 11)})
    assert not feasible(model(p, add_time_window, loose=True), {1: at(0, 9)})
    assert not feasible(model(p, add_time_window, loose=True), {1: at(0, 11.5)})


def test_mandatory_must_be_placed_optional_need_not():
    p = problem([act(1, 60), act(2, 60, mandatory=False, value=5)])
    assert not feasible(model(p, add_mandatory), absent=(1,))
    assert feasible(model(p, add_mandatory), absent=(2,))


def test_fixed_start_holds_without_the_domain_cut():
    p = problem([act(1, 60, fixed_start=at(0, 10))])
    assert feasible(model(p, add_fixed_start, loose=True), {1: at(0, 10)})
    assert not feasible(model(p, add_fixed_start, loose=True), {1: at(0, 11)})


def test_locked_keeps_its_previous_start_and_its_place():
    p = problem([act(1, 60)], previous=(Placement(1, 0, at(0, 10)),), locked=frozenset({1}))
    assert feasible(model(p, add_locked, loose=True), {1: at(0, 10)})
    assert not feasible(model(p, add_locked, loose=True), {1: at(0, 11)})
    assert not feasible(model(p, add_locked, loose=True), absent=(1,))


def test_phase_orders_a_groups_activities():
    p = problem([act(1, 60, phase=1), act(2, 60, phase=2)])
    assert feasible(model(p, add_phase), {1: at(0, 9), 2: at(0, 10)})
    assert not feasible(model(p, add_phase), {1: at(0, 10), 2: at(0, 9)})


def test_precedence_with_its_gap():
    p = problem([act(1, 60), act(2, 60)], precedences=(Precedence(1, 2, 30),))
    assert feasible(model(p, add_precedence), {1: at(0, 9), 2: at(0, 10.5)})
    assert not feasible(model(p, add_precedence), {1: at(0, 9), 2: at(0, 10)})
    assert feasible(model(p, add_precedence), {2: at(0, 9)}, absent=(1,))  # only if both
