"""What changed in the logistics between two programme versions (for notifications).

A side is a *summary* of a plan (legs with their vehicles and people, meal counts, who
sleeps where each night) in plain JSON. When a version is published its summary is kept
(``LogisticsSnapshot``): what drivers and caterers were told then is the base of the next
digest, so a change of hotel or of vehicles made between two publications is part of the
difference too. A version without a snapshot is summarised from today's data.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder

from events.models import Visit
from logistics.models import LogisticsSnapshot
from logistics.selectors import Plan, logistics_plan
from scheduling.models import ProgrammeVersion

EMPTY = {"version": None, "legs": {}, "meals": {}, "lodging": {}}


def plan_summary(plan: Plan) -> dict:
    summary = {
        "version": plan.version.number if plan.version else None,
        "legs": {
            view.key: {
                "key": view.key,
                "kind": view.leg.kind,
                "origin": view.origin.pk,
                "destination": view.destination.pk,
                "depart": view.leg.depart,
                "arrive": view.leg.arrive,
                "people": view.people,
                "companions": [p.pk for p in view.companions],
                "guests": list(view.leg.guests),
                "vehicles": [v.pk for v in view.vehicles],
            }
            for view in plan.legs
        },
        "meals": {
            str(meal.slot.activity_id): {
                "activity": meal.slot.activity_id,
                "title": meal.slot.activity.local_title,
                "venue": meal.slot.venue_id,
                "start": meal.slot.start,
                "people": meal.total,
                "diets": meal.diets,
            }
            for meal in plan.meals
        },
        "lodging": {
            f"{guest}/{night.isoformat()}": venue.pk
            for (guest, night), (venue, _stay) in plan.lodging.items()
        },
    }
    # Through JSON, so a fresh summary and a stored one compare alike (ISO times, text keys).
    return json.loads(json.dumps(summary, cls=DjangoJSONEncoder))


def summary_diff(old: dict, new: dict) -> dict:
    def changes(kind: str):
        before, after = old[kind], new[kind]
        return {
            "added": [after[k] for k in sorted(after.keys() - before.keys())],
            "removed": [before[k] for k in sorted(before.keys() - after.keys())],
            "changed": [
                {"key": k, "before": before[k], "after": after[k]}
                for k in sorted(before.keys() & after.keys())
                if before[k] != after[k]
            ],
        }

    lodging = []
    for key in sorted(old["lodging"].keys() | new["lodging"].keys()):
        before, after = old["lodging"].get(key), new["lodging"].get(key)
        if before != after:
            guest, night = key.split("/")
            lodging.append({"guest": int(guest), "night": night, "before": before, "after": after})
    return {
        "old": old["version"],
        "new": new["version"],
        "legs": changes("legs"),
        "meals": changes("meals"),
        "lodging": lodging,
    }


def version_summary(*, visit: Visit, version: ProgrammeVersion | None, stored: bool) -> dict:
    """The version's summary: as published (its snapshot) when ``stored`` and there is one,
    else computed from today's data."""
    if version is None:
        return EMPTY
    if stored:
        snapshot = LogisticsSnapshot.objects.filter(version=version).first()
        if snapshot is not None:
            return snapshot.data
    return plan_summary(logistics_plan(visit=visit, version=version))


def logistics_diff(
    *, visit: Visit, old: ProgrammeVersion | None, new: ProgrammeVersion, stored: bool = False
) -> dict:
    """Legs, meals and lodging that differ between ``old`` (None: nothing yet) and ``new``.

    ``stored=False`` compares both versions under today's arrivals, stays and vehicles (what
    the programme change alone does); ``stored=True`` compares what was published each time."""
    return summary_diff(
        version_summary(visit=visit, version=old, stored=stored),
        version_summary(visit=visit, version=new, stored=stored),
    )
