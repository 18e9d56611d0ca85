"""Cliques: redundant at-most-ones over activities that would hold one resource at the same
time (issue 18, "bounds that mean something").

A no-overlap tells CP-SAT's linear relaxation nothing: two talks of one interpreter in the
same block may both be "half present". Where an activity's time is known well enough that
it surely holds [s, e) when a literal is true, the literals of the activities that would
hold one resource (a group, a host, an exclusive room, an interpreter) at a common minute
are stated at most one, once per maximal clique of those intervals (a sweep over their
ends: an interval graph's maximal cliques are the sets alive just before an end).

The literal of an activity for a resource:
- a fixed (or locked) start: its presence, over its whole time;
- a start among a few values (`MAX_POINTS`: talks in blocks, a slot among a speaker's
  windows): one "starts at v" literal per value, over [v, v + duration);
- otherwise, where the start ranges of one day leave a compulsory part (latest start
  before earliest end): its presence that day, over that part.
For an interpreter the literal is the assignment's, and for a start among a few values one
"assigned and starts at v" literal per value: at most one talk per interpreter and block,
the statement that makes the relaxation a matching.

Only with an objective (they serve the bound), never in explain mode (no rule of the
user's); the count is kept on `ctx.cliques` (tests count them).
"""

from __future__ import annotations

from ..variables import Ctx

# Start values up to which an activity gets one literal per value (a talk among blocks).
MAX_POINTS = 12


