"""The soft-goal terms of any result, computed without CP-SAT (same definitions as
objective.py). Lets the UI score an organiser's manual edit, and the tests check the solver."""

from __future__ import annotations

from . import languages
from .model import Params, Problem, ProgrammeResult
from .prepare import Prepared
from .validate import group_travel_minutes, result_choices


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
