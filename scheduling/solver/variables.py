"""The CP-SAT model context: variables per activity and the guard literals used to explain
infeasibility. Each rule in `rules/` states its own constraint on them (the start domains
are a tightening, not the rule); objective terms are in `objective.py`."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .model import Conflict, Params, Problem
from .prepare import Prepared, Ranges, intersect


def ranges_domain(ranges: Ranges, grid: int = 1) -> cp_model.Domain:
    """The starts of `ranges`; with a grid, only its multiples (a range of one start keeps
    it: a locked time off the grid). Used for the grid only when such a time is there;
    otherwise build_variables states start = grid * k."""
    if grid > 1:
        values: set[int] = set()
        for lo, hi in ranges:
            if lo == hi:
                values.add(lo)
            else:
                values.update(range(-(-lo // grid) * grid, hi + 1, grid))
        return cp_model.Domain.from_values(sorted(values))
    flat = []
    for lo, hi in sorted(ranges):
        flat += [lo, hi]
    return cp_model.Domain.from_flat_intervals(flat)


def span(ranges: Ranges) -> tuple[int, int]:
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


@dataclass
class Ctx:
    problem: Problem
    params: Params
    prep: Prepared
    m: cp_model.CpModel
    # explain=True: every relaxable rule instance gets a guard literal (assumption) and the
    # start domains keep only the day windows, so that any rule can be switched off.
    explain: bool = False
    # False for a pure feasibility search (no objective): bound-only constraints are left out.
    objective: bool = True
    relaxed: frozenset = frozenset()
    guards: dict = field(default_factory=dict)
    present: dict = field(default_factory=dict)
    start: dict = field(default_factory=dict)
    end: dict = field(default_factory=dict)
    interval: dict = field(default_factory=dict)
    on_day: dict = field(default_factory=dict)  # activity -> {day: literal}
    ranges: dict = field(default_factory=dict)  # activity -> {day: start ranges}
    assigned: dict = field(default_factory=dict)  # (activity, interpreter) -> literal
    covers: dict = field(default_factory=dict)  # (activity, interpreter, need idx) -> literal
    choices: dict = field(default_factory=dict)  # activity -> rules/languages.ChoiceVars
    terms: dict = field(default_factory=dict)  # term name -> linear expression (objective.py)
    pair_done: set = field(default_factory=set)
    same: dict = field(default_factory=dict)  # activity -> "keeps its previous start"
    day_travel: dict = field(default_factory=dict)  # (group, day) -> circuit travel minutes
    # The solve's deadline.Deadline (None: unbounded): build() checks it between rules and
    # the rules inside their loops over groups and interpreters (`tick`).
    deadline: object = None
    # Pair structures stated (order literals and pair constraints between two activities):
    # what grows quadratically if pairs are not restricted to activities that can meet.
    pairs: int = 0
    available: dict = field(default_factory=dict)  # (activity, interpreter) -> may_work
    # Redundant at-most-ones stated over activities that would hold one resource at a
    # common minute (rules/cliques.py).
    cliques: int = 0
    day_caps: dict = field(default_factory=dict)  # (group, day) -> most activities that fit

    def tick(self, stage: str = "model build") -> None:
        if self.deadline is not None:
            self.deadline.check(stage)

    def guard(self, rule: str, entities: dict, params: dict | None = None):
        """A literal that enables one rule instance, or None outside explain mode."""
        if not self.explain:
            return None
        key = (rule, tuple(sorted(entities.items())), tuple(sorted((params or {}).items())))
        if key not in self.guards:
            lit = self.m.new_bool_var(f"g_{rule}_{len(self.guards)}")
            if key in self.relaxed:
                self.m.add(lit == 0)
            self.guards[key] = (lit, Conflict(rule, dict(entities), params or {}))
        return self.guards[key][0]


def enforce(ct, *lits):
    lits = [x for x in lits if x is not None]
    if lits:
        ct.only_enforce_if(lits)
    return ct


def sweep_pairs(items):
    """The pairs of `items` ((earliest start, reach, key) each; reach: the last minute the
    item may still be followed by something it must keep apart from, i.e. its latest start
    + its duration + the most that must separate it from a next one) whose spans meet: sorted
    by earliest start and swept, so the work is O(n log n + pairs), never all n^2/2 pairs.
    Yields (earlier key, later key). Two items that never meet keep their order by their
    start ranges alone."""
    active: list = []  # heap of (reach, order, key): the items the next ones may meet
    for k, (lo, reach, key) in enumerate(sorted(items, key=lambda x: (x[0], x[1]))):
        while active and active[0][0] < lo:
            heapq.heappop(active)
        for _reach, _k, other in active:
            yield other, key
        heapq.heappush(active, (reach, k, key))


def reach(ctx: Ctx, aid: int, ranges, gap: int) -> tuple[int, int]:
    """(earliest start, reach) of `aid` over `ranges` with `gap` minutes after it (see
    sweep_pairs): a later activity starting after the reach can never be too close."""
    lo, hi = span(ranges)
    return lo, hi + ctx.prep.act[aid].duration + gap


def build_variables(ctx: Ctx) -> None:
    m, prep = ctx.m, ctx.prep
    for k, a in enumerate(ctx.problem.activities):
        if k % 256 == 0:
            ctx.tick()
        per_day = {}
        for d in ctx.problem.days:
            r = (
                prep.base_ranges(a, d.id, pin=False)
                if ctx.explain
                else prep.domains[a.id].get(d.id)
            )
            pin = prep.pinned_start(a) if ctx.explain else None
            if pin is not None and pin % prep.grid and d.start <= pin <= d.end - a.duration:
                # A locked time off the grid keeps its minute: the explanation model must
                # be able to hold it, or it would always blame the lock.
                r = sorted([*r, (pin, pin)])
            if r:
                per_day[d.id] = r
        ctx.ranges[a.id] = per_day
        p = m.new_bool_var(f"p{a.id}")
        ctx.present[a.id] = p
        if not per_day:
            m.add(p == 0)
            s = m.new_constant(0)
        else:
            ranges = [r for rs in per_day.values() for r in rs]
            g = prep.grid
            if g > 1 and all(lo % g == 0 for lo, _hi in ranges):
                # start = grid * k: presolve substitutes k, whose domain has no holes. M-0's
                # first programme came in 2.7-5.5 s (mean 3.7) against 4.7-7.9 s (mean 5.9)
                # with a domain of grid points, 5 runs each on a loaded machine.
                s = m.new_int_var_from_domain(ranges_domain(ranges), f"s{a.id}")
                k = m.new_int_var(span(ranges)[0] // g, span(ranges)[1] // g, f"k{a.id}")
                m.add(s == g * k)
            else:  # a locked time off the grid keeps its minute: the grid points and it
                s = m.new_int_var_from_domain(ranges_domain(ranges, g), f"s{a.id}")
        ctx.start[a.id] = s
        ctx.end[a.id] = s + a.duration
        ctx.interval[a.id] = m.new_optional_fixed_size_interval_var(s, a.duration, p, f"i{a.id}")
        lits = {}
        for did, rs in per_day.items():
            lit = m.new_bool_var(f"d{a.id}_{did}")
            lo, hi = span(rs)
            m.add(s >= lo).only_enforce_if(lit)
            m.add(s <= hi).only_enforce_if(lit)
            lits[did] = lit
        ctx.on_day[a.id] = lits
        if lits:
            m.add(sum(lits.values()) == p)
        else:
            m.add(p == 0)


def by_day(ctx: Ctx, aids: list[int]) -> dict[int, list[int]]:
    """day -> the activities of `aids` that may take place on it, in the order of `aids`:
    one pass instead of one scan of `aids` per day (a season has a hundred days)."""
    out: dict[int, list[int]] = {}
    for a in aids:
        for did in ctx.on_day[a]:
            out.setdefault(did, []).append(a)
    return out


def may_work(ctx: Ctx, a, iid: int) -> bool:
    """Whether interpreter `iid` is available at some start of `a`. Outside explain mode an
    interpreter who is not gets no assignment literal at all (the interpreter_window rule
    would fix it to 0): a pool of interpreters hired for a few days each is then not paired
    with every activity of the season. In explain mode the window is a rule that may be
    relaxed, so the literal is there."""
    if ctx.explain:
        return True
    key = (a.id, iid)
    if key not in ctx.available:
        prep = ctx.prep
        r = ranges_within(ctx, a.id, prep.window_ranges(prep.interp_windows(iid), a.duration))
        ctx.available[key] = bool(r)
    return ctx.available[key]


def ranges_within(ctx: Ctx, aid: int, windows_ranges: Ranges) -> Ranges:
    all_r = [r for rs in ctx.ranges[aid].values() for r in rs]
    return intersect(all_r, windows_ranges)
