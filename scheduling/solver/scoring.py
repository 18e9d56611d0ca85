"""The soft-goal terms of any result, computed without CP-SAT (same definitions as
objective.py). Lets the UI score an organiser's manual edit, and the tests check the solver."""

from __future__ import annotations

import dataclasses
import itertools

from . import languages, relaxation
from .model import LanguageChoice, Params, Placement, Problem, ProgrammeResult, Weights
from .prepare import Prepared

# The objective's terms, in the order they are weighed and reported (objective.py, report.py).
TERMS = (
    "moves",
    "value",
    "preferred",
    "travel",
    "late",
    "balance",
    "interpreter_spread",
    "interpretations",
    "language",
)


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


def score(
    problem: Problem, result: ProgrammeResult, params: Params | None = None, prep=None
) -> dict:
    params = params or Params()
    prep = prep or Prepared(problem, params)
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


# ---- the normalised objective (issue 18: bounds that mean something) ------------------------
#
# The minimised objective mixes value (counted negatively) with costs and sits near zero on
# M, so a gap relative to it means nothing. The same objective read as a score: what is
# reachable minus the penalties,
#
#     score = reachable - objective,    reachable = score_bound(problem, weights),
#
# where `reachable` is the weighted sum of the largest value every term can take in this
# problem (all the optional value, and for each cost its worst): a fixed positive number
# computed from the problem alone. Every penalty (value left out, each cost) is then >= 0,
# 0 <= score <= reachable, and the order of programmes (what is preferred) is the minimised
# objective's. The gap is (score bound - score) / score bound (`normalised_gap`).


def term_caps(problem: Problem, params: Params | None = None, prep=None) -> dict[str, int]:
    """For each term, a number no programme of `problem` exceeds (the value term: all the
    optional value). Cheap: one pass over the activities, no model."""
    prep = prep or Prepared(problem, params or Params())
    acts = problem.activities
    caps = dict.fromkeys(TERMS, 0)
    caps["moves"] = len(prep.prev)
    caps["value"] = sum(a.value for a in acts if not a.mandatory and a.value > 0)
    for a in acts:
        for hid in a.hosts:
            h = prep.host.get(hid)
            if h is not None and any(w.preferred for w in h.windows):
                caps["preferred"] += 1
        if prep.has_choice(a):
            followed = {x for pf in prep.profiles(a) for x in pf.follows}
            caps["interpretations"] += max(0, len(followed) - prep.fewest_targets(a))
            caps["language"] += sum(pf.count for pf in prep.profiles(a) if pf.preferred)
    # Travel: a group's day holds its activities and the legs between them (lodging legs
    # included) inside the day, so its travel is at most the day's length less its shortest
    # activity, and at most one leg of the longest one per activity plus the way back.
    paths = prep.paths
    if paths.m is not None:
        longest_leg = int(paths.m.max()) if paths.m.size else 0
    else:
        longest_leg = max((max(row) for row in paths.rows if row), default=0)
    for aids in prep.acts_by_group.values():
        if not aids:
            continue
        shortest = min(prep.act[a].duration for a in aids)
        for d in problem.days:
            caps["travel"] += max(0, min(d.end - d.start - shortest, (len(aids) + 1) * longest_leg))
    caps["late"] = sum(max(0, d.end - d.soft_end) for d in problem.days if d.soft_end is not None)
    total = sum(a.duration for a in acts)
    width = max((d.end - d.start for d in problem.days), default=0)
    if len(problem.days) > 1:
        caps["balance"] = min(total, width * max(1, len(problem.groups)))
    interpreted = sum(a.duration for a in acts if prep.candidate_needs(a))
    caps["interpreter_spread"] = (
        min(interpreted, sum(d.end - d.start for d in problem.days))
        if len(problem.interpreters) > 1
        else 0
    )
    return caps


def score_bound(problem: Problem, weights=None, prep=None) -> int:
    """`reachable`: the score of a programme with all the optional value and every cost at
    its worst removed, i.e. the fixed upper bound of the normalised score (>= 1)."""
    if isinstance(weights, Params):
        params = weights
    else:
        params = Params() if weights is None else Params(weights=weights)
    w = params.weights
    caps = term_caps(problem, params, prep)
    return max(1, sum(abs(getattr(w, name)) * cap for name, cap in caps.items()))


def score_offset(problem: Problem, weights=None, prep=None) -> int:
    """The constant that turns the minimised objective into the score:
    score = offset - objective. The penalties are the value left out and the costs, i.e.
    objective + w.value * (all the optional value), so offset = reachable - that value."""
    params = weights if isinstance(weights, Params) else Params(weights=weights or Weights())
    caps = term_caps(problem, params, prep)
    return score_bound(problem, params, prep) - abs(params.weights.value) * caps["value"]


def normalised_gap(obj: float, bound: float, offset: float) -> float:
    """(score bound - score) / score bound, score = offset - objective (score_offset)."""
    score, top = offset - obj, offset - bound
    return max(0.0, top - score) / max(1.0, top)


def travel_floor(prep: Prepared) -> int:
    """Travel minutes no programme goes below: per group whose every day starts and ends at
    a lodging, each venue of a mandatory activity (other than a lodging) is entered at least
    once, from some other venue or a lodging (legs with different ends are different legs),
    and each day away ends with a leg back to the lodging: at least one day, each day that
    is the only possible one of such an activity, and as many days as their minutes fill.
    A bound of the problem, added to the bound of a stage whose objective leaves travel out
    (report.py)."""
    total = 0
    for gid, aids in prep.acts_by_group.items():
        g = prep.group.get(gid)
        if g is None or not aids:
            continue
        lodgings = {g.lodging_on(d.id) for d in prep.p.days}
        if None in lodgings:
            continue  # a day without lodging legs: its first venue is entered from nowhere
        must = [a for a in aids if prep.act[a].mandatory and prep.domains.get(a)]
        venues = {prep.act[a].venue for a in must} - lodgings
        if not venues:
            continue
        nodes = {prep.act[a].venue for a in aids} | lodgings
        for v in venues:
            total += min((prep.t(u, v) for u in nodes if u != v), default=0)
        away = [a for a in must if prep.act[a].venue not in lodgings]
        forced = {next(iter(prep.domains[a])) for a in away if len(prep.domains[a]) == 1}
        # Days away from the lodging: at least as many as its only possible days, and as
        # many as it takes to hold those minutes (a day holds its length at most).
        longest = max(d.end - d.start for d in prep.p.days)
        need = -(-sum(prep.act[a].duration for a in away) // max(1, longest))
        back = min(prep.t(v, lodge) for v in venues for lodge in lodgings)
        total += max(1, len(forced), need) * back
    return total


def problem_bound(problem: Problem, params: Params | None = None, prep=None) -> int | None:
    """A lower bound of the minimised objective: all the optional value placed, every cost
    at 0 but travel at its floor, or, when the solve of `prep` proved more on the
    relaxation (relaxation.py, remembered for that Prepared and these weights), that.
    None when a weight is negative (a cost that is rewarded has no such floor)."""
    params = params or Params()
    w = params.weights
    if any(getattr(w, f.name) < 0 for f in dataclasses.fields(w)):
        return None
    prep = prep or Prepared(problem, params)
    value = sum(a.value for a in problem.activities if not a.mandatory and a.value > 0)
    static = -w.value * value + w.travel * travel_floor(prep)
    # A relaxation solved during this solve (relaxation.py: days, tours, minutes) proves
    # more when the days are full: M-0 -6400 -> about -4800.
    relaxed = relaxation.known(prep, w)
    return static if relaxed is None else max(static, relaxed)
