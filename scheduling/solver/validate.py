"""Re-checks every hard rule on any result (ours, an organiser's manual move, someone else's)
without CP-SAT. One `check_<rule>` per rule id; `validate` runs them all.

A second, independent reading of the rules (docs/problem-format.md): nothing here comes from
the solver's preparation (prepare.py), so a bug in what the model is built from (shortest
paths, merged windows, presence, needs, team sizes) makes the solver's results fail here
instead of passing unseen. Its own plain shortest paths, window arithmetic and one timeline
across days (absolute minutes: an overlap or a travel across a day boundary, or between
overlapping days, is caught like any other) are in validate_reading.py.

Shared with the solver, on purpose: the data types (model.py), the policy's numbers and the
team-strength table, which travel in the problem (`Problem.interpretation`), and, for a
result that states no language choice (a version made before choices), the documented way
to find one (`languages.choice_from_directions`, else `languages.best_choice`), and whether
a choice's listening rows seat every member (`languages.listening_error`, the one statement
of that rule).
"""

from __future__ import annotations

import itertools

from . import languages
from .model import Conflict, LanguageChoice, Placement, Problem, ProgrammeResult, Window
from .validate_reading import Reading, available

Violation = Conflict


def _v(rule: str, params: dict | None = None, **entities) -> Violation:
    return Conflict(rule, {k: tuple(v) for k, v in entities.items()}, params or {})


def _stated(result: ProgrammeResult) -> dict[int, LanguageChoice]:
    out: dict[int, LanguageChoice] = {}
    for c in result.languages:
        out.setdefault(c.activity, c)
    return out


# ---- checks ------------------------------------------------------------------------------


