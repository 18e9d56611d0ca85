"""The soft-goal terms of any result, computed without CP-SAT (same definitions as
objective.py). Lets the UI score an organiser's manual edit, and the tests check the solver."""

from __future__ import annotations

import itertools

from . import languages
from .model import LanguageChoice, Params, Placement, Problem, ProgrammeResult
from .prepare import Prepared


def _day_sequences(prep: Prepared, placements) -> dict[tuple[int, int], list[Placement]]:
    """(group, day) -> the group's placements that day by start (first placement of each
    known activity)."""
    placed: dict[int, Placement] = {}
    for pl in placements:
        if pl.activity in prep.act:
            placed.setdefault(pl.activity, pl)
    seq: dict[tuple[int, int], list[Placement]] = {}
    for pl in placed.values():
        for gid in prep.groups_of(prep.act[pl.activity]):
            seq.setdefault((gid, pl.day), []).append(pl)
    for v in seq.values():
        v.sort(key=lambda pl: (pl.start, pl.activity))
    return seq


def group_travel_minutes(prep: Prepared, placements) -> int:
    """Total travel of all groups, lodging legs included (the `travel` term)."""
    total = 0
    for (gid, did), pls in _day_sequences(prep, placements).items():
        venues = [prep.act[pl.activity].venue for pl in pls]
        lodge = prep.lodging(gid, did)
        if lodge is not None:
            venues = [lodge, *venues, lodge]
        total += sum(prep.t(u, v) for u, v in itertools.pairwise(venues))
    return total


def result_choices(prep: Prepared, result: ProgrammeResult) -> dict[int, LanguageChoice]:
    """The language choice of each placed activity: the one the result states, else one its
    interpreters' directions serve (a version made before choices), else the best one."""
    placed = dict.fromkeys(pl.activity for pl in result.placements if pl.activity in prep.act)
    by_act: dict[int, set] = {}
    for asg in result.assignments:
        by_act.setdefault(asg.activity, set()).add(tuple(asg.direction))
    stated: dict[int, LanguageChoice] = {}
    for c in result.languages:
        stated.setdefault(c.activity, c)
    out = {}
    for aid in placed:
        a = prep.act[aid]
        choice = stated.get(aid)
        if choice is None and prep.has_choice(a):
            dirs = by_act.get(aid, set())
            choice = languages.choice_from_directions(a, prep.profiles(a), dirs)
        choice = choice or prep.best_choice(a)
        if choice is not None:
            out[aid] = choice
    return out


def score(problem: Problem, result: ProgrammeResult, params: Params | None = None) -> dict:
    params = params or Params()
    prep = Prepared(problem, params)
    placed = {pl.activity: pl for pl in result.placements if pl.activity in prep.act}
    terms = {}
    terms["moves"] = sum(
        1
        for aid, pl in prep.prev.items()
        if aid in prep.act and (aid not in placed or placed[aid].start != pl.start)
    )
    terms["value"] = sum(prep.act[a].value for a in placed if not prep.act[a].mandatory)
    pref = 0
    for aid, pl in placed.items():
        a = prep.act[aid]
        for hid in a.hosts:
            h = prep.host.get(hid)
            if h is None or not any(w.preferred for w in h.windows):
                continue
            wins = prep.host_preferred(hid)
            if not any(w.start <= pl.start and pl.start + a.duration <= w.end for w in wins):
                pref += 1
    terms["preferred"] = pref
    terms["travel"] = group_travel_minutes(prep, result.placements)
    late = 0
    for d in problem.days:
        if d.soft_end is None:
            continue
        ends = [pl.start + prep.act[a].duration for a, pl in placed.items() if pl.day == d.id]
        late += max([0, *(e - d.soft_end for e in ends)])
    terms["late"] = late
    loads = [
        sum(prep.act[a].duration for a, pl in placed.items() if pl.day == d.id)
        for d in problem.days
    ]
    terms["balance"] = max(loads) - min(loads) if len(loads) > 1 else 0
    # Interpreters who could serve at least one activity count (the model's definition).
    eligible = {
        iid
        for a in problem.activities
        for need in prep.candidate_needs(a)
        for iid in prep.qualified(a, need)
    }
    seen, load = set(), dict.fromkeys(eligible, 0)
    for asg in result.assignments:
        key = (asg.activity, asg.interpreter)
        if key in seen or asg.activity not in placed or asg.interpreter not in load:
            continue
        seen.add(key)
        load[asg.interpreter] += prep.act[asg.activity].duration
    terms["interpreter_spread"] = max(load.values()) - min(load.values()) if len(load) > 1 else 0
    extra = missed = 0
    for aid, choice in result_choices(prep, result).items():
        a = prep.act[aid]
        if not prep.has_choice(a):
            continue  # one possible choice: nothing to optimise (the model's definition)
        extra += len(languages.targets(choice)) - prep.fewest_targets(a)
        missed += languages.choice_misses(prep.profiles(a), choice)
    terms["interpretations"], terms["language"] = extra, missed
    return terms


def objective(terms: dict, params: Params | None = None) -> int:
    w = (params or Params()).weights
    return (
        w.moves * terms["moves"]
        - w.value * terms["value"]
        + w.preferred * terms["preferred"]
        + w.travel * terms["travel"]
        + w.late * terms["late"]
        + w.balance * terms["balance"]
        + w.interpreter_spread * terms["interpreter_spread"]
        + w.interpretations * terms["interpretations"]
        + w.language * terms["language"]
    )
