"""REST endpoints of the logistics app, mounted under /api/v1/ by web.api.

Entries (arrivals and departures, stays, vehicles, vehicle choices, meal services, guests an
activity requires, letter templates) are plain CRUD; the logistics themselves (legs and
vehicles, rooming, meals, warnings, itineraries, what changed between versions) are computed
on read from a programme version.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import Field

from events.selectors import venue_list, visit_get
from logistics import schemas, selectors, services
from logistics.diff import logistics_diff
from logistics.itinerary import guest_itinerary
from logistics.models import (
    ActivityGuest,
    Companion,
    Journey,
    LegAssignment,
    LetterTemplate,
    MealService,
    Stay,
    Vehicle,
)
from logistics.plan.meals import serves_meals
from logistics.plan.warnings import warning_text
from planner.api_support import READ_ERRORS, Pagination, organisation_of, responses
from planner.crud import REQUIRED, Resource, VisitPath, mount
from planner.schema_types import Code
from scheduling.models import ProgrammeVersion

router = Router(tags=["logistics"])
INTERFACE_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
QUERY = Query(...)


def _visit_scope(organisation, visit_id: int):
    return visit_get(organisation, visit_id)


def _people(organisation, _visit):
    from events.models import Person

    return Person.objects.filter(owner=organisation)


def _delegations(organisation, visit):
    from delegations.selectors import delegation_list

    return delegation_list(organisation, visit)


def _subgroups(organisation, visit):
    from delegations.selectors import subgroup_list

    return subgroup_list(organisation, visit)


JOURNEYS = Resource(
    name="journey",
    plural="journeys",
    model=Journey,
    schema_in=schemas.JourneyIn,
    schema_out=schemas.JourneyOut,
    select=selectors.journey_list,
    owner_field=None,
    references={"guest": selectors.guest_choices, "place": venue_list},
    # Guests' calendar feeds show their own arrival and departure.
    after_save=services.journeys_changed_send,
    after_delete=services.journeys_changed_send,
)
STAYS = Resource(
    name="stay",
    plural="stays",
    model=Stay,
    schema_in=schemas.StayIn,
    schema_out=schemas.StayOut,
    select=selectors.stay_list,
    references={
        "venue": venue_list,
        "delegation": _delegations,
        "subgroup": _subgroups,
        "guest": selectors.guest_choices,
    },
)
VEHICLES = Resource(
    name="vehicle",
    plural="vehicles",
    model=Vehicle,
    schema_in=schemas.VehicleIn,
    schema_out=schemas.VehicleOut,
    select=selectors.vehicle_list,
    references={"driver": _people},
)
LEG_ASSIGNMENTS = Resource(
    name="leg_assignment",
    plural="leg-assignments",
    model=LegAssignment,
    schema_in=schemas.LegAssignmentIn,
    schema_out=schemas.LegAssignmentOut,
    select=selectors.leg_assignment_list,
    references={"vehicle": selectors.vehicle_list},
)
MEAL_SERVICES = Resource(
    name="meal_service",
    plural="meal-services",
    model=MealService,
    schema_in=schemas.MealServiceIn,
    schema_out=schemas.MealServiceOut,
    select=selectors.meal_service_list,
    owner_field=None,
    references={"venue": venue_list},
)
REQUIRED_GUESTS = Resource(
    name="required_guest",
    plural="required-guests",
    model=ActivityGuest,
    schema_in=schemas.ActivityGuestIn,
    schema_out=schemas.ActivityGuestOut,
    select=selectors.activity_guest_list,
    owner_field=None,
    references={"activity": selectors.activity_choices, "guest": selectors.guest_choices},
)
COMPANIONS = Resource(
    name="companion",
    plural="companions",
    model=Companion,
    schema_in=schemas.CompanionIn,
    schema_out=schemas.CompanionOut,
    select=selectors.companion_list,
    references={"person": _people, "subgroup": _subgroups},
)
LETTER_TEMPLATES = Resource(
    name="letter_template",
    plural="letter-templates",
    model=LetterTemplate,
    schema_in=schemas.LetterTemplateIn,
    schema_out=schemas.LetterTemplateOut,
    select=selectors.letter_template_list,
)


class VersionQuery(Schema):
    version: int | None = Field(None, ge=1, le=2**31 - 1)


class DiffQuery(Schema):
    as_published: bool = False


class LanguageQuery(Schema):
    lang: Code | None = None


def _version(visit, number: int | None) -> ProgrammeVersion | None:
    if number is None:
        return None
    return get_object_or_404(ProgrammeVersion, programme__visit=visit, number=number)


def _leg_out(view) -> dict:
    leg = view.leg
    return {
        "key": view.key,
        "kind": leg.kind,
        "day": leg.day,
        "origin": view.origin.pk,
        "origin_name": view.origin.name,
        "destination": view.destination.pk,
        "destination_name": view.destination.name,
        "depart": leg.depart,
        "arrive": leg.arrive,
        "travel_minutes": leg.travel_minutes,
        "people": view.people,
        "guests": list(leg.guests),
        "companions": [p.pk for p in view.companions],
        "vehicles": [v.pk for v in view.vehicles],
        "seats": view.seats,
    }


def _meal_out(meal) -> dict:
    slot = meal.slot
    return {
        "activity": slot.activity_id,
        "title": slot.activity.local_title,
        "venue": slot.venue_id,
        "venue_name": slot.venue.name,
        "start": slot.start,
        "end": slot.end,
        "guests": len(meal.guests),
        "hosts": meal.hosts,
        "interpreters": meal.interpreters,
        "companions": meal.companions,
        "total": meal.total,
        "diets": meal.diets,
        "serves_meals": serves_meals(slot.venue, meal.service),
    }


def _warning_out(w) -> dict:
    """Worded here, in the request's language."""
    return {"code": w.code, "message": warning_text(w), "refs": w.refs}