def check_mandatory(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    known = {a.id for a in problem.activities}
    count: dict[int, int] = {}
    out = []
    for pl in result.placements:
        if pl.activity not in known:
            out.append(_v("unknown_reference", {"field": "placements"}, activity=[pl.activity]))
        count[pl.activity] = count.get(pl.activity, 0) + 1
    for a in problem.activities:
        n = count.get(a.id, 0)
        if a.mandatory and n == 0:
            out.append(_v("mandatory", activity=[a.id]))
        if n > 1:
            out.append(_v("once", {"count": n}, activity=[a.id]))
    return out


def check_day_window(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    out = []
    for pl in r.placed.values():
        d = r.day.get(pl.day)
        if d is None or not d.start <= pl.start <= r.end(pl) <= d.end:
            out.append(_v("day_window", {"start": pl.start}, activity=[pl.activity], day=[pl.day]))
    return out


def check_time_window(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    out = []
    for pl in r.placed.values():
        a = r.act[pl.activity]
        if (a.earliest is not None and pl.start < a.earliest) or (
            a.latest is not None and r.end(pl) > a.latest
        ):
            p = {"start": pl.start, "earliest": a.earliest, "latest": a.latest}
            out.append(_v("time_window", p, activity=[a.id]))
    return out


def check_fixed_start(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    return [
        _v("fixed_start", {"start": a.fixed_start}, activity=[a.id])
        for a in problem.activities
        if a.fixed_start is not None and a.id in r.placed and r.placed[a.id].start != a.fixed_start
    ]


def check_locked(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    before = {pl.activity: pl.start for pl in problem.previous if pl.activity in r.act}
    out = []
    for aid in sorted(problem.locked):
        if aid in before and (aid not in r.placed or r.placed[aid].start != before[aid]):
            out.append(_v("locked", {"start": before[aid]}, activity=[aid]))
    return out


def check_host_window(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    out = []
    for pl in r.placed.values():
        a = r.act[pl.activity]
        for hid in a.hosts:
            h = r.host.get(hid)
            if h is not None and not available(h.windows, h.busy, pl.start, r.end(pl)):
                out.append(_v("host_window", {"start": pl.start}, activity=[a.id], host=[hid]))
    return out


def _overlaps(r: Reading, line: dict[int, list[Placement]], rule: str, kind: str):
    out = []
    for owner, pls in sorted(line.items()):
        for i, x in enumerate(pls):
            for y in pls[i + 1 :]:
                if y.start >= r.end(x):
                    break
                out.append(_v(rule, activity=[x.activity, y.activity], **{kind: [owner]}))
    return out


def check_host_overlap(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    return _overlaps(r, r.timeline(lambda a: a.hosts), "host_overlap", "host")


def check_venue_overlap(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    rooms = {v.id for v in problem.venues if v.exclusive}
    line = r.timeline(lambda a: (a.venue,) if a.venue in rooms else ())
    return _overlaps(r, line, "venue_overlap", "venue")


def _legs(r: Reading, pls, home_on, rule: str, kind: str, owner: int) -> list[Violation]:
    """Between consecutive activities of one timeline (across days too), the quickest travel
    fits (an overlap never does); each day's first leg from, and last leg to, that day's
    home (`home_on(day id)`) fits inside the day."""
    out = []
    for x, y in itertools.pairwise(pls):
        need = r.travel(r.act[x.activity].venue, r.act[y.activity].venue)
        gap = y.start - r.end(x)
        if gap < need:
            p = {"travel": need, "gap": gap}
            out.append(_v(rule, p, activity=[x.activity, y.activity], **{kind: [owner]}))
    for did, day_pls in itertools.groupby(sorted(pls, key=lambda pl: pl.day), lambda pl: pl.day):
        d, home = r.day.get(did), home_on(did)
        if d is None or home is None:
            continue
        day_pls = sorted(day_pls, key=lambda pl: (pl.start, pl.activity))
        first, last = day_pls[0], max(day_pls, key=r.end)
        t_in = r.travel(home, r.act[first.activity].venue)
        if first.start - t_in < d.start:
            out.append(
                _v(
                    rule,
                    {"travel": t_in, "leg": "first"},
                    activity=[first.activity],
                    **{kind: [owner]},
                )
            )
        t_out = r.travel(r.act[last.activity].venue, home)
        if r.end(last) + t_out > d.end:
            out.append(
                _v(
                    rule,
                    {"travel": t_out, "leg": "last"},
                    activity=[last.activity],
                    **{kind: [owner]},
                )
            )
    return out


def check_group_travel(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    out = []
    for gid, pls in sorted(r.timeline(r.audience).items()):
        out += _legs(r, pls, r.group[gid].lodging_on, "group_travel", "group", gid)
    return out


def check_lunch(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    """Each group's lunch: a free stretch of `lunch_min` inside the lunch window, whatever
    day the activities in the way belong to (only meals may overlap it)."""
    r = r or Reading(problem, result)
    line = r.timeline(r.audience)
    out = []
    for d in problem.days:
        if d.lunch_min <= 0:
            continue
        for gid, pls in sorted(line.items()):
            busy = sorted(
                (max(pl.start, d.lunch_start), min(r.end(pl), d.lunch_end))
                for pl in pls
                if not r.act[pl.activity].meal
                and pl.start < d.lunch_end
                and r.end(pl) > d.lunch_start
            )
            if not busy:
                continue  # nothing in the way (a window shorter than lunch: a data error)
            free, longest = d.lunch_start, 0
            for s, e in [*busy, (d.lunch_end, d.lunch_end)]:
                longest = max(longest, s - free)
                free = max(free, e)
            if longest < d.lunch_min:
                out.append(_v("lunch", {"minutes": d.lunch_min}, group=[gid], day=[d.id]))
    return out


def check_language_choice(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    """A stated choice speaks a language the speakers use, and each group's rows count its
    members exactly, each listening in a language they follow."""
    r = r or Reading(problem, result)
    out = []
    for c in result.languages:
        a = r.act.get(c.activity)
        if a is None or a.id not in r.placed:
            continue
        if c.spoken not in a.languages:
            why = "spoken"
        else:
            why = languages.listening_error(r.profiles(a), c)
        if why is not None:
            out.append(_v("language_choice", {"reason": why, "spoken": c.spoken}, activity=[a.id]))
    return out


def check_interpretation(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    stated = _stated(result)
    out = []
    for asg in result.assignments:
        i, a = r.interp.get(asg.interpreter), r.act.get(asg.activity)
        if i is None or a is None or asg.activity not in r.placed:
            p = {"reason": "unknown_or_unplaced"}
            out.append(
                _v("interpretation", p, activity=[asg.activity], interpreter=[asg.interpreter])
            )
        elif tuple(asg.direction) not in i.directions or a.interpretation_mode not in i.modes:
            p = {"reason": "not_qualified", "direction": list(asg.direction)}
            out.append(_v("interpretation", p, activity=[a.id], interpreter=[i.id]))
    for aid, pl in r.placed.items():
        a = r.act[aid]
        choice = r.choice(a, stated.get(aid))
        served = {tuple(x.direction) for x in r.by_act.get(aid, ())}
        for kind, lang, direction in r.needs(a, choice, r.day.get(pl.day)):
            if direction not in served:
                out.append(_v("interpretation", {"kind": kind, "language": lang}, activity=[aid]))
            if a.interpretation_mode == "whispered" and kind == "into":
                listeners = sum(n for _g, x, n in choice.listening if x == lang)
                if listeners > problem.interpretation.whisper_max_listeners:
                    out.append(_v("whisper_listeners", {"language": lang}, activity=[aid]))
    return out


def check_team_strength(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    stated = _stated(result)
    out = []
    for aid, pl in r.placed.items():
        a, d = r.act[aid], r.day.get(pl.day)
        choice = r.choice(a, stated.get(aid))
        needs = r.needs(a, choice, d)
        if not needs:
            continue
        in_play = 1 + len({lang for _k, lang, _dir in needs})
        team = r.team(a, r.interpreted(a, d), in_play)
        asgs = r.by_act.get(aid, [])
        p = {"team": team, "mode": a.interpretation_mode, "duration": a.duration}
        if team is None:
            out.append(_v("team_strength", p, activity=[aid]))
        elif a.interpretation_mode == "consecutive":
            if len({x.interpreter for x in asgs}) < team:
                out.append(_v("team_strength", p, activity=[aid]))
        else:
            for _kind, lang, direction in needs:
                booth = {x.interpreter for x in asgs if tuple(x.direction) == direction}
                if len(booth) < team:
                    out.append(_v("team_strength", {**p, "language": lang}, activity=[aid]))
            per_i: dict[int, int] = {}
            for x in asgs:
                per_i[x.interpreter] = per_i.get(x.interpreter, 0) + 1
            for iid, n in sorted(per_i.items()):
                if n > 1:
                    p2 = {**p, "booths": n}
                    out.append(_v("team_strength", p2, activity=[aid], interpreter=[iid]))
    return out


def check_interpreter_window(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    """No windows: hired for the whole visit (every day, all day)."""
    r = r or Reading(problem, result)
    whole_visit = tuple(Window(d.start, d.end) for d in problem.days)
    out = []
    for iid, pls in sorted(r.interpreter_timeline().items()):
        i = r.interp[iid]
        for pl in pls:
            if not available(i.windows or whole_visit, i.busy, pl.start, r.end(pl)):
                out.append(_v("interpreter_window", activity=[pl.activity], interpreter=[iid]))
    return out


def check_interpreter_overlap(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    out = []
    for iid, pls in sorted(r.interpreter_timeline().items()):
        home = r.interp[iid].home_venue
        out += _legs(r, pls, lambda _d, h=home: h, "interpreter_overlap", "interpreter", iid)
    return out


def check_daily_cap(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    """Interpreted minutes per interpreter and day within their own cap and the policy's
    daily limit (the lower counts)."""
    r = r or Reading(problem, result)
    limit = problem.interpretation.daily_limit
    out = []
    for iid, pls in sorted(r.interpreter_timeline().items()):
        cap = r.interp[iid].daily_cap if limit is None else min(r.interp[iid].daily_cap, limit)
        per_day: dict[int, int] = {}
        for pl in pls:
            minutes = r.interpreted(r.act[pl.activity], r.day.get(pl.day))
            per_day[pl.day] = per_day.get(pl.day, 0) + minutes
        for did, total in sorted(per_day.items()):
            if total > cap:
                out.append(
                    _v("daily_cap", {"minutes": total, "cap": cap}, interpreter=[iid], day=[did])
                )
    return out


def check_interpreter_rest(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    """After an activity of `long_stint` interpreted minutes or more, `min_break` minutes
    before the interpreter's next activity that day."""
    r = r or Reading(problem, result)
    rules = problem.interpretation
    out = []
    if not (rules.long_stint and rules.min_break):
        return out
    for iid, pls in sorted(r.interpreter_timeline().items()):
        for prev, nxt in itertools.pairwise(pls):
            if prev.day != nxt.day:
                continue
            stint = r.interpreted(r.act[prev.activity], r.day.get(prev.day))
            gap = nxt.start - r.end(prev)
            if stint >= rules.long_stint and gap < rules.min_break:
                p = {"rest": rules.min_break, "gap": gap}
                out.append(
                    _v(
                        "interpreter_rest",
                        p,
                        interpreter=[iid],
                        activity=[prev.activity, nxt.activity],
                    )
                )
    return out


def check_phase(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    out = []
    for gid, pls in sorted(r.timeline(r.audience).items()):
        phased = [pl for pl in pls if r.act[pl.activity].phase is not None]
        for x in phased:
            for y in phased:
                a, b = r.act[x.activity], r.act[y.activity]
                if a.phase < b.phase and y.start < r.end(x):
                    p = {"phase": a.phase, "next_phase": b.phase}
                    out.append(_v("phase", p, group=[gid], activity=[a.id, b.id]))
    return out


def check_precedence(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    r = r or Reading(problem, result)
    out = []
    for k, pr in enumerate(problem.precedences):
        x, y = r.placed.get(pr.before), r.placed.get(pr.after)
        if x and y and y.start < r.end(x) + pr.min_gap:
            p = {"min_gap": pr.min_gap, "index": k}
            out.append(_v("precedence", p, activity=[pr.before, pr.after]))
    return out


def check_grid(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    """Every start on the time grid, except a locked one that kept its earlier time."""
    grid = max(1, problem.time_grid)
    prev = {pl.activity: pl.start for pl in problem.previous}
    out = []
    for pl in result.placements:
        if pl.start % grid == 0:
            continue
        if pl.activity in problem.locked and prev.get(pl.activity) == pl.start:
            continue
        out.append(_v("grid", {"start": pl.start, "grid": grid}, activity=[pl.activity]))
    return out


def check_presence(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    """Every activity inside the presence of each of its groups."""
    r = r or Reading(problem, result)
    out = []
    for pl in r.placed.values():
        a = r.act[pl.activity]
        for gid in r.audience(a):
            span = r.group[gid].presence
            if span is None:
                continue
            arrives, leaves = span
            if pl.start < arrives or r.end(pl) > leaves:
                p = {"start": pl.start, "arrives": arrives, "leaves": leaves}
                out.append(_v("presence", p, activity=[a.id], group=[gid]))
    return out


def check_place_in_visit(
    problem: Problem, result: ProgrammeResult, r: Reading | None = None
) -> list[Violation]:
    """A 'first' activity ends before any other starts; a 'last' one starts after every
    other ends."""
    r = r or Reading(problem, result)
    out = []
    for aid, pl in r.placed.items():
        place = r.act[aid].place_in_visit
        if place not in ("first", "last"):
            continue
        for bid, other in r.placed.items():
            if r.act[bid].place_in_visit == place:
                continue
            # 'first': the other starts after it ends; 'last': it starts after the other ends.
            broken = other.start < r.end(pl) if place == "first" else pl.start < r.end(other)
            if broken:
                out.append(_v("place_in_visit", {"place": place}, activity=[aid, bid]))
    return out


CHECKS = (
    check_mandatory,
    check_day_window,
    check_time_window,
    check_fixed_start,
    check_locked,
    check_host_window,
    check_host_overlap,
    check_group_travel,
    check_lunch,
    check_venue_overlap,
    check_language_choice,
    check_interpretation,
    check_team_strength,
    check_interpreter_window,
    check_interpreter_overlap,
    check_daily_cap,
    check_interpreter_rest,
    check_phase,
    check_precedence,
    check_grid,
    check_presence,
    check_place_in_visit,
)


def validate(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    r = Reading(problem, result)  # read once, shared by the checks
    out: list[Violation] = []
    for check in CHECKS:
        out += check(problem, result, r)
    return out
