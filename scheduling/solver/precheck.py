"""Checks that run in microseconds before CP-SAT and name the cause directly.

Data errors give status 'invalid'; impossibilities visible on one activity give 'infeasible'.
Only mandatory (or locked) activities make the problem infeasible: an optional one that cannot
happen is simply left out by the solver.
"""

from __future__ import annotations

import itertools

from .model import HORIZON, INT32, MODES, PLACES_IN_VISIT, Conflict, Problem, SolveStatus
from .prepare import Prepared, intersect

INVALID_RULES = frozenset(
    {
        "no_activities",
        "no_days",
        "duplicate_id",
        "unknown_reference",
        "missing_travel",
        "locked_without_previous",
        "bad_value",
        "day_overlap",
    }
)


def check_data(prep: Prepared) -> list[Conflict]:
    p: Problem = prep.p
    out: list[Conflict] = []
    if not p.activities:
        out.append(Conflict("no_activities"))
    if not p.days:
        out.append(Conflict("no_days"))
    for kind, items in (
        ("day", p.days),
        ("venue", p.venues),
        ("host", p.hosts),
        ("group", p.groups),
        ("activity", p.activities),
        ("interpreter", p.interpreters),
    ):
        seen: set[int] = set()
        for x in items:
            if x.id in seen:
                out.append(Conflict("duplicate_id", {kind: (x.id,)}))
            seen.add(x.id)

    def ref(kind, table, ident, where, owner):
        if ident is not None and ident not in table:
            out.append(Conflict("unknown_reference", {kind: (ident,), **owner}, {"field": where}))

    for a in p.activities:
        own = {"activity": (a.id,)}
        ref("venue", prep.venue, a.venue, "venue", own)
        for h in a.hosts:
            ref("host", prep.host, h, "hosts", own)
        for g in a.groups:
            ref("group", prep.group, g, "groups", own)
        if a.duration <= 0:
            out.append(Conflict("bad_value", own, {"field": "duration", "value": a.duration}))
        if a.interpretation_mode not in MODES:
            out.append(
                Conflict(
                    "bad_value",
                    own,
                    {"field": "interpretation_mode", "value": a.interpretation_mode},
                )
            )
    for g in p.groups:
        own = {"group": (g.id,)}
        ref("venue", prep.venue, g.lodging_venue, "lodging_venue", own)
        seen_days: set[int] = set()
        for k, (did, venue) in enumerate(g.lodging_by_day):
            # The field names the path, e.g. groups[].lodging_by_day[2][1]: the pair's venue.
            ref("day", prep.day, did, f"lodging_by_day[{k}][0]", own)
            ref("venue", prep.venue, venue, f"lodging_by_day[{k}][1]", own)
            if did in seen_days:
                out.append(
                    Conflict(
                        "duplicate_id",
                        {"day": (did,), **own},
                        {"field": f"lodging_by_day[{k}][0]"},
                    )
                )
            seen_days.add(did)
    for i in p.interpreters:
        ref("venue", prep.venue, i.home_venue, "home_venue", {"interpreter": (i.id,)})
    for k, pr in enumerate(p.precedences):
        for aid in (pr.before, pr.after):
            ref("activity", prep.act, aid, f"precedences[{k}]", {})
    for aid in sorted(p.locked):
        ref("activity", prep.act, aid, "locked", {})
        if aid in prep.act and aid not in prep.prev:
            out.append(Conflict("locked_without_previous", {"activity": (aid,)}))
    # Previous placements of activities that no longer exist are simply ignored (deleted
    # since the last version); their disappearance is not a move.
    for d in p.days:
        if d.end <= d.start:
            out.append(Conflict("bad_value", {"day": (d.id,)}, {"field": "end", "value": d.end}))
    out += check_times(prep)
    if not any(c.rule == "unknown_reference" for c in out):
        for u, v in prep.missing_travel:
            out.append(Conflict("missing_travel", {"venue": (u, v)}))
    return out


def _bad(kind: str, ident: int, field: str, value, **more) -> Conflict:
    return Conflict("bad_value", {kind: (ident,)}, {"field": field, "value": value, **more})


