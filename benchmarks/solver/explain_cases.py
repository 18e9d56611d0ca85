"""Infeasible cases on the Aude demo and the explanation an organiser reads, in English and
French (issue #14, part 7). Prints the sentences; not a test.

Each case changes the demo visit (inside a transaction rolled back afterwards), builds the
problem as a solve would, runs the solver (pre-checks, then the CP-SAT explanation) and
phrases its conflicts the way the visit page does.

    .venv/bin/python benchmarks/solver/explain_cases.py [case ...]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planner.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("PLANNER_DATA_DIR", tempfile.mkdtemp(prefix="planner-explain-"))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

DEMO = ROOT / "web" / "demo" / "aude-2009.json"
PARIS = dt.timezone(dt.timedelta(hours=2))  # April 2009, CEST


def _activity(visit, prefix: str):
    return visit.activities.get(title__startswith=prefix)


def _minute(visit, when: dt.datetime) -> int:
    """Minutes from the visit's first midnight (the problem's clock)."""
    origin = dt.datetime.combine(visit.start_date, dt.time(), tzinfo=PARIS)
    return int((when - origin).total_seconds() // 60)


def several_culprits(visit):
    """Three reasons at once: the mayor free only 09:00-11:30 on Thursday (a 2-hour meeting),
    the exchanges with the network locked on Thursday at 10:30 (in Couiza, while the mayor
    waits in Villerouge), and the council meeting in Carcassonne fixed on Wednesday at 16:00,
    when the welcome ends in Couiza (the travel cannot fit)."""
    from scheduling.adapters import problem_from_visit
    from scheduling.solver import Placement

    mayor = _activity(visit, "Rencontre avec le maire").host_links.get().person
    visit.availabilities.filter(person=mayor).delete()
    visit.availabilities.create(
        person=mayor,
        start=dt.datetime(2009, 4, 16, 9, 0, tzinfo=PARIS),
        end=dt.datetime(2009, 4, 16, 11, 30, tzinfo=PARIS),
    )
    council = _activity(visit, "Rencontre au Conseil")
    council.fixed_start = dt.datetime(2009, 4, 15, 16, 0, tzinfo=PARIS)
    council.save()
    problem = problem_from_visit(visit).problem
    exchanges = _activity(visit, "Échanges avec les membres")
    thursday = _minute(visit, dt.datetime(2009, 4, 16, 10, 30, tzinfo=PARIS))
    return dataclasses.replace(
        problem,
        previous=(*problem.previous, Placement(exchanges.pk, thursday // 1440, thursday)),
        locked=problem.locked | {exchanges.pk},
    )


def one_interpreter_conference(visit):
    """One interpreter for the whole visit under the conference policy: every consecutive
    meeting of 90 minutes or more needs a team of two."""
    from events.services import visit_interpretation_set
    from scheduling.adapters import problem_from_visit

    visit.interpreters.set(visit.interpreters.order_by("pk")[:1])
    visit_interpretation_set(visit=visit, policy="conference")
    return problem_from_visit(visit).problem


def arrives_after_welcome(visit):
    """The welcome fixed at noon on the first day; the delegation lands at 10:40 and its
    transfer ends at 14:00."""
    from scheduling.adapters import problem_from_visit

    welcome = _activity(visit, "Accueil de la délégation")
    welcome.fixed_start = dt.datetime(2009, 4, 15, 12, 0, tzinfo=PARIS)
    welcome.save()
    return problem_from_visit(visit).problem


def host_window_for_two(visit):
    """Laurent, who hosts the welcome, the exchanges and the wrap-up, is kept free only on the
    first afternoon (14:00-17:00): three activities, one window."""
    from scheduling.adapters import problem_from_visit

    laurent = _activity(visit, "Accueil de la délégation").host_links.get().person
    visit.availabilities.filter(person=laurent).update(
        start=dt.datetime(2009, 4, 15, 14, 0, tzinfo=PARIS),
        end=dt.datetime(2009, 4, 15, 17, 0, tzinfo=PARIS),
    )
    return problem_from_visit(visit).problem


CASES = {
    "culprits": several_culprits,
    "interpreter": one_interpreter_conference,
    "arrival": arrives_after_welcome,
    "window": host_window_for_two,
}


def page_sentences(conflicts: list[dict], visit) -> list[str]:
    """What the visit page lists for a failed solve."""
    from scheduling import explanations

    return [c["sentence"] for c in explanations.explained(conflicts, visit=visit)]


def run(name: str, visit) -> None:
    from django.utils import translation

    from scheduling.solver import Params, solve_programme

    problem = CASES[name](visit)
    params = Params(time_limit_s=10, workers=2, seed=0, deterministic=True)
    result = solve_programme(problem, params)
    conflicts = [
        {
            "rule": c.rule,
            "entities": {k: list(v) for k, v in c.entities.items()},
            "params": c.params,
        }
        for c in result.conflicts
    ]
    print(f"## {name}: {CASES[name].__doc__.split(chr(10))[0]}")
    print(f"status {result.status}; {len(conflicts)} conflicts: {[c['rule'] for c in conflicts]}")
    for language in ("en", "fr"):
        with translation.override(language):
            print(f"[{language}]")
            for line in page_sentences(conflicts, visit):
                print(f"- {line}")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="*", help=f"some of {', '.join(CASES)} (all by default)")
    args = parser.parse_args()

    import django

    django.setup()
    import json

    from django.core.management import call_command
    from django.db import transaction

    from web.seed import seed_load

    call_command("migrate", verbosity=0)
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    for name in args.cases or list(CASES):

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                visit = seed_load(demo).visits[0]
                run(name, visit)
                raise Rollback
        except Rollback:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
