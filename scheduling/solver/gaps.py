"""The gaps fixed activities leave in a group's day (issue 18, L's plenaries).

A mandatory activity with one possible start (a plenary every group attends at a fixed
time) holds its groups then, whatever else the programme does: their other activities fit
only between such blocks, travel to and from them included. Both the main model's
redundant knapsacks (rules/bounds.py add_gaps) and the relaxation (relaxation.py) put each
such activity in one gap and count its minutes there; this says what the gaps are.
"""

from __future__ import annotations

from .prepare import Prepared

# (group, day) -> [(start, end, venue)] of the group's fixed activities.
Blocks = dict[tuple[int, int], list[tuple[int, int, int]]]


def fixed_blocks(prep: Prepared, ranges: dict) -> Blocks:
    """(group, day) -> (start, end, venue) of the group's mandatory activities with one
    possible start over `ranges` (activity -> {day: start ranges})."""
    out: Blocks = {}
    for a in prep.p.activities:
        if not a.mandatory or not is_fixed(ranges, a.id):
            continue
        ((did, ((s, _s),)),) = ranges[a.id].items()
        for gid in prep.groups_of(a):
            out.setdefault((gid, did), []).append((s, s + a.duration, a.venue))
    return out


def is_fixed(ranges: dict, aid: int) -> bool:
    """One possible start over all days."""
    per_day = ranges.get(aid, {})
    return len(per_day) == 1 and all(len(r) == 1 and r[0][0] == r[0][1] for r in per_day.values())


def segments(prep: Prepared, ranges: dict, aid: int, did: int, blocks: Blocks):
    """The start ranges of `aid` on `did` that keep it clear of its groups' fixed
    activities (`blocks`, travel to and from them included): one (earliest, latest start)
    per gap between them."""
    a = prep.act[aid]
    cuts = []  # starts s with end > b0 - travel back and s < b1 + travel there are out
    for gid in prep.groups_of(a):
        for b0, b1, u in blocks.get((gid, did), ()):
            cuts.append((b0 - prep.t(a.venue, u) - a.duration + 1, b1 + prep.t(u, a.venue) - 1))
    out = []
    for lo, hi in ranges[aid][did]:
        pieces = [(lo, hi)]
        for c0, c1 in cuts:
            pieces = [
                piece
                for p0, p1 in pieces
                for piece in ((p0, min(p1, c0 - 1)), (max(p0, c1 + 1), p1))
                if piece[0] <= piece[1]
            ]
        out += pieces
    # Ranges of one gap (the grid's holes, host windows) count as one segment.
    merged: list[list[int]] = []
    for lo, hi in sorted(out):
        if merged and not any(merged[-1][1] < c0 <= c1 < lo for c0, c1 in cuts):
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def blocked(prep: Prepared, blocks: Blocks, aid: int, did: int) -> bool:
    """Whether a group of `aid` has a fixed activity on `did`."""
    return any((g, did) in blocks for g in prep.groups_of(prep.act[aid]))
