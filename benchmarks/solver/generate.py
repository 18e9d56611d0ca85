"""Seeded generator of the three benchmark families of issue 3.

S  the Aude size: 5 days, ~25 activities, 2 languages, 1 group, 2 interpreters
M  5 days, 60 activities, 3 languages, 2 sub-groups, 6 interpreters, 40 hosts
L  a forum: 3 days, 300 sessions, 15 rooms (exclusive), 5 languages, 30 interpreters
XL a season of visits (issue 18), any size: `--activities N` (default 3000); N/30
   delegations of five days each over N/100 days (at least 5), each with its own language,
   lodging, hosts and two interpreters hired for its stay

Instances are random but plausible (host windows of half-days and days, travel from
coordinates); they are not guaranteed feasible, the run reports what the solver finds.
`python benchmarks/solver/generate.py M 3` prints instance M seed 3 as JSON;
`python benchmarks/solver/generate.py XL 0 --activities 10000` a season of 10,000.
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scheduling.solver import (  # noqa: E402
    Activity,
    Day,
    Group,
    Host,
    Interpreter,
    Precedence,
    Problem,
    Venue,
    Window,
)
from scheduling.solver.io import problem_to_dict  # noqa: E402

MODES = ("simultaneous", "consecutive", "whispered")


def _days(n: int) -> tuple[Day, ...]:
    return tuple(
        Day(d, d * 1440 + 510, d * 1440 + 1140, d * 1440 + 720, d * 1440 + 840, 60, d * 1440 + 1080)
        for d in range(n)
    )


def _venues_travel(rng: random.Random, n: int, km: float):
    pts = [(rng.uniform(0, km), rng.uniform(0, km)) for _ in range(n)]
    venues = tuple(Venue(i + 1, f"venue {i + 1}") for i in range(n))
    travel = {}
    for i in range(n):
        for j in range(i + 1, n):
            d = math.dist(pts[i], pts[j]) * 1.3
            travel[i + 1, j + 1] = max(5, 5 * math.ceil(d / 70 * 60 / 5))
    return venues, travel


def _host_windows(rng: random.Random, days: tuple[Day, ...], k: int) -> tuple[Window, ...]:
    """k half-day or full-day windows on distinct days; sometimes one is preferred."""
    out = []
    for d in rng.sample(days, min(k, len(days))):
        kind = rng.choice(("morning", "afternoon", "day", "day"))
        s, e = {
            "morning": (d.start, d.start + 240),
            "afternoon": (d.start + 330, d.end),
            "day": (d.start, d.end),
        }[kind]
        out.append(Window(s, e, rng.random() < 0.3))
    return tuple(sorted(out, key=lambda w: w.start))


def delegation(family: str, seed: int) -> Problem:
    rng = random.Random(f"{family}-{seed}")
    cfg = {
        "S": dict(acts=25, groups=1, hosts=12, venues=8, km=80, durations=(60, 60, 90, 90, 120)),
        "M": dict(acts=60, groups=2, hosts=40, venues=15, km=100, durations=(45, 60, 60, 90)),
    }[family]
    days = _days(5)
    venues, travel = _venues_travel(rng, cfg["venues"], cfg["km"])
    lodging = 1
    if family == "S":
        groups = (Group(1, "delegation", ("en", "fr"), lodging, 5),)
        interpreters = tuple(
            Interpreter(
                i, f"interpreter {i}", (("fr", "en"), ("en", "fr")), MODES, home_venue=lodging
            )
            for i in (1, 2)
        )
        spoken_choices = [("fr",)] * 3 + [("fr", "en")] * 2
    else:
        groups = (
            Group(1, "anglophone", ("en", "fr"), lodging, 6),
            Group(2, "hispanophone", ("es", "fr"), lodging, 5),
        )
        interpreters = tuple(
            Interpreter(i, f"interpreter {i}", dirs, MODES, home_venue=lodging)
            for i, dirs in enumerate(
                [(("fr", "en"), ("es", "en"), ("en", "fr"))] * 3
                + [(("fr", "es"), ("en", "es"), ("es", "fr"))] * 3,
                start=1,
            )
        )
        spoken_choices = [("fr",)] * 2 + [("fr", "en", "es")] * 2 + [("en",)]
    # A planted day per activity keeps instances mostly feasible: each host is available on
    # the planted days of its activities (plus random half-days), and each day carries
    # about the same load.
    acts, planted = [], {}
    host_days: dict[int, set[int]] = {h: set() for h in range(1, cfg["hosts"] + 1)}
    for k in range(1, cfg["acts"] + 1):
        # M: most activities are for one sub-group (two groups of 60 whole-delegation
        # activities could not fit in five days).
        sub = cfg["groups"] > 1 and rng.random() < 0.8
        aud = (rng.choice([g.id for g in groups]),) if sub else ()
        spoken = rng.choice(spoken_choices)
        whole3 = not sub and cfg["groups"] > 1 and len(spoken) == 1
        h = rng.randint(1, cfg["hosts"])
        planted[k] = (k - 1) % len(days)
        host_days[h].add(planted[k])
        acts.append(
            Activity(
                k,
                f"activity {k}",
                rng.choice(cfg["durations"]),
                rng.randint(2, len(venues)),
                hosts=(h,),
                languages=spoken,
                groups=aud,
                mandatory=rng.random() < 0.7,
                value=rng.randint(1, 6),
                interpretation_mode="simultaneous" if whole3 else "consecutive",
                two_way=not whole3 and rng.random() < 0.3,
            )
        )
    hosts = []
    for h, ds in host_days.items():
        wins = [Window(days[d].start, days[d].end, rng.random() < 0.3) for d in sorted(ds)]
        wins += [x for x in _host_windows(rng, days, 1) if x.start // 1440 not in ds]
        hosts.append(Host(h, f"host {h}", tuple(sorted(wins, key=lambda x: x.start))))
    hosts = tuple(hosts)
    pairs = [(a, b) for a in planted for b in planted if planted[a] < planted[b]]
    precs = tuple(Precedence(a, b, 0) for a, b in rng.sample(pairs, len(acts) // 10))
    return Problem(days, venues, travel, hosts, groups, tuple(acts), precs, interpreters)


LANGS = ("fr", "en", "es", "pt", "ar")


def forum(seed: int) -> Problem:
    """A three-day forum in one conference centre: rooms are exclusive, 0-minute walks."""
    rng = random.Random(f"L-{seed}")
    days = _days(3)
    venues = tuple(Venue(i, f"room {i}", exclusive=True) for i in range(1, 16))
    travel = {(i, j): 0 for i in range(1, 16) for j in range(i + 1, 16)}
    groups = tuple(
        Group(g, f"cohort {g}", (LANGS[(g - 1) % 5],), None, rng.randint(8, 25))
        for g in range(1, 26)
    )
    interpreters = tuple(
        Interpreter(
            i,
            f"interpreter {i}",
            tuple((s, LANGS[(i - 1) % 5]) for s in LANGS if s != LANGS[(i - 1) % 5]),
            ("simultaneous",),
        )
        for i in range(1, 31)
    )
    acts = []
    k = 0
    for d in days:  # three plenaries a day in room 1, for everyone
        for start in (d.start + 30, d.start + 360, d.end - 90):
            k += 1
            acts.append(
                Activity(
                    k,
                    f"plenary {k}",
                    60,
                    1,
                    (),
                    ("fr", "en"),
                    (),
                    True,
                    0,
                    fixed_start=start,
                    interpretation_mode="simultaneous",
                )
            )
    speaker_days: dict[int, set[int]] = {h: set() for h in range(1, 151)}
    while k < 300:
        k += 1
        speaker = rng.randint(1, 150)
        speaker_days[speaker].add(k % 3)  # planted day: speakers come for their sessions
        g = rng.choice(groups)
        aud = (g.id,) if rng.random() < 0.85 else tuple(sorted({g.id, rng.choice(groups).id}))
        spoken = g.languages if rng.random() < 0.6 else (rng.choice(LANGS),)
        acts.append(
            Activity(
                k,
                f"session {k}",
                rng.choice((45, 60, 60, 90)),
                rng.randint(2, 15),
                hosts=(speaker,),
                languages=spoken,
                groups=aud,
                mandatory=rng.random() < 0.4,
                value=rng.randint(1, 6),
                interpretation_mode="simultaneous",
            )
        )
    hosts = tuple(
        Host(h, f"speaker {h}", tuple(Window(days[d].start, days[d].end) for d in sorted(ds)))
        for h, ds in speaker_days.items()
    )
    return Problem(days, venues, travel, hosts, groups, tuple(acts), (), interpreters)


SEASON_LANGS = ("en", "es", "de", "ar")


def season(n: int, seed: int = 0) -> Problem:
    """A season of delegation visits with `n` activities in all (issue 18's scale figures).

    n // 30 delegations (30 activities each, the last one the rest), each present for five
    consecutive days of a season of max(5, n // 100) days, so that about 17 visits overlap
    whatever n: what grows with n is the number of visits, not what one visit holds. Each
    delegation listens in its own language (en, es, de or ar); 30 % of its activities are
    spoken in French and interpreted (consecutive) by its two interpreters, hired for its
    stay, but any interpreter of that language who is there may take them. Hosts (n // 3)
    are available on the days of their activities (a planted day each, inside the visit)
    and one more half-day. 40 venues in a city (5-40 km apart); lunch every day; a precedence per 20
    activities inside a visit. Mostly feasible, not guaranteed."""
    rng = random.Random(f"XL-{n}-{seed}")
    n_days = max(5, n // 100)
    days = _days(n_days)
    venues, travel = _venues_travel(rng, 40, 40)
    n_groups = max(1, n // 30)
    groups, interpreters, acts, planted, visit = [], [], [], {}, {}
    n_hosts = max(1, n // 3)
    host_days: dict[int, set[int]] = {h: set() for h in range(1, n_hosts + 1)}
    for g in range(1, n_groups + 1):
        lang = SEASON_LANGS[g % len(SEASON_LANGS)]
        lodging = rng.randint(1, len(venues))
        first = rng.randint(0, n_days - 5)
        stay = (days[first].start, days[first + 4].end)
        groups.append(Group(g, f"delegation {g}", (lang,), lodging, 5, presence=stay))
        for k in (1, 2):
            interpreters.append(
                Interpreter(
                    2 * g - 2 + k,
                    f"interpreter {2 * g - 2 + k}",
                    (("fr", lang), (lang, "fr")),
                    ("consecutive",),
                    windows=(Window(*stay),),
                    home_venue=lodging,
                )
            )
        size = 30 if g < n_groups else n - 30 * (n_groups - 1)
        for j in range(size):
            aid = len(acts) + 1
            h = rng.randint(1, n_hosts)
            planted[aid] = first + j % 5
            visit[aid] = g
            host_days[h].add(planted[aid])
            acts.append(
                Activity(
                    aid,
                    f"activity {aid}",
                    rng.choice((45, 60, 60, 90)),
                    rng.randint(1, len(venues)),
                    hosts=(h,),
                    languages=("fr",) if rng.random() < 0.3 else (lang,),
                    groups=(g,),
                    mandatory=rng.random() < 0.6,
                    value=rng.randint(1, 6),
                    interpretation_mode="consecutive",
                )
            )
    hosts = []
    for h, ds in host_days.items():
        wins = [Window(days[d].start, days[d].end, rng.random() < 0.3) for d in sorted(ds)]
        wins += [x for x in _host_windows(rng, days, 1) if x.start // 1440 not in ds]
        hosts.append(Host(h, f"host {h}", tuple(sorted(wins, key=lambda x: x.start))))
    by_visit: dict[int, list[int]] = {}
    for aid, g in visit.items():
        by_visit.setdefault(g, []).append(aid)
    precs = []
    for _ in range(n // 20):
        aids = by_visit[rng.randint(1, n_groups)]
        a, b = rng.sample(aids, 2)
        if planted[a] != planted[b]:
            precs.append(Precedence(*sorted((a, b), key=lambda x: planted[x])))
    return Problem(
        days,
        venues,
        travel,
        tuple(hosts),
        tuple(groups),
        tuple(acts),
        tuple(precs),
        tuple(interpreters),
    )


def generate(family: str, seed: int, activities: int | None = None) -> Problem:
    """Instance `seed` of a family; XL takes its size (`activities`, default 3000)."""
    if family == "XL":
        return season(activities or 3000, seed)
    return forum(seed) if family == "L" else delegation(family, seed)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="print one benchmark instance as JSON")
    ap.add_argument("family", choices=("S", "M", "L", "XL"))
    ap.add_argument("seed", type=int, nargs="?", default=0)
    ap.add_argument("--activities", type=int, help="XL only: its number of activities")
    args = ap.parse_args()
    print(json.dumps(problem_to_dict(generate(args.family, args.seed, args.activities))))