@router.get(
    "/visits/{visit_id}/logistics",
    response=responses({200: schemas.LogisticsOut}, READ_ERRORS),
    operation_id="logistics_get",
)
def logistics_get(request, path: VisitPath = REQUIRED, query: VersionQuery = QUERY):
    """Legs with their vehicles, rooming per night, meal counts and warnings, computed from the
    published version (or ``?version=N``)."""
    visit = visit_get(organisation_of(request), path.visit_id)
    plan = selectors.logistics_plan(visit=visit, version=_version(visit, query.version))
    return {
        "version": plan.version.number if plan.version else None,
        "legs": [_leg_out(view) for view in plan.legs],
        "rooming": [
            {
                "night": night,
                "hotels": [
                    {
                        "venue": venue.pk,
                        "name": venue.name,
                        "guests": [
                            {"guest": g.pk, "full_name": g.full_name, "room": room}
                            for g, room in rows
                        ],
                    }
                    for venue, rows in hotels
                ],
            }
            for night, hotels in plan.rooming()
        ],
        "meals": [_meal_out(meal) for meal in plan.meals],
        "warnings": [_warning_out(w) for w in plan.warnings],
    }


@router.get(
    "/visits/{visit_id}/logistics/warnings",
    response=responses({200: list[schemas.LogisticsWarningOut]}, READ_ERRORS),
    operation_id="logistics_warnings",
)
def logistics_warnings(request, path: VisitPath = REQUIRED, query: VersionQuery = QUERY):
    """What the organiser must look at: missing lodging, seats short, meals where no meal is
    served, guests absent from an activity, departures before arrivals…"""
    visit = visit_get(organisation_of(request), path.visit_id)
    plan = selectors.logistics_plan(visit=visit, version=_version(visit, query.version))
    return [_warning_out(w) for w in plan.warnings]


@router.get(
    "/visits/{visit_id}/logistics/guests/{guest_id}/itinerary",
    response=responses({200: schemas.ItineraryOut}, READ_ERRORS),
    operation_id="logistics_itinerary",
)
def logistics_itinerary(request, path: schemas.GuestPath = REQUIRED, query: LanguageQuery = QUERY):
    """A guest's itinerary, in their language unless ``?lang=`` says otherwise."""
    visit = visit_get(organisation_of(request), path.visit_id)
    guest = get_object_or_404(selectors.guest_choices(None, visit), pk=path.guest_id)
    if query.lang is not None and query.lang not in INTERFACE_LANGUAGES:
        reason = _("Give one of: %(codes)s.") % {"codes": ", ".join(INTERFACE_LANGUAGES)}
        raise NinjaValidationError([{"loc": ("query", "lang"), "msg": reason}])
    # A guest may prefer a language the interface does not exist in (Mooré): English then.
    language = query.lang or (
        guest.preferred_language if guest.preferred_language in INTERFACE_LANGUAGES else "en"
    )
    with translation.override(language):
        plan = selectors.logistics_plan(visit=visit)
        days = guest_itinerary(plan, guest.pk)
    return {
        "guest": guest.pk,
        "language": language,
        "days": [
            {
                "day": day.day,
                "lodging": day.lodging,
                "items": [
                    {
                        "kind": item.kind,
                        "start": item.start,
                        "end": item.end,
                        "title": item.title,
                        "place": item.place,
                        "address": item.address,
                    }
                    for item in day.items
                ],
            }
            for day in days
        ],
    }


@router.get(
    "/visits/{visit_id}/logistics/diff/{old}/{new}",
    response=responses({200: schemas.LogisticsDiffOut}, READ_ERRORS),
    operation_id="logistics_diff",
)
def logistics_version_diff(
    request, path: schemas.VersionPairPath = REQUIRED, query: DiffQuery = QUERY
):
    """Legs, meal counts and lodging that differ between two versions: under today's
    arrivals, stays and vehicles, or with ``?as_published=true`` as each was published."""
    visit = visit_get(organisation_of(request), path.visit_id)
    old = _version(visit, path.old)
    new = _version(visit, path.new)
    return logistics_diff(visit=visit, old=old, new=new, stored=query.as_published)


@router.get(
    "/visits/{visit_id}/logistics/snapshots",
    response=responses({200: list[schemas.SnapshotOut]}, READ_ERRORS),
    operation_id="logistics_snapshot_list",
)
@paginate(Pagination)
def logistics_snapshot_list(request, path: VisitPath = REQUIRED):
    """What the logistics were at each publication (legs, meals, lodging), newest first."""
    visit = visit_get(organisation_of(request), path.visit_id)
    return selectors.snapshot_list(None, visit)


for resource in (
    JOURNEYS,
    STAYS,
    VEHICLES,
    LEG_ASSIGNMENTS,
    MEAL_SERVICES,
    REQUIRED_GUESTS,
    COMPANIONS,
    LETTER_TEMPLATES,
):
    mount(router, resource, parent=_visit_scope, prefix=f"/visits/{{visit_id}}/{resource.plural}")
