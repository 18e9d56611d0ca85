"""What the projection reads, as plain data: a version's slots with their people, the visit's
sub-groups and lodgings, its venues and travel times, and the guests' journeys.

All the feeds' reads of the programme happen here, so ``feeds.projection`` runs on data alone.
"""

from collections import defaultdict
from dataclasses import dataclass

from delegations.models import SubGroup
from events.models import ReadingGridQuestion, Venue, Visit
from feeds.providers import host_answers
from logistics.models import Journey
from scheduling.attendance import WHOLE
from scheduling.models import ProgrammeVersion
from scheduling.selectors import travel_matrix


def venue_data(venue: Venue | None) -> dict | None:
    """A venue as stored in a feed event (and shown as its LOCATION)."""
    if venue is None:
        return None
    return {
        "id": venue.pk,
        "name": venue.name,
        "address": venue.address,
        "city": venue.city,
        "country": venue.country,
        "latitude": float(venue.latitude) if venue.latitude is not None else None,
        "longitude": float(venue.longitude) if venue.longitude is not None else None,
    }


@dataclass(frozen=True)
class HostFacts:
    id: int
    name: str
    position: str


@dataclass(frozen=True)
class TurnFacts:
    """One interpreter's turn in one direction."""

    interpreter: int
    name: str
    source: str
    target: str


@dataclass(frozen=True)
class SlotFacts:
    activity: int
    start: object  # aware datetime
    end: object
    venue: int
    venue_data: dict | None
    status: str  # Slot.Status
    chosen: dict  # the solver's language choice ({} before choices)
    title: str
    titles: dict
    texts: dict
    text: str
    activity_kind: str
    languages: tuple[str, ...]
    audience: tuple[int, ...]  # sub-group ids; () is the whole delegation
    hosts: tuple[HostFacts, ...]  # by name
    turns: tuple[TurnFacts, ...]  # by interpreter, then source language
    phase: str
    questions: tuple[str, ...]
    # The hosts' own answers given for this very time: (person id, answer), by person.
    answers: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class JourneyFacts:
    id: int
    guest: int
    time: object  # aware datetime
    place: int | None
    place_data: dict | None
    direction: str
    reference: str
    note: str


@dataclass(frozen=True)
class Sources:
    time_zone: str
    groups: tuple[int, ...]  # the visit's sub-groups, by id
    lodging: dict  # group (or the whole delegation) -> venue id or None
    venues: dict  # venue id -> venue data, the visit's venues
    minutes: dict  # (origin venue, destination venue) -> travel minutes
    slots: tuple[SlotFacts, ...]  # by start, then activity
    journeys: tuple[JourneyFacts, ...]


def _slots(version: ProgrammeVersion) -> tuple[SlotFacts, ...]:
    answers = host_answers(programme_id=version.programme_id)
    slots = list(
        version.slots.select_related("activity__phase", "venue")
        .prefetch_related(
            "activity__host_links__person", "activity__audience", "assignments__interpreter__person"
        )
        .order_by("start", "activity_id")
    )
    phases = {s.activity.phase_id for s in slots if s.activity.phase_id}
    questions = defaultdict(list)
    for q in ReadingGridQuestion.objects.filter(phase_id__in=phases).order_by("order"):
        questions[q.phase_id].append(q.text)
    facts = []
    for slot in slots:
        activity = slot.activity
        links = sorted(activity.host_links.all(), key=lambda h: h.person.full_name)
        turns = sorted(slot.assignments.all(), key=lambda a: (a.interpreter_id, a.source))
        facts.append(
            SlotFacts(
                activity=activity.pk,
                start=slot.start,
                end=slot.end,
                venue=slot.venue_id,
                venue_data=venue_data(slot.venue),
                status=slot.status,
                chosen=slot.languages or {},
                title=activity.title,
                titles=dict(activity.titles),
                texts=dict(activity.descriptions),
                text=activity.description,
                activity_kind=activity.kind,
                languages=tuple(activity.languages),
                audience=tuple(sorted(g.pk for g in activity.audience.all())),
                hosts=tuple(
                    HostFacts(h.person_id, h.person.full_name, h.person.position) for h in links
                ),
                turns=tuple(
                    TurnFacts(a.interpreter_id, a.interpreter.person.full_name, a.source, a.target)
                    for a in turns
                ),
                phase=activity.phase.name if activity.phase_id else "",
                questions=tuple(questions.get(activity.phase_id, [])),
                answers=tuple(
                    (h.person_id, answers[activity.pk, h.person_id][1])
                    for h in sorted(links, key=lambda h: h.person_id)
                    if answers.get((activity.pk, h.person_id), (None,))[0] == slot.start
                ),
            )
        )
    return tuple(facts)


def _journeys(visit: Visit) -> tuple[JourneyFacts, ...]:
    journeys = Journey.objects.filter(guest__delegation__visit=visit).select_related("place")
    return tuple(
        JourneyFacts(
            id=j.pk,
            guest=j.guest_id,
            time=j.time,
            place=j.place_id,
            place_data=venue_data(j.place),
            direction=j.direction,
            reference=j.reference,
            note=j.note,
        )
        for j in journeys
    )


def projection_sources(*, version: ProgrammeVersion, visit: Visit) -> Sources:
    """Everything ``feeds.projection.wanted_events`` needs about ``version`` of ``visit``."""
    subgroups = list(SubGroup.objects.filter(delegation__visit=visit))
    lodging = {WHOLE: visit.lodging_id}
    for sg in subgroups:
        lodging[sg.pk] = sg.lodging_id or visit.lodging_id
    return Sources(
        time_zone=visit.time_zone,
        groups=tuple(sorted(sg.pk for sg in subgroups)),
        lodging=lodging,
        venues={v.pk: venue_data(v) for v in visit.venues.all()},
        minutes=travel_matrix(visit=visit),
        slots=_slots(version),
        journeys=_journeys(visit),
    )
