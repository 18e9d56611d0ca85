"""Shortest travel times as a matrix by venue position (issue 18: TOPTW pr10's 289 venues
spent most of the time to the first programme building a dict of 83,521 pairs and sorting
41,000 for a cache key): the same minutes as a plain Floyd-Warshall over dicts."""

from __future__ import annotations

import random

import numpy as np
import pytest

from scheduling.solver import Venue, prepare, shortest_paths
from scheduling.solver.prepare import BIG, Paths, Prepared

from .factories import act, problem


def _reference(travel: dict, venues) -> dict:
    """Floyd-Warshall over a dict, the way `Prepared.dist` was before the matrix."""
    vs = sorted(set(venues) | {v for pair in travel for v in pair})
    d = {
        (u, v): 0 if u == v else travel.get((u, v), travel.get((v, u), BIG)) for u in vs for v in vs
    }
    for k in vs:
        for i in vs:
            for j in vs:
                if d[i, k] + d[k, j] < d[i, j]:
                    d[i, j] = d[i, k] + d[k, j]
    return d


def _travel(n: int, seed: int, top: int = 500) -> dict:
    """Some pairs one way, some both ways with their own minutes, some missing; venue n + 5
    reachable from nowhere."""
    rng = random.Random(seed)
    t = {}
    for u in range(1, n + 1):
        for v in range(u + 1, n + 1):
            r = rng.random()
            if r < 0.3:
                t[u, v] = rng.randint(0, top)
            elif r < 0.5:
                t[v, u] = rng.randint(0, top)
            elif r < 0.7:
                t[u, v], t[v, u] = rng.randint(0, top), rng.randint(0, top)
    t[n + 5, n + 6] = 7
    return t


@pytest.mark.parametrize(
    ("n", "seed", "top"), [(6, 0, 500), (30, 1, 500), (45, 2, 500), (45, 3, BIG)]
)
def test_prepared_travel_is_the_floyd_warshall_of_the_dicts(n, seed, top):
    travel = _travel(n, seed, top)
    used = (1, 2, n, n + 9)  # n + 9: a venue the travel matrix does not name
    used += tuple(range(3, n))  # more than 32 used venues: the matrix's pairs given
    p = problem(
        [act(k, 30, venue=v) for k, v in enumerate(used, 1)],
        venues=[Venue(v, str(v)) for v in range(1, n + 10)],
        travel=travel,
    )
    prepare._shortest_paths.cache_clear()
    prep = Prepared(p)
    ref = _reference(travel, prep.used_venues)
    assert dict(prep.dist) == ref
    assert isinstance(prep.dist, Paths)
    if n > 32:
        assert isinstance(prep.paths.m, np.ndarray) and prep.paths.m.dtype == np.int64
    vs = sorted({u for u, _v in ref})
    for u in vs:
        assert prep.max_travel_from(u) == max(0, *(ref[u, v] for v in vs))
        for v in vs:
            assert prep.t(u, v) == ref[u, v]
    assert prep.t(1, 999) == prep.t(None, 1) == 0
    used = prep.used_venues
    assert prep.missing_travel == [
        (u, v)
        for k, u in enumerate(used)
        for v in used[k + 1 :]
        if (u, v) not in travel and (v, u) not in travel
    ]
    assert max(prep.dist.values()) == max(ref.values())
    assert shortest_paths(travel) == {k: m for k, m in _reference(travel, ()).items() if m < BIG}


def test_the_cache_is_keyed_by_the_travel_matrix_not_its_sorted_pairs():
    travel = _travel(40, 4)
    vs = prepare._venues(travel)
    prepare._shortest_paths.cache_clear()
    first = prepare._shortest_paths(vs, travel)
    assert prepare._shortest_paths(vs, dict(travel)) is first  # an equal matrix: a hit
    travel[1, 2] = travel.get((1, 2), 0) + 1000  # the same dict changed: a miss
    again = prepare._shortest_paths(vs, travel)
    assert again is not first
    assert dict(again) == _reference(travel, ())


def test_travel_given_as_floats_keeps_its_minutes():
    travel = {(u, u + 1): 2.5 for u in range(1, 40)}
    d = dict(prepare._shortest_paths(prepare._venues(travel), travel))
    assert d[1, 3] == 5.0 and d[3, 1] == 5.0
