"""Peer: PyCon UK's conference-scheduler (PuLP + CBC) on instances reduced to what it can
express -- talks into fixed slots of fixed rooms, speaker unavailability, audience clashes --
against our solver on the same instances (slots emulated by host windows equal to the slots).
Needs the optional `bench` extra (conference-scheduler, PuLP).

    .venv/bin/python benchmarks/solver/conference.py [--events 40] [--seeds 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scheduling.solver import (
    Activity,
    Day,
    Group,
    Host,
    Params,
    Problem,
    Venue,
    Weights,
    Window,
    solve_programme,
    validate,
)

SLOT_STARTS = (540, 645, 840, 945)  # 09:00, 10:45, 14:00, 15:45; 90-minute talks
DUR = 90


def instance(seed: int, n_events: int, rooms: int = 6, days: int = 2, groups: int = 10):
    rng = random.Random(seed)
    speakers = {s: sorted(rng.sample(range(days), rng.choice((1, 2)))) for s in range(25)}
    events = []
    for e in range(n_events):
        events.append(
            dict(
                id=e + 1,
                room=e % rooms,
                group=rng.randrange(groups),
                speaker=rng.randrange(25),
            )
        )
    return dict(rooms=rooms, days=days, groups=groups, speakers=speakers, events=events)


def ours(inst):
    days = tuple(Day(d, d * 1440 + 540, d * 1440 + 1035) for d in range(inst["days"]))
    venues = tuple(Venue(r + 1, f"room {r + 1}", exclusive=True) for r in range(inst["rooms"]))
    travel = {(a.id, b.id): 0 for a in venues for b in venues if a.id < b.id}
    hosts = tuple(
        Host(
            s + 1,
            f"speaker {s}",
            tuple(Window(d * 1440 + t, d * 1440 + t + DUR) for d in ds for t in SLOT_STARTS),
        )
        for s, ds in inst["speakers"].items()
    )
    groups = tuple(Group(g + 1, f"group {g}") for g in range(inst["groups"]))
    acts = tuple(
        Activity(
            e["id"],
            f"talk {e['id']}",
            DUR,
            e["room"] + 1,
            (e["speaker"] + 1,),
            (),
            (e["group"] + 1,),
        )
        for e in inst["events"]
    )
    p = Problem(days, venues, travel, hosts, groups, acts)
    zero = Weights(*(0 for _f in dataclasses.fields(Weights)))
    t0 = time.perf_counter()
    r = solve_programme(
        p,
        Params(
            time_limit_s=60, weights=zero, strategy="weighted", sequencing="pairwise", explain=False
        ),
    )
    wall = time.perf_counter() - t0
    assert not r.placements or validate(p, r) == []
    return r.status, wall


def theirs(inst):
    from conference_scheduler import scheduler
    from conference_scheduler.resources import Event, Slot

    base = datetime(2009, 4, 23)
    slots = [
        Slot(
            venue=f"room {r}",
            starts_at=base + timedelta(days=d, minutes=t),
            duration=DUR,
            capacity=100,
            session=f"{d}-{k // 2}",
        )
        for r in range(inst["rooms"])
        for d in range(inst["days"])
        for k, t in enumerate(SLOT_STARTS)
    ]
    events = [Event(f"talk {e['id']}", DUR, 10) for e in inst["events"]]
    for ev, e in zip(events, inst["events"], strict=True):
        ev.add_unavailability(
            *[
                s
                for s in slots
                if s.venue != f"room {e['room']}"
                or (s.starts_at - base).days not in inst["speakers"][e["speaker"]]
            ]
        )
        ev.add_unavailability(
            *[
                other
                for other, o in zip(events, inst["events"], strict=True)
                if other is not ev and (o["group"] == e["group"] or o["speaker"] == e["speaker"])
            ]
        )
    import pulp

    t0 = time.perf_counter()
    try:
        scheduler.schedule(events, slots, solver=pulp.PULP_CBC_CMD(msg=False, timeLimit=60))
        status = "optimal"
    except ValueError:
        status = "infeasible"
    return status, time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=36)
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args(argv)
    print("| instance | events | ours | ours wall_s | conference-scheduler | its wall_s | ratio |")
    print("|---|---|---|---|---|---|---|")
    for seed in range(args.seeds):
        inst = instance(seed, args.events)
        st, wall = ours(inst)
        cst, cwall = theirs(inst)
        print(
            f"| conf-{seed} | {args.events} | {st} | {wall:.2f} | {cst} | {cwall:.2f} | "
            f"{cwall / wall:.1f}x |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