def check_times(prep: Prepared) -> list[Conflict]:
    """Times the solver would misread: beyond the horizon, days that overlap (a group would
    travel in no time between them), a lunch window shorter than the lunch, a fixed start
    off the time grid, an empty presence."""
    p, out = prep.p, []
    if not 1 <= p.time_grid <= 24 * 60:
        out.append(Conflict("bad_value", {}, {"field": "time_grid", "value": p.time_grid}))

    def time(kind, ident, field, value):
        if value is not None and not -HORIZON <= value <= HORIZON:
            out.append(_bad(kind, ident, field, value, reason="beyond_horizon"))

    for d in p.days:
        for field in ("start", "end", "lunch_start", "lunch_end", "soft_end"):
            time("day", d.id, field, getattr(d, field))
        if d.lunch_min > 0 and d.lunch_end - d.lunch_start < d.lunch_min:
            out.append(_bad("day", d.id, "lunch_end", d.lunch_end, reason="lunch_window_short"))
    days = sorted(p.days, key=lambda d: (d.start, d.id))
    for x, y in itertools.pairwise(days):
        if y.start < x.end:
            out.append(Conflict("day_overlap", {"day": (x.id, y.id)}, {"field": "start"}))

    def int32(kind, ident, field, value):
        if not -INT32 - 1 <= value <= INT32:
            out.append(_bad(kind, ident, field, value, reason="beyond_32_bits"))

    for a in p.activities:
        for field in ("earliest", "latest", "fixed_start", "duration"):
            time("activity", a.id, field, getattr(a, field))
        int32("activity", a.id, "value", a.value)
        if a.fixed_start is not None and a.fixed_start % max(1, p.time_grid):
            out.append(_bad("activity", a.id, "fixed_start", a.fixed_start, reason="off_grid"))
        if a.place_in_visit not in PLACES_IN_VISIT:
            out.append(_bad("activity", a.id, "place_in_visit", a.place_in_visit))
    for kind, people in (("host", p.hosts), ("interpreter", p.interpreters)):
        for x in people:
            for k, w in enumerate(x.windows):
                time(kind, x.id, f"windows[{k}].start", w.start)
                time(kind, x.id, f"windows[{k}].end", w.end)
            for k, (b0, b1) in enumerate(x.busy):
                time(kind, x.id, f"busy[{k}][0]", b0)
                time(kind, x.id, f"busy[{k}][1]", b1)
    for i in p.interpreters:
        time("interpreter", i.id, "daily_cap", i.daily_cap)
    for (u, v), minutes in p.travel.items():
        if not -HORIZON <= minutes <= HORIZON:
            out.append(
                Conflict(
                    "bad_value",
                    {"venue": (u, v)},
                    {"field": "travel", "value": minutes, "reason": "beyond_horizon"},
                )
            )
    for k, pr in enumerate(p.precedences):
        if not -HORIZON <= pr.min_gap <= HORIZON:
            out.append(
                Conflict(
                    "bad_value",
                    {"activity": (pr.before, pr.after)},
                    {"field": f"precedences[{k}].min_gap", "value": pr.min_gap},
                )
            )
    for g in p.groups:
        int32("group", g.id, "size", g.size)
        if g.presence is not None:
            time("group", g.id, "presence[0]", g.presence[0])
            time("group", g.id, "presence[1]", g.presence[1])
            if g.presence[1] <= g.presence[0]:
                out.append(_bad("group", g.id, "presence[1]", g.presence[1]))
    for pl in p.previous:
        time("activity", pl.activity, "previous.start", pl.start)
    return out


def check_feasibility(prep: Prepared) -> list[Conflict]:
    p, out = prep.p, []
    for a in p.activities:
        if not (a.mandatory or a.id in p.locked):
            continue
        own = {"activity": (a.id,)}
        longest = max(d.end - d.start for d in p.days)
        if a.duration > longest:
            out.append(Conflict("day_window", own, {"duration": a.duration, "longest": longest}))
            continue
        base = {d.id: prep.base_ranges(a, d.id) for d in p.days}
        if not any(base.values()):
            culprit = _grid_or_presence(prep, a)
            if culprit is not None:
                out.append(culprit)
                continue
            pin = prep.pinned_start(a)
            if a.fixed_start is not None:
                rule = "fixed_start"
            elif pin is not None:
                rule = "locked"
            else:
                rule = "time_window"
            out.append(
                Conflict(
                    rule,
                    own,
                    {"earliest": a.earliest, "latest": a.latest, "start": pin},
                )
            )
            continue
        all_base = [r for rs in base.values() for r in rs]
        combined = all_base
        for hid in a.hosts:
            h = prep.host[hid]
            if not h.windows:
                out.append(Conflict("host_no_windows", {"activity": (a.id,), "host": (hid,)}))
                combined = []
                continue
            r = prep.window_ranges(prep.host_windows(hid), a.duration)
            if not intersect(all_base, r):
                out.append(
                    Conflict(
                        "host_window",
                        {"activity": (a.id,), "host": (hid,)},
                        {"duration": a.duration, "start": prep.pinned_start(a)},
                    )
                )
                combined = []
                continue
            combined = intersect(combined, r)
        if a.hosts and not combined and not any(c.entities.get("activity") == (a.id,) for c in out):
            out.append(
                Conflict(
                    "host_window",
                    {"activity": (a.id,), "host": tuple(a.hosts)},
                    {"duration": a.duration},
                )
            )
        if not prep.domains[a.id] and not any(
            c.entities.get("activity", (None,))[0] == a.id for c in out
        ):
            # Each rule alone leaves a start but together they leave none on the grid
            # (a host window that holds the meeting only at 09:02): never drop it silently.
            out.append(
                Conflict(
                    "grid" if prep.grid > 1 else "host_window",
                    {"activity": (a.id,), "host": tuple(a.hosts)},
                    {"grid": prep.grid, "duration": a.duration},
                )
            )
            continue
        out += _with_policy(prep, _interpretation(prep, a))
    return out


