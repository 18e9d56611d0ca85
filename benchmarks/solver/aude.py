"""The Aude delegation visit, 20-24 April 2009 (DOMAIN.md, case 1), in the problem format.

Run to (re)write benchmarks/solver/instances/aude-2009.json. Travel times are estimated from
the coordinates (great-circle distance x 1.35 road factor at 75 km/h, rounded up to 5 min),
the way the Django side estimates them when an organiser enters none.
"""

from __future__ import annotations

import json
import math
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

OUT = Path(__file__).with_name("instances") / "aude-2009.json"

# id, name, latitude, longitude
PLACES = [
    (1, "Hotel, Carcassonne (delegation lodging)", 43.2130, 2.3491),
    (2, "Conseil général de l'Aude (CG11), Carcassonne", 43.2107, 2.3530),
    (3, "Mairie de Villerouge-Termenès", 42.9770, 2.6240),
    (4, "BASE Sud Audois, Quillan", 42.8757, 2.1836),
    (5, "Librairie de Sarrant (Gers)", 43.7756, 0.9283),
    (6, "Coopérative (SCIC), Limoux", 43.0543, 2.2187),
    (7, "Restaurant, Cité de Carcassonne", 43.2063, 2.3635),
    (8, "Pays Corbières-Minervois, Lézignan-Corbières", 43.2010, 2.7570),
]


