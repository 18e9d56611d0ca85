"""Writes that need more than assigning fields: children, through-tables, estimates."""

import math

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from events.models import (
    Activity,
    ActivityHost,
    Availability,
    Person,
    Phase,
    ReadingGridQuestion,
    TravelTime,
    Venue,
    Visit,
)
from planner.crud import still_used
from planner.models import Organisation

# Straight-line distance is shorter than the road: 1.3 is the usual rural detour factor, and
# 60 km/h an average that includes villages and parking. Both can be changed per estimate.
DEFAULT_SPEED_KMH = 60.0
DEFAULT_DETOUR_FACTOR = 1.3
EARTH_RADIUS_KM = 6371.0


def visit_fill_slug(*, instance: Visit, organisation: Organisation) -> None:
    if instance.slug:
        return
    base = slugify(instance.title)[:70] or "visit"
    slug, n = base, 1
    taken = set(
        Visit.objects.filter(owner=organisation, slug__startswith=base)
        .exclude(pk=instance.pk)
        .values_list("slug", flat=True)
    )
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    instance.slug = slug


def format_set_children(*, instance, organisation, phases: list[dict], questions: list[dict]):
    """Update phases in place by position so activities keep pointing at the same phase."""
    existing = list(instance.phases.order_by("order"))
    kept: list[Phase] = []
    for position, data in enumerate(phases, start=1):
        phase = existing[position - 1] if position <= len(existing) else Phase(format=instance)
        wanted = (position, data["name"], data["description"])
        if phase.pk is None or (phase.order, phase.name, phase.description) != wanted:
            phase.order, phase.name, phase.description = wanted
            phase.full_clean(exclude=["format"], validate_constraints=False)
            phase.save()
        kept.append(phase)
    for phase in existing[len(phases) :]:
        try:
            phase.delete()
        except models.ProtectedError as exc:
            raise ValidationError(
                {"phases": _("Phase “%(name)s” still has activities.") % {"name": phase.name}}
            ) from exc
    existing_questions = {q.order: q for q in instance.questions.all()}
    for position, data in enumerate(questions, start=1):
        index = data.get("phase")
        if index is not None and index > len(kept):
            raise ValidationError(
                {
                    f"questions.{position - 1}.phase": _("There is no phase number %(n)d.")
                    % {"n": index}
                }
            )
        question = existing_questions.pop(position, None) or ReadingGridQuestion(
            format=instance, order=position
        )
        phase = kept[index - 1] if index else None
        if question.pk is None or (question.text, question.phase) != (data["text"], phase):
            question.text, question.phase = data["text"], phase
            question.save()
    ReadingGridQuestion.objects.filter(pk__in=[q.pk for q in existing_questions.values()]).delete()


