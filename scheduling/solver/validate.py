"""Re-checks every hard rule on any result (ours, an organiser's manual move, someone else's)
without CP-SAT. One `check_<rule>` per rule id; `validate` runs them all."""

from __future__ import annotations

import itertools

from . import languages
from .model import Conflict, LanguageChoice, Placement, Problem, ProgrammeResult
from .prepare import Prepared

Violation = Conflict


def _v(rule: str, params: dict | None = None, **entities) -> Violation:
    return Conflict(rule, {k: tuple(v) for k, v in entities.items()}, params or {})


def _placed(prep: Prepared, result: ProgrammeResult) -> dict[int, Placement]:
    """First placement per known activity (duplicates are reported by check_mandatory)."""
    out = {}
    for pl in result.placements:
        if pl.activity in prep.act and pl.activity not in out:
            out[pl.activity] = pl
    return out


def _sequences(prep: Prepared, placed, ids_of) -> dict[tuple[int, int], list[Placement]]:
    """(owner, day) -> placements sorted by start."""
    seq: dict[tuple[int, int], list[Placement]] = {}
    for pl in placed.values():
        for owner in ids_of(prep.act[pl.activity]):
            seq.setdefault((owner, pl.day), []).append(pl)
    for v in seq.values():
        v.sort(key=lambda pl: (pl.start, pl.activity))
    return seq


def _inside(windows, s: int, e: int) -> bool:
    return any(w.start <= s and e <= w.end for w in windows)


