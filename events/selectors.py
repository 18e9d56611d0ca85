"""Reads, always scoped to the organisation an organiser plans for."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from events.models import (
    Activity,
    Availability,
    Person,
    Phase,
    Precedence,
    TravelTime,
    Venue,
    Visit,
    VisitFormat,
)
from planner.models import Organisation


def visit_list(organisation: Organisation, _scope=None) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(owner=organisation)
        .prefetch_related("interpreters")
        .order_by("-start_date", "title", "pk")
    )


def visit_get(organisation: Organisation, visit_id: int) -> Visit:
    return get_object_or_404(Visit.objects.filter(owner=organisation), pk=visit_id)


def format_list(organisation: Organisation, _scope=None) -> QuerySet[VisitFormat]:
    return (
        VisitFormat.objects.filter(owner=organisation)
        .prefetch_related("phases", "questions")
        .order_by("name", "pk")
    )


def person_list(organisation: Organisation, _scope=None) -> QuerySet[Person]:
    return Person.objects.filter(owner=organisation).order_by("full_name", "pk")


def organisation_list(organisation: Organisation, _scope=None) -> QuerySet[Organisation]:
    """Organisations an organiser may cite as an affiliation: any; they are public names."""
    return Organisation.objects.order_by("name", "pk")


def venue_list(organisation: Organisation, visit: Visit) -> QuerySet[Venue]:
    return Venue.objects.filter(visit=visit).order_by("name", "pk")


def travel_time_list(organisation: Organisation, visit: Visit) -> QuerySet[TravelTime]:
    return TravelTime.objects.filter(visit=visit).order_by("origin_id", "destination_id", "pk")


def availability_list(organisation: Organisation, visit: Visit) -> QuerySet[Availability]:
    return Availability.objects.filter(visit=visit).order_by("person_id", "start", "pk")


def activity_list(organisation: Organisation, visit: Visit) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(visit=visit)
        .prefetch_related("host_links", "audience")
        .order_by("title", "pk")
    )


def precedence_list(organisation: Organisation, visit: Visit) -> QuerySet[Precedence]:
    return Precedence.objects.filter(visit=visit).order_by("pk")


def phase_choices(organisation: Organisation, visit: Visit) -> QuerySet[Phase]:
    return Phase.objects.filter(format__owner=organisation, format_id=visit.format_id)


# Interpreters and sub-groups belong to delegations, an app above events: reached through the
# relations events' models declare ("delegations.Interpreter", "delegations.SubGroup"), not by
# importing delegations.


def interpreter_choices(organisation: Organisation, _scope=None) -> QuerySet:
    interpreter = Visit._meta.get_field("interpreters").related_model
    return interpreter.objects.filter(owner=organisation)


def subgroup_choices(organisation: Organisation, visit: Visit) -> QuerySet:
    subgroup = Activity._meta.get_field("audience").related_model
    return subgroup.objects.filter(delegation__visit=visit)
