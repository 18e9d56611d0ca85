"""Stage 6: what overflows. Meals where no meal is served or more covers than the
restaurant serves; hotels with more guests booked on a night than they sleep."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from events.models import Venue
from logistics.plan.lodging import Lodging
from logistics.plan.meals import Meal, serves_meals
from logistics.plan.warnings import ActivityName, LogisticsWarning


def meal_warnings(meals: Iterable[Meal]) -> list[LogisticsWarning]:
    warnings = []
    for meal in meals:
        slot, service = meal.slot, meal.service
        refs = {"activity": slot.activity_id, "venue": slot.venue_id}
        activity = ActivityName.of(slot.activity)
        if not serves_meals(slot.venue, service):
            params = {"activity": activity, "venue": slot.venue.name}
            warnings.append(LogisticsWarning("venue_serves_no_meals", params, refs))
        elif service and service.capacity is not None and meal.total > service.capacity:
            params = {
                "activity": activity,
                "people": meal.total,
                "venue": slot.venue.name,
                "capacity": service.capacity,
            }
            warnings.append(LogisticsWarning("meal_over_capacity", params, refs))
    return warnings


def lodging_warnings(lodging: Lodging, venues: dict[int, Venue]) -> list[LogisticsWarning]:
    per_night_venue = Counter((night, venue.pk) for (_g, night), (venue, _s) in lodging.items())
    warnings = []
    for (night, venue_id), count in sorted(per_night_venue.items()):
        venue = venues[venue_id]
        if venue.capacity is not None and count > venue.capacity:
            warnings.append(
                LogisticsWarning(
                    "lodging_over_capacity",
                    {
                        "venue": venue.name,
                        "capacity": venue.capacity,
                        "count": count,
                        "night": night,
                    },
                    {"venue": venue_id, "night": night.isoformat()},
                )
            )
    return warnings