def check_mandatory(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    count: dict[int, int] = {}
    out = []
    for pl in result.placements:
        if pl.activity not in prep.act:
            out.append(_v("unknown_reference", {"field": "placements"}, activity=[pl.activity]))
        count[pl.activity] = count.get(pl.activity, 0) + 1
    for a in problem.activities:
        n = count.get(a.id, 0)
        if a.mandatory and n == 0:
            out.append(_v("mandatory", activity=[a.id]))
        if n > 1:
            out.append(_v("once", {"count": n}, activity=[a.id]))
    return out


def check_day_window(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    out = []
    for pl in _placed(prep, result).values():
        a, d = prep.act[pl.activity], prep.day.get(pl.day)
        if d is None or pl.start < d.start or pl.start + a.duration > d.end:
            out.append(_v("day_window", {"start": pl.start}, activity=[a.id], day=[pl.day]))
    return out


def check_time_window(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    out = []
    for pl in _placed(prep, result).values():
        a = prep.act[pl.activity]
        if (a.earliest is not None and pl.start < a.earliest) or (
            a.latest is not None and pl.start + a.duration > a.latest
        ):
            p = {"start": pl.start, "earliest": a.earliest, "latest": a.latest}
            out.append(_v("time_window", p, activity=[a.id]))
    return out


def check_fixed_start(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    placed = _placed(prep, result)
    return [
        _v("fixed_start", {"start": a.fixed_start}, activity=[a.id])
        for a in problem.activities
        if a.fixed_start is not None and a.id in placed and placed[a.id].start != a.fixed_start
    ]


def check_locked(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    placed = _placed(prep, result)
    out = []
    for aid in sorted(problem.locked):
        prev = prep.prev.get(aid)
        if prev is not None and (aid not in placed or placed[aid].start != prev.start):
            out.append(_v("locked", {"start": prev.start}, activity=[aid]))
    return out


def check_host_window(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    out = []
    for pl in _placed(prep, result).values():
        a = prep.act[pl.activity]
        for hid in a.hosts:
            if hid in prep.host and not _inside(
                prep.host_windows(hid), pl.start, pl.start + a.duration
            ):
                out.append(_v("host_window", {"start": pl.start}, activity=[a.id], host=[hid]))
    return out


def _overlaps(prep, seq, rule, kind) -> list[Violation]:
    out = []
    for (owner, _day), pls in seq.items():
        for i, x in enumerate(pls):
            for y in pls[i + 1 :]:
                if y.start < x.start + prep.act[x.activity].duration:
                    out.append(_v(rule, activity=[x.activity, y.activity], **{kind: [owner]}))
    return out


def check_host_overlap(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    seq = _sequences(prep, _placed(prep, result), lambda a: a.hosts)
    return _overlaps(prep, seq, "host_overlap", "host")


def check_venue_overlap(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    excl = {v.id for v in problem.venues if v.exclusive}
    seq = _sequences(prep, _placed(prep, result), lambda a: (a.venue,) if a.venue in excl else ())
    return _overlaps(prep, seq, "venue_overlap", "venue")


def _legs(prep: Prepared, pls, day, home, rule, kind, owner) -> list[Violation]:
    """Consecutive activities leave room for travel; first/last legs from/to `home`."""
    out = []
    for x, y in itertools.pairwise(pls):
        ax, ay = prep.act[x.activity], prep.act[y.activity]
        need = prep.t(ax.venue, ay.venue)
        if y.start < x.start + ax.duration + need:
            p = {"travel": need, "gap": y.start - x.start - ax.duration}
            out.append(_v(rule, p, activity=[x.activity, y.activity], **{kind: [owner]}))
    if home is not None and pls and day is not None:
        first, last = pls[0], pls[-1]
        t_in = prep.t(home, prep.act[first.activity].venue)
        if first.start < day.start + t_in:
            p = {"travel": t_in, "leg": "first"}
            out.append(_v(rule, p, activity=[first.activity], **{kind: [owner]}))
        la = prep.act[last.activity]
        t_out = prep.t(la.venue, home)
        if last.start + la.duration + t_out > day.end:
            p = {"travel": t_out, "leg": "last"}
            out.append(_v(rule, p, activity=[last.activity], **{kind: [owner]}))
    return out


def check_group_travel(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    seq = _sequences(prep, _placed(prep, result), prep.groups_of)
    out = []
    for (gid, did), pls in sorted(seq.items()):
        home = prep.lodging(gid, did)
        out += _legs(prep, pls, prep.day.get(did), home, "group_travel", "group", gid)
    return out


def group_travel_minutes(prep: Prepared, placements) -> int:
    """Total travel of all groups, lodging legs included (the `travel` term)."""
    placed = {pl.activity: pl for pl in placements if pl.activity in prep.act}
    total = 0
    for (gid, did), pls in _sequences(prep, placed, prep.groups_of).items():
        venues = [prep.act[pl.activity].venue for pl in pls]
        lodge = prep.lodging(gid, did)
        if lodge is not None:
            venues = [lodge, *venues, lodge]
        total += sum(prep.t(u, v) for u, v in itertools.pairwise(venues))
    return total


def check_lunch(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    seq = _sequences(prep, _placed(prep, result), prep.groups_of)
    out = []
    for (gid, did), pls in sorted(seq.items()):
        d = prep.day.get(did)
        if d is None or d.lunch_min <= 0:
            continue
        busy = sorted(
            (pl.start, pl.start + prep.act[pl.activity].duration)
            for pl in pls
            if not prep.act[pl.activity].meal
        )
        free_from, ok = d.lunch_start, False
        for s, e in [*busy, (d.lunch_end, d.lunch_end)]:
            if min(s, d.lunch_end) - free_from >= d.lunch_min:
                ok = True
                break
            free_from = max(free_from, e)
        if not ok:
            out.append(_v("lunch", {"minutes": d.lunch_min}, group=[gid], day=[did]))
    return out


def _assignments(prep: Prepared, result: ProgrammeResult):
    placed = _placed(prep, result)
    by_act: dict[int, list] = {}
    for asg in result.assignments:
        by_act.setdefault(asg.activity, []).append(asg)
    return placed, by_act


def result_choices(prep: Prepared, result: ProgrammeResult) -> dict[int, LanguageChoice]:
    """The language choice of each placed activity: the one the result states, else one its
    interpreters' directions serve (a version made before choices), else the best one."""
    placed, by_act = _assignments(prep, result)
    stated = {}
    for c in result.languages:
        stated.setdefault(c.activity, c)
    out = {}
    for aid in placed:
        a = prep.act[aid]
        choice = stated.get(aid)
        if choice is None and prep.has_choice(a):
            dirs = {tuple(x.direction) for x in by_act.get(aid, ())}
            choice = languages.choice_from_directions(a, prep.profiles(a), dirs)
        choice = choice or prep.best_choice(a)
        if choice is not None:
            out[aid] = choice
    return out


def check_language_choice(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    """A stated choice speaks a language the speakers use, and every member listens in one
    they follow."""
    prep = Prepared(problem)
    placed = _placed(prep, result)
    out = []
    for c in result.languages:
        a = prep.act.get(c.activity)
        if a is None or c.activity not in placed:
            continue
        why = languages.is_valid_choice(a, prep.profiles(a), c)
        if why is not None:
            p = {"reason": why, "spoken": c.spoken}
            out.append(_v("language_choice", p, activity=[a.id]))
    return out


def check_interpretation(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    placed, by_act = _assignments(prep, result)
    choices = result_choices(prep, result)
    out = []
    for asg in result.assignments:
        i, a = prep.interp.get(asg.interpreter), prep.act.get(asg.activity)
        if i is None or a is None or asg.activity not in placed:
            out.append(
                _v(
                    "interpretation",
                    {"reason": "unknown_or_unplaced"},
                    activity=[asg.activity],
                    interpreter=[asg.interpreter],
                )
            )
        elif tuple(asg.direction) not in i.directions or a.interpretation_mode not in i.modes:
            out.append(
                _v(
                    "interpretation",
                    {"reason": "not_qualified", "direction": list(asg.direction)},
                    activity=[a.id],
                    interpreter=[i.id],
                )
            )
    for aid in placed:
        a = prep.act[aid]
        dirs = {tuple(x.direction) for x in by_act.get(aid, ())}
        choice = choices.get(aid)
        for need in prep.needs(a, choice):
            if not dirs & need.directions:
                p = {"kind": need.kind, "language": need.language}
                out.append(_v("interpretation", p, activity=[aid]))
            if (
                a.interpretation_mode == "whispered"
                and need.kind == "into"
                and prep.listeners(a, need.language, choice) > prep.whisper_max
            ):
                out.append(_v("whisper_listeners", {"language": need.language}, activity=[aid]))
    return out


def check_team_strength(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    placed, by_act = _assignments(prep, result)
    choices = result_choices(prep, result)
    out = []
    for aid in placed:
        a = prep.act[aid]
        needs = prep.needs(a, choices.get(aid))
        if not needs:
            continue
        team = prep.team(a, choices.get(aid))
        asgs = by_act.get(aid, [])
        p = {"team": team, "mode": a.interpretation_mode, "duration": a.duration}
        if team is None:
            out.append(_v("team_strength", p, activity=[aid]))
        elif a.interpretation_mode == "consecutive":
            if len({x.interpreter for x in asgs}) < team:
                out.append(_v("team_strength", p, activity=[aid]))
        else:
            for need in needs:
                n = len({x.interpreter for x in asgs if tuple(x.direction) in need.directions})
                if n < team:
                    out.append(
                        _v("team_strength", {**p, "language": need.language}, activity=[aid])
                    )
            per_i: dict[int, int] = {}
            for x in asgs:
                per_i[x.interpreter] = per_i.get(x.interpreter, 0) + 1
            for iid, n in per_i.items():
                if n > 1:
                    out.append(
                        _v("team_strength", {**p, "booths": n}, activity=[aid], interpreter=[iid])
                    )
    return out


def _interp_seq(prep: Prepared, result: ProgrammeResult):
    placed = _placed(prep, result)
    seq: dict[tuple[int, int], list[Placement]] = {}
    seen = set()
    for asg in result.assignments:
        pl = placed.get(asg.activity)
        if (
            pl is None
            or asg.interpreter not in prep.interp
            or (asg.activity, asg.interpreter) in seen
        ):
            continue
        seen.add((asg.activity, asg.interpreter))
        seq.setdefault((asg.interpreter, pl.day), []).append(pl)
    for v in seq.values():
        v.sort(key=lambda pl: (pl.start, pl.activity))
    return seq


def check_interpreter_window(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    out = []
    for (iid, _did), pls in sorted(_interp_seq(prep, result).items()):
        wins = prep.interp_windows(iid)
        for pl in pls:
            if not _inside(wins, pl.start, pl.start + prep.act[pl.activity].duration):
                out.append(_v("interpreter_window", activity=[pl.activity], interpreter=[iid]))
    return out


def check_interpreter_overlap(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    out = []
    for (iid, did), pls in sorted(_interp_seq(prep, result).items()):
        home = prep.interp[iid].home_venue
        out += _legs(prep, pls, prep.day.get(did), home, "interpreter_overlap", "interpreter", iid)
    return out


def check_daily_cap(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    out = []
    for (iid, did), pls in sorted(_interp_seq(prep, result).items()):
        total = sum(prep.interpreted(prep.act[pl.activity], did) for pl in pls)
        cap = prep.daily_cap(iid)
        if total > cap:
            p = {"minutes": total, "cap": cap}
            out.append(_v("daily_cap", p, interpreter=[iid], day=[did]))
    return out


def check_interpreter_rest(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    """After a long stint (the policy's `long_stint` interpreted minutes), `min_break`
    minutes before the interpreter's next activity that day."""
    prep = Prepared(problem)
    out = []
    for (iid, did), pls in sorted(_interp_seq(prep, result).items()):
        for prev, nxt in itertools.pairwise(pls):
            rest = prep.rest_after(prep.act[prev.activity], did)
            gap = nxt.start - (prev.start + prep.act[prev.activity].duration)
            if rest and gap < rest:
                p = {"rest": rest, "gap": gap}
                out.append(
                    _v(
                        "interpreter_rest",
                        p,
                        interpreter=[iid],
                        activity=[prev.activity, nxt.activity],
                    )
                )
    return out


def check_phase(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    placed = _placed(prep, result)
    out = []
    for g in problem.groups:
        acts = [
            prep.act[aid]
            for aid in placed
            if prep.act[aid].phase is not None and g.id in prep.groups_of(prep.act[aid])
        ]
        for a in acts:
            for b in acts:
                if a.phase < b.phase and placed[b.id].start < placed[a.id].start + a.duration:
                    p = {"phase": a.phase, "next_phase": b.phase}
                    out.append(_v("phase", p, group=[g.id], activity=[a.id, b.id]))
    return out


def check_precedence(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    prep = Prepared(problem)
    placed = _placed(prep, result)
    out = []
    for k, pr in enumerate(problem.precedences):
        x, y = placed.get(pr.before), placed.get(pr.after)
        if x and y and y.start < x.start + prep.act[pr.before].duration + pr.min_gap:
            p = {"min_gap": pr.min_gap, "index": k}
            out.append(_v("precedence", p, activity=[pr.before, pr.after]))
    return out


def check_grid(problem: Problem, result: ProgrammeResult) -> list[Violation]:
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


def check_presence(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    """Every activity inside the presence of each of its groups."""
    prep = Prepared(problem)
    out = []
    for pl in _placed(prep, result).values():
        a = prep.act[pl.activity]
        for gid in prep.groups_of(a):
            g = prep.group.get(gid)
            if g is None or g.presence is None:
                continue
            arrives, leaves = g.presence
            if pl.start < arrives or pl.start + a.duration > leaves:
                p = {"start": pl.start, "arrives": arrives, "leaves": leaves}
                out.append(_v("presence", p, activity=[a.id], group=[gid]))
    return out


def check_place_in_visit(problem: Problem, result: ProgrammeResult) -> list[Violation]:
    """A 'first' activity ends before any other starts; a 'last' one starts after every
    other ends."""
    prep = Prepared(problem)
    placed = _placed(prep, result)
    out = []
    for aid, pl in placed.items():
        a = prep.act[aid]
        if a.place_in_visit not in ("first", "last"):
            continue
        for bid, other in placed.items():
            b = prep.act[bid]
            if b.place_in_visit == a.place_in_visit:
                continue
            if a.place_in_visit == "first":
                broken = other.start < pl.start + a.duration
            else:
                broken = pl.start < other.start + b.duration
            if broken:
                p = {"place": a.place_in_visit}
                out.append(_v("place_in_visit", p, activity=[aid, bid]))
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
    out: list[Violation] = []
    for check in CHECKS:
        out += check(problem, result)
    return out