def _grid_or_presence(prep: Prepared, a) -> Conflict | None:
    """The conflict when only the groups' presence or the time grid leaves `a` no start."""
    days = prep.p.days
    if not any(prep.base_ranges(a, d.id, grid=False, presence=False) for d in days):
        return None
    if not any(prep.base_ranges(a, d.id, grid=False) for d in days):
        span = prep.presence(a)
        groups = tuple(
            g for g in prep.groups_of(a) if g in prep.group and prep.group[g].presence is not None
        )
        params = {"arrives": span[0], "leaves": span[1], "duration": a.duration}
        params["start"] = prep.pinned_start(a)
        return Conflict("presence", {"activity": (a.id,), "group": groups}, params)
    return Conflict(
        "grid",
        {"activity": (a.id,)},
        {"grid": prep.grid, "earliest": a.earliest, "latest": a.latest, "duration": a.duration},
    )


def _with_policy(prep: Prepared, conflicts: list[Conflict]) -> list[Conflict]:
    """Team strength comes from the visit's policy: its sentence says which one applies."""
    policy = prep.p.interpretation.policy
    return [
        Conflict(c.rule, c.entities, {**c.params, "policy": policy})
        if c.rule == "team_strength"
        else c
        for c in conflicts
    ]


def _interpretation(prep: Prepared, a) -> list[Conflict]:
    if prep.has_choice(a):
        return []  # another choice may need other interpreters: CP-SAT explains
    needs = prep.needs(a)
    if not needs:
        return []
    own = {"activity": (a.id,)}
    out = []
    team = prep.team(a)
    mode = a.interpretation_mode
    if team is None:
        return [
            Conflict("team_strength", own, {"mode": mode, "duration": a.duration, "team": None})
        ]
    union: set[int] = set()
    for need in needs:
        q = prep.qualified(a, need)
        union |= set(q)
        if not q:
            out.append(
                Conflict(
                    "interpretation",
                    own,
                    {"kind": need.kind, "language": need.language, "mode": mode},
                )
            )
        elif mode != "consecutive" and len(q) < team:
            out.append(
                Conflict(
                    "team_strength",
                    {"activity": (a.id,), "interpreter": tuple(q)},
                    {"mode": mode, "duration": a.duration, "team": team, "language": need.language},
                )
            )
        if mode == "whispered" and need.kind == "into":
            n = prep.listeners(a, need.language)
            if n > prep.whisper_max:
                out.append(
                    Conflict(
                        "whisper_listeners",
                        own,
                        {
                            "language": need.language,
                            "listeners": n,
                            "max": prep.whisper_max,
                        },
                    )
                )
    if mode != "consecutive" and not out and len(union) < team * len(needs):
        # One booth per need: each interpreter serves one need of the activity at a time.
        out.append(
            Conflict(
                "team_strength",
                {"activity": (a.id,), "interpreter": tuple(sorted(union))},
                {"mode": mode, "duration": a.duration, "team": team, "needs": len(needs)},
            )
        )
    if mode == "consecutive" and union and len(union) < team and not out:
        out.append(
            Conflict(
                "team_strength",
                {"activity": (a.id,), "interpreter": tuple(sorted(union))},
                {"mode": mode, "duration": a.duration, "team": team},
            )
        )
    return out


def precheck(prep: Prepared) -> tuple[SolveStatus | None, list[Conflict]]:
    """('invalid'|'infeasible'|None, conflicts)."""
    data = check_data(prep)
    if data:
        return SolveStatus.INVALID, data
    feas = check_feasibility(prep)
    if feas:
        return SolveStatus.INFEASIBLE, feas
    return None, []
