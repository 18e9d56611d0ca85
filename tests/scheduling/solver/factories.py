"""Small problems for the solver tests. Day d runs 09:00-18:00 (minute d*1440+540..+1080)."""

from __future__ import annotations

from scheduling.solver import (
    Activity,
    Day,
    Group,
    Host,
    Interpreter,
    Params,
    Problem,
    Venue,
    Window,
)

H = 60


def day(d: int, lunch: bool = False, soft_end: int | None = None) -> Day:
    base = d * 1440
    return Day(
        d,
        base + 9 * H,
        base + 18 * H,
        base + 12 * H if lunch else 0,
        base + 14 * H if lunch else 0,
        60 if lunch else 0,
        None if soft_end is None else base + soft_end,
    )


def at(d: int, hh: float) -> int:
    """Minute of hh o'clock on day d."""
    return d * 1440 + int(hh * 60)


VENUES = (Venue(1, "Carcassonne"), Venue(2, "Villerouge"), Venue(3, "Hotel"), Venue(4, "Sarrant"))
TRAVEL = {(1, 2): 30, (1, 3): 20, (2, 3): 40, (1, 4): 120, (2, 4): 150, (3, 4): 130}


def act(aid: int, duration: int = 60, venue: int = 1, **kw) -> Activity:
    kw.setdefault("languages", ("fr",))
    return Activity(aid, f"activity {aid}", duration, venue, **kw)


def group(gid: int = 1, languages=("fr",), lodging=None, size=5, by_day=()) -> Group:
    return Group(gid, f"group {gid}", tuple(languages), lodging, size, tuple(by_day))


def host(hid: int, *windows, busy=()) -> Host:
    return Host(hid, f"host {hid}", tuple(Window(*w) for w in windows), tuple(busy))


def interp(iid: int, *directions, modes=("simultaneous", "consecutive", "whispered"), **kw):
    return Interpreter(iid, f"interpreter {iid}", tuple(directions), tuple(modes), **kw)


def problem(activities, *, days=1, lunch=False, groups=None, hosts=(), **kw) -> Problem:
    return Problem(
        days=tuple(day(d, lunch) for d in range(days)) if isinstance(days, int) else days,
        venues=kw.pop("venues", VENUES),
        travel=kw.pop("travel", TRAVEL),
        hosts=tuple(hosts),
        groups=tuple(groups) if groups is not None else (group(),),
        activities=tuple(activities),
        interpreters=tuple(kw.pop("interpreters", ())),
        **kw,
    )


# Deterministic (interleave_search + deterministic time + seed): same answer on a busy CI box.
PARAMS = Params(time_limit_s=5.0, workers=2, seed=0, deterministic=True, explain_time_limit_s=10)


def starts(result) -> dict[int, int]:
    return {pl.activity: pl.start for pl in result.placements}