def start_points(ctx: Ctx, aid: int) -> list[tuple[int, int]] | None:
    """[(day, start)] of every start `aid` may take, if there are at most MAX_POINTS."""
    g = ctx.prep.grid
    out = []
    for did, rs in ctx.ranges[aid].items():
        for lo, hi in rs:
            first = lo if lo == hi else -(-lo // g) * g
            n = 1 if lo == hi else max(0, (hi - first) // g + 1)
            if len(out) + n > MAX_POINTS:
                return None
            out += [(did, v) for v in range(first, hi + 1, g)] if lo != hi else [(did, lo)]
    return out


class Placements:
    """Per activity, the (kind, day, s, e) spans it surely holds under a literal, and the
    literals, made only for activities that turn out to share a clique."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.spans: dict[int, list[tuple]] = {}
        self.value_lits: dict[tuple[int, int], object] = {}
        self.assign_lits: dict[tuple[int, int, int], object] = {}

    def of(self, aid: int) -> list[tuple]:
        if aid in self.spans:
            return self.spans[aid]
        ctx, dur = self.ctx, self.ctx.prep.act[aid].duration
        out: list[tuple] = []
        if ctx.on_day[aid]:
            pts = start_points(ctx, aid)
            if pts is not None and len(pts) == 1:
                did, v = pts[0]
                out.append(("present", did, v, v + dur))
            elif pts is not None:
                out += [("value", did, v, v + dur) for did, v in pts]
            else:
                for did, rs in ctx.ranges[aid].items():
                    lo, hi = min(r[0] for r in rs), max(r[1] for r in rs)
                    if hi < lo + dur:
                        out.append(("day", did, hi, lo + dur))
        self.spans[aid] = out
        return out

    def value_lit(self, aid: int, v: int):
        key = (aid, v)
        if key not in self.value_lits:
            self._make_values(aid)
        return self.value_lits[key]

    def _make_values(self, aid: int) -> None:
        ctx, m = self.ctx, self.ctx.m
        lits = []
        for _kind, did, v, _e in self.of(aid):
            z = m.new_bool_var(f"at{aid}_{v}")
            m.add(ctx.start[aid] == v).only_enforce_if(z)
            m.add_implication(z, ctx.on_day[aid][did])
            self.value_lits[aid, v] = z
            lits.append(z)
        m.add(sum(lits) == ctx.present[aid])

    def literal(self, aid: int, span: tuple, iid: int | None = None):
        """The literal under which `aid` holds `span`: for the activity (iid None) or for
        its interpreter `iid`."""
        ctx = self.ctx
        kind, did, v, _e = span
        if iid is None:
            if kind == "present":
                return ctx.present[aid]
            if kind == "day":
                return ctx.on_day[aid][did]
            return self.value_lit(aid, v)
        y = ctx.assigned[aid, iid]
        if kind == "present":
            return y
        if kind == "day":
            return None  # assigned and on that day: no literal of its own (one-day ones: y)
        key = (aid, iid, v)
        if key not in self.assign_lits:
            self._make_assignments(aid, iid)
        return self.assign_lits[key]

    def _make_assignments(self, aid: int, iid: int) -> None:
        """w[v] <=> assigned and starts at v, for the starts inside the interpreter's
        windows (the others get none: w = 0); sum of w = assigned."""
        ctx = self.ctx
        m, y, prep = ctx.m, ctx.assigned[aid, iid], ctx.prep
        ok = prep.window_ranges(prep.interp_windows(iid), prep.act[aid].duration)
        ws = []
        for _kind, _did, v, _e in self.of(aid):
            if not any(lo <= v <= hi for lo, hi in ok):
                self.assign_lits[aid, iid, v] = None
                continue
            z = self.value_lit(aid, v)
            w = m.new_bool_var(f"ya{aid}_{iid}_{v}")
            # Linear, not clauses: the linear relaxation (linearization level 1) keeps
            # linear constraints; w <= z is what makes the at-most-ones a matching.
            m.add(w <= z)
            m.add(w >= y + z - 1)
            self.assign_lits[aid, iid, v] = w
            ws.append(w)
        m.add(sum(ws) == y)


def maximal_cliques(items):
    """The maximal cliques (lists of keys) of the intervals `items` ((start, end, key) each,
    half-open), by one sweep: a clique is complete when an interval ends after one began."""
    events = sorted(
        [(e, 0, k) for k, (_s, e, _key) in enumerate(items)]
        + [(s, 1, k) for k, (s, _e, _key) in enumerate(items)]
    )
    active: dict[int, None] = {}
    grown = False
    for _x, kind, k in events:
        if kind == 1:
            active[k] = None
            grown = True
        else:
            if grown:
                yield [items[j][2] for j in active]
                grown = False
            del active[k]


def _state(ctx: Ctx, place: Placements, aids, iid: int | None = None) -> None:
    items = []
    for aid in aids:
        for span in place.of(aid):
            if span[2] < span[3]:
                items.append((span[2], span[3], (aid, span)))
    if len(items) < 2:
        return
    for clique in maximal_cliques(items):
        if len({aid for aid, _span in clique}) < 2:
            continue  # one activity's own values: already at most one (sum = present)
        lits = []
        for aid, span in clique:
            if iid is not None and span[0] == "day":
                if len(ctx.on_day[aid]) != 1:
                    continue  # a sub-clique without it is still valid
                lits.append(ctx.assigned[aid, iid])
                continue
            lit = place.literal(aid, span, iid)
            if lit is not None:
                lits.append(lit)
        if len(lits) >= 2:
            ctx.m.add_at_most_one(lits)
            ctx.cliques += 1


def add_cliques(ctx: Ctx) -> None:
    if ctx.explain or not ctx.objective:
        return
    prep = ctx.prep
    place = Placements(ctx)
    for g in ctx.problem.groups:
        ctx.tick()
        _state(ctx, place, prep.acts_by_group.get(g.id, []))
    by_host: dict[int, list[int]] = {}
    for a in ctx.problem.activities:
        for hid in a.hosts:
            by_host.setdefault(hid, []).append(a.id)
    for aids in by_host.values():
        _state(ctx, place, aids)
    for v in ctx.problem.venues:
        if v.exclusive:
            _state(ctx, place, [a.id for a in ctx.problem.activities if a.venue == v.id])
    by_interp: dict[int, list[int]] = {}
    for aid, iid in ctx.assigned:
        by_interp.setdefault(iid, []).append(aid)
    for iid, aids in by_interp.items():
        ctx.tick()
        for aid in aids:
            if any(span[0] == "value" for span in place.of(aid)):
                # Its starts under this interpreter: only those inside their windows (the
                # relaxation of the window rule alone lets a talk take a block they are away)
                place.literal(aid, place.of(aid)[0], iid)
        _state(ctx, place, aids, iid)