def travel_minutes(a, b) -> int:
    (_, _, la1, lo1), (_, _, la2, lo2) = a, b
    p1, p2 = math.radians(la1), math.radians(la2)
    dp, dl = p2 - p1, math.radians(lo2 - lo1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    km = 2 * 6371 * math.asin(math.sqrt(h)) * 1.35
    return max(10, 5 * math.ceil(km / 75 * 60 / 5))


def t(day: int, hh: int, mm: int = 0) -> int:
    return day * 1440 + hh * 60 + mm


MON, TUE, WED, THU, FRI = range(5)
DAYS = ["Mon 20 April", "Tue 21 April", "Wed 22 April", "Thu 23 April", "Fri 24 April"]


def w(day, h0, m0, h1, m1, preferred=False) -> Window:
    return Window(t(day, h0, m0), t(day, h1, m1), preferred)


def aude_2009() -> Problem:
    days = tuple(Day(d, t(d, 8, 30), t(d, 19), t(d, 12), t(d, 14), 60, t(d, 18)) for d in range(5))
    venues = tuple(Venue(i, name) for i, name, _, _ in PLACES)
    travel = {(a[0], b[0]): travel_minutes(a, b) for a in PLACES for b in PLACES if a[0] < b[0]}
    hosts = (
        Host(1, "Network coordinator", tuple(w(d, 8, 30, 19, 0) for d in range(5))),
        Host(
            2,
            "CG11 vice-president, social economy",
            (w(TUE, 9, 0, 12, 0, True), w(WED, 14, 0, 17, 0)),
        ),
        Host(
            3,
            "CG11 social and solidarity economy officer",
            (w(MON, 14, 0, 18, 0), w(TUE, 14, 0, 18, 0, True)),
        ),
        Host(
            4,
            "Mayor of Villerouge-Termenès (also regional councillor)",
            (w(TUE, 14, 0, 17, 0), w(THU, 9, 0, 12, 0, True)),
            busy=((t(THU, 11, 0), t(THU, 12, 0)),),
        ),  # regional council committee
        Host(5, "BASE Sud Audois director", (w(WED, 8, 30, 19, 0, True), w(THU, 8, 30, 19, 0))),
        Host(6, "Sarrant bookseller", (w(THU, 14, 0, 18, 0), w(FRI, 10, 0, 16, 0, True))),
        Host(
            7,
            "Network member (Limoux cooperative)",
            tuple(w(d, 9, 0, 17, 0, d == MON) for d in (MON, TUE, THU)),
        ),
        Host(
            8,
            "Network member, international interpreter",
            (w(MON, 14, 0, 19, 0), w(THU, 14, 0, 19, 0, True)),
        ),
        Host(
            9,
            "Pays Corbières-Minervois development officer",
            (w(TUE, 9, 0, 17, 0), w(THU, 9, 0, 17, 0)),
        ),
        Host(10, "L'Indépendant journalist", (w(MON, 16, 0, 19, 0), w(FRI, 8, 30, 12, 0))),
    )
    group = Group(1, "Delegation (Québec, Malaysia, Philippines, Burkina Faso)", ("en", "fr"), 1, 5)
    fr, both = ("fr",), ("fr", "en")

    def a(i, name, dur, venue, hosts=(), **kw):
        kw.setdefault("languages", fr)
        kw.setdefault("two_way", kw["languages"] == fr)  # meetings: guests speak too
        kw.setdefault("phase", 2)
        return Activity(i, name, dur, venue, tuple(hosts), **kw)

    activities = (
        a(1, "Welcome and programme presentation", 90, 1, (1,), fixed_start=t(MON, 9), phase=1),
        a(
            2,
            "Welcome lunch with network members",
            90,
            7,
            (1,),
            languages=both,
            meal=True,
            earliest=t(MON, 12),
            latest=t(MON, 14),
            phase=1,
        ),
        a(3, "Aude departmental council (CG11): policy meeting", 120, 2, (2,)),
        a(4, "CG11 solidarity economy service: technical meeting", 90, 2, (3,)),
        a(5, "Meeting with the mayor of Villerouge-Termenès", 90, 3, (4,)),
        a(6, "Villerouge-Termenès: village projects walk", 60, 3, (4,), mandatory=False, value=4),
        a(7, "BASE Sud Audois: presentation of the local solidarity bureau", 150, 4, (5,)),
        a(
            8,
            "BASE Sud Audois: lunch with local entrepreneurs",
            90,
            4,
            (5,),
            languages=both,
            meal=True,
        ),
        a(9, "BASE Sud Audois: site visits", 150, 4, (5,)),
        a(10, "Sarrant bookshop: a village bookshop as a local hub", 120, 5, (6,)),
        a(
            11,
            "Lunch at the Sarrant bookshop café",
            60,
            5,
            (6,),
            languages=both,
            meal=True,
            mandatory=False,
            value=3,
            earliest=t(FRI, 12),
            latest=t(FRI, 14, 30),
        ),
        a(12, "Network members: exchange on local development practice", 120, 6, (7, 8)),
        a(
            13,
            "Interpreting in solidarity networks (with a member interpreter)",
            60,
            6,
            (8,),
            mandatory=False,
            value=2,
        ),
        a(14, "Limoux cooperative (SCIC) visit", 90, 6, (7,), mandatory=False, value=5),
        a(
            15,
            "Working lunch with CG11",
            60,
            7,
            (3,),
            languages=both,
            meal=True,
            mandatory=False,
            value=3,
            earliest=t(TUE, 12),
            latest=t(TUE, 14),
        ),
        *(
            a(
                16 + k,
                f"Debrief of {DAYS[d]} (delegation)",
                30,
                1,
                (),
                languages=both,
                mandatory=False,
                value=2,
                earliest=t(d, 16),
                latest=t(d, 19),
            )
            for k, d in enumerate((TUE, WED, THU))
        ),
        a(
            19,
            "Pays Corbières-Minervois: territorial development agency",
            90,
            8,
            (9,),
            mandatory=False,
            value=4,
        ),
        a(20, "Press interview, L'Indépendant", 30, 1, (10,), mandatory=False, value=1),
        a(21, "Closing session: lessons and proposals", 90, 1, (1,), phase=3),
    )
    precedences = (
        Precedence(3, 4, 0),  # the political meeting opens the door to the technical one
        Precedence(5, 6, 0),
        Precedence(7, 8, 0),
        Precedence(8, 9, 0),
    )
    interpreters = (
        Interpreter(
            1,
            "Interpreter A (fr<>en)",
            (("fr", "en"), ("en", "fr")),
            ("consecutive", "whispered", "simultaneous"),
            home_venue=1,
        ),
        Interpreter(
            2,
            "Interpreter B (fr<>en)",
            (("fr", "en"), ("en", "fr")),
            ("consecutive", "whispered", "simultaneous"),
            home_venue=1,
        ),
    )
    return Problem(days, venues, travel, hosts, (group,), activities, precedences, interpreters)


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(problem_to_dict(aude_2009()), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")
