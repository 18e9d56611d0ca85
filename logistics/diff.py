"""What changed in the logistics between two programme versions (for notifications).

Both sides are computed now, from each version's slots and today's arrivals, stays and
vehicles: the difference is what the programme change did to legs, meals and lodging.
"""

from __future__ import annotations

from events.models import Visit
from logistics.selectors import Plan, logistics_plan
from scheduling.models import ProgrammeVersion


def _legs(plan: Plan) -> dict[str, dict]:
    return {
        view.key: {
            "key": view.key,
            "kind": view.leg.kind,
            "origin": view.origin.pk,
            "destination": view.destination.pk,
            "depart": view.leg.depart,
            "arrive": view.leg.arrive,
            "people": view.leg.people,
            "guests": list(view.leg.guests),
            "vehicles": [v.pk for v in view.vehicles],
        }
        for view in plan.legs
    }


def _meals(plan: Plan) -> dict[int, dict]:
    return {
        meal.slot.activity_id: {
            "activity": meal.slot.activity_id,
            "title": meal.slot.activity.title,
            "venue": meal.slot.venue_id,
            "start": meal.slot.start,
            "people": meal.total,
            "diets": meal.diets,
        }
        for meal in plan.meals
    }


def _lodging(plan: Plan) -> dict[tuple[int, str], int]:
    return {(g, night.isoformat()): venue.pk for (g, night), (venue, _s) in plan.lodging.items()}


def plan_diff(old: Plan, new: Plan) -> dict:
    legs_before, legs_after = _legs(old), _legs(new)
    changed_legs = [
        {"key": key, "before": legs_before[key], "after": legs_after[key]}
        for key in sorted(legs_before.keys() & legs_after.keys())
        if legs_before[key] != legs_after[key]
    ]
    meals_before, meals_after = _meals(old), _meals(new)
    changed_meals = [
        {"activity": k, "before": meals_before[k], "after": meals_after[k]}
        for k in sorted(meals_before.keys() & meals_after.keys())
        if meals_before[k] != meals_after[k]
    ]
    lodging_before, lodging_after = _lodging(old), _lodging(new)
    lodging = [
        {
            "guest": guest,
            "night": night,
            "before": lodging_before.get((guest, night)),
            "after": lodging_after.get((guest, night)),
        }
        for guest, night in sorted(lodging_before.keys() | lodging_after.keys())
        if lodging_before.get((guest, night)) != lodging_after.get((guest, night))
    ]
    return {
        "old": old.version.number if old.version else None,
        "new": new.version.number if new.version else None,
        "legs": {
            "added": [legs_after[k] for k in sorted(legs_after.keys() - legs_before.keys())],
            "removed": [legs_before[k] for k in sorted(legs_before.keys() - legs_after.keys())],
            "changed": changed_legs,
        },
        "meals": {
            "added": [meals_after[k] for k in sorted(meals_after.keys() - meals_before.keys())],
            "removed": [meals_before[k] for k in sorted(meals_before.keys() - meals_after.keys())],
            "changed": changed_meals,
        },
        "lodging": lodging,
    }


def logistics_diff(*, visit: Visit, old: ProgrammeVersion | None, new: ProgrammeVersion) -> dict:
    """Legs, meals and lodging that differ between ``old`` (None: nothing yet) and ``new``."""
    before = logistics_plan(visit=visit, version=old) if old is not None else None
    after = logistics_plan(visit=visit, version=new)
    if before is None:
        before = Plan(visit, None, after.zone, {}, {}, {}, {}, {}, [], {}, [], [], [], [])
    return plan_diff(before, after)


def diff_is_empty(diff: dict) -> bool:
    return not (any(diff["legs"].values()) or any(diff["meals"].values()) or diff["lodging"])
