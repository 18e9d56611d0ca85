"""Stage 5: meal counts. Per meal slot, the guests there (with their diets), the hosts, the
interpreters and the companions who eat with them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from delegations.models import Guest
from events.models import Activity, Venue
from logistics.models import Companion, MealService
from logistics.plan.facts import SlotFacts
from scheduling.models import Slot


@dataclass
class Meal:
    slot: Slot
    guests: list[Guest]
    hosts: int
    interpreters: int
    diets: dict[str, int]
    service: MealService | None
    companions: int = 0

    @property
    def total(self) -> int:
        return len(self.guests) + self.hosts + self.interpreters + self.companions


def serves_meals(venue: Venue, service: MealService | None) -> bool:
    if service is not None:
        return service.serves_meals
    return venue.kind == Venue.Kind.RESTAURANT


def diets(guests: Iterable[Guest]) -> dict[str, int]:
    """Guests per dietary need (lower-cased), those without one ("") last."""
    counts = Counter((g.dietary_needs.strip().lower() or "") for g in guests)
    return {k: counts[k] for k in sorted(counts, key=lambda k: (k == "", k))}


def eating_companions(facts: SlotFacts, companions: Iterable[Companion]) -> int:
    """Companions of the meal's audience; one who hosts or interprets there is counted once,
    as a host or an interpreter."""
    counted = set(facts.hosts) | facts.interpreter_people
    return sum(
        1
        for c in companions
        if c.person_id not in counted
        and (c.subgroup_id is None or not facts.audience or c.subgroup_id in facts.audience)
    )


def meals(
    slots: Iterable[SlotFacts],
    attendance: dict[int, list[int]],
    guests: dict[int, Guest],
    services: dict[int, MealService],
    companions: list[Companion],
) -> list[Meal]:
    found = []
    for facts in slots:
        slot = facts.slot
        if slot.activity.kind != Activity.Kind.MEAL:
            continue
        present = [guests[g] for g in attendance[slot.pk]]
        found.append(
            Meal(
                slot,
                present,
                hosts=len(facts.hosts),
                interpreters=len(facts.interpreters),
                diets=diets(present),
                service=services.get(slot.venue_id),
                companions=eating_companions(facts, companions),
            )
        )
    return found
