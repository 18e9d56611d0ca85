"""What the stages need to know about a slot beyond the row itself, read once from the
prefetched relations so that the stages never touch the database."""

from __future__ import annotations

from dataclasses import dataclass

from scheduling.models import Slot


@dataclass(frozen=True)
class SlotFacts:
    slot: Slot
    audience: frozenset[int] = frozenset()  # sub-group ids; empty: the whole delegation
    required: frozenset[int] = frozenset()  # guest ids the activity requires
    hosts: tuple[int, ...] = ()  # the person of each host link
    interpreters: frozenset[int] = frozenset()  # interpreter ids assigned to the slot
    interpreter_people: frozenset[int] = frozenset()


def slot_facts(slot: Slot) -> SlotFacts:
    """From a slot whose activity's audience, host links, required guests and assignments
    are prefetched (no query)."""
    assignments = slot.assignments.all()
    return SlotFacts(
        slot,
        audience=frozenset(sg.pk for sg in slot.activity.audience.all()),
        required=frozenset(link.guest_id for link in slot.activity.required_guests.all()),
        hosts=tuple(link.person_id for link in slot.activity.host_links.all()),
        interpreters=frozenset(a.interpreter_id for a in assignments),
        interpreter_people=frozenset(a.interpreter.person_id for a in assignments),
    )
