"""Host rules, each alone on the variables."""

from __future__ import annotations

from scheduling.solver.rules import add_host_overlap, add_host_window

from .factories import act, at, host, problem
from .rulekit import feasible, model


def test_host_window_holds_without_the_domain_cut():
    # The start domains built by prepare lie inside the windows; with day-window domains
    # the rule alone keeps the activity inside them.
    p = problem([act(1, 60, hosts=(1,))], hosts=[host(1, (at(0, 9), at(0, 11)))])
    assert feasible(model(p, add_host_window, loose=True), {1: at(0, 10)})
    assert not feasible(model(p, add_host_window, loose=True), {1: at(0, 10.5)})
    assert not feasible(model(p, add_host_window, loose=True), {1: at(0, 14)})
    assert feasible(model(p, loose=True), {1: at(0, 14)})  # without the rule


def test_host_window_minus_busy_time_and_two_windows():
    h = host(1, (at(0, 9), at(0, 12)), (at(0, 14), at(0, 17)), busy=((at(0, 10), at(0, 11)),))
    p = problem([act(1, 60, hosts=(1,))], hosts=[h])
    assert feasible(model(p, add_host_window, loose=True), {1: at(0, 11)})
    assert feasible(model(p, add_host_window, loose=True), {1: at(0, 15)})
    assert not feasible(model(p, add_host_window, loose=True), {1: at(0, 9.5)})
    assert not feasible(model(p, add_host_window, loose=True), {1: at(0, 13)})


def test_host_without_a_window_long_enough_cannot_host():
    p = problem([act(1, 120, hosts=(1,), mandatory=False)], hosts=[host(1, (at(0, 9), at(0, 10)))])
    assert not feasible(model(p, add_host_window, loose=True), {1: at(0, 9)})
    assert feasible(model(p, add_host_window, loose=True), absent=(1,))


def test_host_overlap():
    p = problem(
        [act(1, 60, hosts=(1,)), act(2, 60, venue=2, hosts=(1,))],
        hosts=[host(1, (at(0, 9), at(0, 18)))],
    )
    assert feasible(model(p, add_host_overlap), {1: at(0, 9), 2: at(0, 10)})
    assert not feasible(model(p, add_host_overlap), {1: at(0, 9), 2: at(0, 9.5)})