def activity_set_hosts(*, instance: Activity, organisation: Organisation, hosts: list[dict]):
    ids = [link["person"] for link in hosts]
    if len(set(ids)) != len(ids):
        raise ValidationError({"hosts": _("A host is listed twice.")})
    found = set(organisation.people.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {"hosts": _("Unknown people: %(ids)s.") % {"ids": ", ".join(map(str, missing))}}
        )
    instance.host_links.all().delete()
    ActivityHost.objects.bulk_create(
        ActivityHost(activity=instance, person_id=link["person"], required=link["required"])
        for link in hosts
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@transaction.atomic
def travel_times_estimate(
    *,
    visit: Visit,
    speed_kmh: float = DEFAULT_SPEED_KMH,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
    overwrite_entered: bool = False,
) -> list[TravelTime]:
    """Fill the travel matrix from coordinates for every ordered pair of located venues."""
    venues = [v for v in visit.venues.all() if v.latitude is not None]
    existing = {(t.origin_id, t.destination_id): t for t in visit.travel_times.all()}
    written = []
    for origin in venues:
        for destination in venues:
            if origin.pk == destination.pk:
                continue
            km = distance_km(
                float(origin.latitude),
                float(origin.longitude),
                float(destination.latitude),
                float(destination.longitude),
            )
            minutes = max(1, round(km * detour_factor / speed_kmh * 60))
            current = existing.get((origin.pk, destination.pk))
            if current and current.source == TravelTime.Source.ENTERED and not overwrite_entered:
                continue
            if current is None:
                current = TravelTime(visit=visit, origin=origin, destination=destination)
            current.minutes, current.source = minutes, TravelTime.Source.ESTIMATED
            current.save()
            written.append(current)
    return written


@transaction.atomic
def visit_interpretation_set(*, visit: Visit, policy: str, rules: dict | None = None) -> Visit:
    """The visit's interpretation policy and the numbers that differ from its defaults
    (ValidationError on `interpretation_policy` or `interpretation_rules`). The next solve
    uses them; programmes already made keep theirs until re-planned."""
    visit.interpretation_policy = policy
    visit.interpretation_rules = {} if rules is None else rules
    visit.full_clean()
    visit.save(update_fields=["interpretation_policy", "interpretation_rules", "updated_at"])
    return visit


def venue_after_save(*, instance: Venue, organisation: Organisation) -> None:
    """Every save of a venue (page, API, import) keeps the travel matrix whole: pairs with
    coordinates on both ends are estimated (entered times are kept), and a venue that lost
    its coordinates loses the estimates made from them."""
    if instance.latitude is None:
        TravelTime.objects.filter(
            models.Q(origin=instance) | models.Q(destination=instance),
            source=TravelTime.Source.ESTIMATED,
        ).delete()
        return
    travel_times_estimate(visit=instance.visit)


@transaction.atomic
def travel_time_set(*, visit: Visit, origin: Venue, destination: Venue, minutes: int) -> None:
    """An organiser's minutes between two venues, both ways (the road is the same road)."""
    for start, end in ((origin, destination), (destination, origin)):
        travel = TravelTime.objects.filter(origin=start, destination=end).first() or TravelTime(
            visit=visit, origin=start, destination=end
        )
        travel.minutes, travel.source = minutes, TravelTime.Source.ENTERED
        travel.full_clean()
        travel.save()


def availability_merge(*, instance: Availability, organisation=None, **_nested) -> Availability:
    """Fold the person's other windows of the same kind that touch or overlap ``instance``
    into it (9–12 and 12–15 make 9–15), so a window is never stored twice.

    Windows of different kinds stay apart: "preferred" inside "available" says more than
    either. Runs after every save (API, pages, import), within the caller's transaction.
    """
    while True:
        others = list(
            Availability.objects.filter(
                visit_id=instance.visit_id,
                person_id=instance.person_id,
                kind=instance.kind,
                start__lte=instance.end,
                end__gte=instance.start,
            ).exclude(pk=instance.pk)
        )
        if not others:
            return instance
        notes = [instance.note, *(w.note for w in others)]
        instance.start = min(w.start for w in [instance, *others])
        instance.end = max(w.end for w in [instance, *others])
        instance.note = "; ".join(dict.fromkeys(n for n in notes if n))[:200]
        Availability.objects.filter(pk__in=[w.pk for w in others]).delete()
        instance.save(update_fields=["start", "end", "note"])


def availability_covered(*, visit: Visit, person: Person, kind: str, start, end) -> bool:
    """Whether one stored window of ``kind`` already holds the whole of start–end."""
    return Availability.objects.filter(
        visit=visit, person=person, kind=kind, start__lte=start, end__gte=end
    ).exists()


def availability_add(
    *, visit: Visit, person: Person, start, end, kind: str, note: str = ""
) -> Availability:
    """One window of a person, stored as given: not merged with its neighbours, so the caller
    can keep its id and remove exactly this window later (a host's answer does)."""
    return Availability.objects.create(
        visit=visit, person=person, start=start, end=end, kind=kind, note=note
    )


def availabilities_remove(*, person: Person, ids) -> int:
    """Remove these windows of ``person`` (an id of someone else's window removes nothing)."""
    deleted, _by_model = Availability.objects.filter(pk__in=ids, person=person).delete()
    return deleted


def person_check_deletable(*, instance: Person) -> None:
    """Refuse to delete someone still needed, saying by what ("X hosts 'Meeting'")."""
    reasons = [
        _("%(name)s hosts “%(title)s”.") % {"name": instance.full_name, "title": link.activity}
        for link in instance.host_links.select_related("activity").order_by("activity__title")
    ]
    reasons += still_used(instance, owned=("events.Availability", "events.ActivityHost"))
    if reasons:
        raise ValidationError(reasons)


def visit_archive(*, visit: Visit, archived: bool) -> None:
    """An archived visit leaves the organiser's list of current visits; nothing is deleted."""
    visit.archived_at = timezone.now() if archived else None
    visit.save(update_fields=["archived_at", "updated_at"])


def venue_check_deletable(*, instance: Venue) -> None:
    """A venue that activities, programmes or stays still use is kept, and says by whom."""
    reasons = still_used(instance, owned=("events.TravelTime",))
    if reasons:
        raise ValidationError(reasons)
