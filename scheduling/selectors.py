import itertools
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from events.models import TravelTime, Visit
from scheduling.models import Programme, ProgrammeVersion, Slot, SolveJob


def version_list(*, visit: Visit) -> QuerySet[ProgrammeVersion]:
    current = Programme.objects.filter(pk=OuterRef("programme_id"), current_version=OuterRef("pk"))
    return (
        ProgrammeVersion.objects.filter(programme__visit=visit)
        .annotate(is_current=Exists(current))
        .order_by("-number")
    )


def version_get(*, visit: Visit, number: int) -> ProgrammeVersion:
    return get_object_or_404(
        version_list(visit=visit).prefetch_related("slots__assignments", "slots__activity"),
        number=number,
    )


def version_summary(*, version: ProgrammeVersion) -> dict:
    """Figures an organiser reads first: days used, activities, interpreter hours, travel."""
    slots = list(
        version.slots.exclude(status="cancelled")
        .select_related("activity")
        .prefetch_related("assignments")
        .order_by("start")
    )
    travel = {
        (t.origin_id, t.destination_id): t.minutes
        for t in TravelTime.objects.filter(visit_id=version.programme.visit_id)
    }
    minutes = 0
    zone = ZoneInfo(version.programme.visit.time_zone)
    for before, after in itertools.pairwise(slots):
        if before.start.astimezone(zone).date() == after.start.astimezone(zone).date():
            minutes += travel.get((before.venue_id, after.venue_id), 0)
    interpreting = sum(
        len({a.interpreter_id for a in slot.assignments.all()}) * slot.activity.duration_minutes
        for slot in slots
    )
    return {
        "days": len({slot.start.astimezone(zone).date() for slot in slots}),
        "placed": len(slots),
        "unplaced": len(version.unplaced),
        "interpreter_hours": interpreting / 60,
        "travel_minutes": minutes,
    }


def job_list(*, visit: Visit) -> QuerySet[SolveJob]:
    return (
        SolveJob.objects.filter(programme__visit=visit)
        .select_related("programme__visit", "base_version", "result_version")
        .order_by("-created_at", "-pk")
    )


def job_get(*, visit: Visit, job_id: int) -> SolveJob:
    return get_object_or_404(job_list(visit=visit), pk=job_id)


def slot_get(*, slot_id: int) -> Slot:
    return Slot.objects.select_related("activity").prefetch_related("assignments").get(pk=slot_id)


def version_for_display(*, visit: Visit, number: int | None = None) -> ProgrammeVersion | None:
    """The version a visit page shows: the one asked for, else the published, else the latest."""
    versions = ProgrammeVersion.objects.filter(programme__visit=visit)
    if number is not None:
        return get_object_or_404(versions, number=number)
    programme = Programme.objects.filter(visit=visit).select_related("current_version").first()
    if programme and programme.current_version:
        return programme.current_version
    return versions.order_by("-number").first()


def version_slots(
    *,
    version: ProgrammeVersion,
    host: int | None = None,
    interpreter: int | None = None,
    subgroup: int | None = None,
) -> list[Slot]:
    """Slots with everything a timetable shows, in a constant number of queries; optionally
    only one host's, one interpreter's or one sub-group's (with the whole-delegation ones)."""
    slots = version.slots.all()
    if host:
        slots = slots.filter(activity__host_links__person_id=host)
    if interpreter:
        slots = slots.filter(assignments__interpreter_id=interpreter).distinct()
    if subgroup:
        slots = slots.filter(Q(activity__audience=subgroup) | Q(activity__audience__isnull=True))
    return list(
        slots.select_related("activity", "venue")
        .prefetch_related(
            "assignments__interpreter__person",
            "activity__host_links__person",
        )
        .order_by("start")
    )


def travel_matrix(*, visit: Visit) -> dict[tuple[int, int], int]:
    """Minutes between venues by the quickest route through the entered times, as the solver
    plans: an entry longer than a detour through another venue is not what the bus drives."""
    from scheduling.solver import shortest_paths

    direct = TravelTime.objects.filter(visit=visit).values_list(
        "origin_id", "destination_id", "minutes"
    )
    return shortest_paths({(o, d): m for o, d, m in direct})


def visit_people(*, visit: Visit) -> dict:
    """Who a timetable can be shown for: hosts, interpreters and sub-groups of the visit."""
    from delegations.models import SubGroup
    from events.models import Person

    return {
        "hosts": list(
            Person.objects.filter(host_links__activity__visit=visit)
            .distinct()
            .order_by("full_name")
        ),
        "interpreters": list(
            visit.interpreters.select_related("person").order_by("person__full_name")
        ),
        "subgroups": list(SubGroup.objects.filter(delegation__visit=visit).order_by("name")),
    }
