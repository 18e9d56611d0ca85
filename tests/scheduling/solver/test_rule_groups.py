"""Group and venue rules, each alone on the variables."""

from __future__ import annotations

import dataclasses

import pytest

from scheduling.solver.model import Venue
from scheduling.solver.rules import (
    add_group_travel,
    add_lunch,
    add_place_in_visit,
    add_presence,
    add_venue_overlap,
)

from .factories import PARAMS, VENUES, act, at, group, problem
from .rulekit import feasible, model


@pytest.mark.parametrize("sequencing", ["circuit", "pairwise", "both"])
def test_group_travel_between_venues(sequencing):
    params = dataclasses.replace(PARAMS, sequencing=sequencing)
    p = problem([act(1, 60, venue=1), act(2, 60, venue=2)])  # 30 minutes apart
    assert feasible(model(p, add_group_travel, params=params), {1: at(0, 9), 2: at(0, 10.5)})
    assert not feasible(model(p, add_group_travel, params=params), {1: at(0, 9), 2: at(0, 10)})


def test_group_travel_from_and_to_the_lodging():
    p = problem([act(1, 60, venue=1)], groups=[group(1, lodging=3)])  # hotel: 20 minutes
    assert feasible(model(p, add_group_travel), {1: at(0, 9) + 20})
    assert not feasible(model(p, add_group_travel), {1: at(0, 9)})
    assert not feasible(model(p, add_group_travel), {1: at(0, 17)})


def test_lunch_needs_its_break():
    p = problem([act(1, 60), act(2, 60, venue=1)], lunch=True)  # 12-14, 60 minutes
    assert feasible(model(p, add_lunch), {1: at(0, 12), 2: at(0, 14)})
    assert not feasible(model(p, add_lunch), {1: at(0, 12.5), 2: at(0, 13.5)})


def test_exclusive_venue_holds_one_activity_at_a_time():
    venues = (Venue(1, "room", exclusive=True), *VENUES[1:])
    two_groups = [group(1), group(2)]
    acts = [act(1, 60, groups=(1,)), act(2, 60, groups=(2,))]
    p = problem(acts, groups=two_groups, venues=venues)
    assert feasible(model(p, add_venue_overlap), {1: at(0, 9), 2: at(0, 10)})
    assert not feasible(model(p, add_venue_overlap), {1: at(0, 9), 2: at(0, 9.5)})
    shared = problem(acts, groups=two_groups)
    assert feasible(model(shared, add_venue_overlap), {1: at(0, 9), 2: at(0, 9)})


def test_presence_holds_without_the_domain_cut():
    g = dataclasses.replace(group(1), presence=(at(0, 11), at(0, 16)))
    p = problem([act(1, 60)], groups=[g])
    assert feasible(model(p, add_presence, loose=True), {1: at(0, 11)})
    assert not feasible(model(p, add_presence, loose=True), {1: at(0, 10)})
    assert not feasible(model(p, add_presence, loose=True), {1: at(0, 15.5)})
    assert feasible(model(p, loose=True), {1: at(0, 10)})  # without the rule


def test_place_in_visit_first_and_last():
    acts = [act(1, 60, place_in_visit="first"), act(2, 60), act(3, 60, place_in_visit="last")]
    p = problem(acts)
    ok = {1: at(0, 9), 2: at(0, 10), 3: at(0, 11)}
    assert feasible(model(p, add_place_in_visit), ok)
    assert not feasible(model(p, add_place_in_visit), {1: at(0, 10), 2: at(0, 9), 3: at(0, 11)})
    assert not feasible(model(p, add_place_in_visit), {1: at(0, 9), 2: at(0, 12), 3: at(0, 11)})
