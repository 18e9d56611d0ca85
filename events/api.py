from ninja import Path, Router

from events import schemas, selectors, services
from events.models import (
    Activity,
    Availability,
    Person,
    Precedence,
    TravelTime,
    Venue,
    Visit,
    VisitFormat,
)
from planner.api_support import organisation_of, responses
from planner.crud import Resource, mount
from planner.schema_types import MAX_ID

router = Router(tags=["visits"])


def _visit_scope(organisation, visit_id: int) -> Visit:
    return selectors.visit_get(organisation, visit_id)


def _org_venues(organisation, _scope):
    return Venue.objects.filter(visit__owner=organisation)


FORMATS = Resource(
    name="format",
    plural="formats",
    model=VisitFormat,
    schema_in=schemas.FormatIn,
    schema_out=schemas.FormatOut,
    select=selectors.format_list,
    owner_field="owner",
    nested=("phases", "questions"),
    after_save=services.format_set_children,
)
PEOPLE = Resource(
    name="person",
    plural="people",
    model=Person,
    schema_in=schemas.PersonIn,
    schema_out=schemas.PersonOut,
    select=selectors.person_list,
    owner_field="owner",
    references={"affiliation": selectors.organisation_list},
    before_delete=services.person_check_deletable,
)
VISITS = Resource(
    name="visit",
    plural="visits",
    model=Visit,
    schema_in=schemas.VisitIn,
    schema_out=schemas.VisitOut,
    select=selectors.visit_list,
    owner_field="owner",
    references={
        "format": selectors.format_list,
        "lodging": _org_venues,
        "interpreters": selectors.interpreter_choices,
    },
    before_validate=services.visit_fill_slug,
)
VENUES = Resource(
    name="venue",
    plural="venues",
    model=Venue,
    schema_in=schemas.VenueIn,
    schema_out=schemas.VenueOut,
    select=selectors.venue_list,
    after_save=services.venue_after_save,
    before_delete=services.venue_check_deletable,
)
TRAVEL_TIMES = Resource(
    name="travel_time",
    plural="travel-times",
    model=TravelTime,
    schema_in=schemas.TravelTimeIn,
    schema_out=schemas.TravelTimeOut,
    select=selectors.travel_time_list,
    references={"origin": selectors.venue_list, "destination": selectors.venue_list},
)
AVAILABILITY = Resource(
    name="availability",
    plural="availability",
    model=Availability,
    schema_in=schemas.AvailabilityIn,
    schema_out=schemas.AvailabilityOut,
    select=selectors.availability_list,
    references={"person": selectors.person_list},
    after_save=services.availability_merge,
)
ACTIVITIES = Resource(
    name="activity",
    plural="activities",
    model=Activity,
    schema_in=schemas.ActivityIn,
    schema_out=schemas.ActivityOut,
    select=selectors.activity_list,
    references={
        "venue": selectors.venue_list,
        "phase": selectors.phase_choices,
        "audience": selectors.subgroup_choices,
    },
    nested=("hosts",),
    after_save=services.activity_set_hosts,
)
PRECEDENCES = Resource(
    name="precedence",
    plural="precedences",
    model=Precedence,
    schema_in=schemas.PrecedenceIn,
    schema_out=schemas.PrecedenceOut,
    select=selectors.precedence_list,
    references={"before": selectors.activity_list, "after": selectors.activity_list},
)


# Before the travel-time item routes, whose {item_id} would otherwise capture "estimate".
@router.post(
    "/visits/{visit_id}/travel-times/estimate",
    response=responses({200: list[schemas.TravelTimeOut]}),
    operation_id="travel_time_estimate",
    tags=["travel-times"],
)
def estimate_travel_times(
    request, payload: schemas.TravelEstimateIn, visit_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Estimate travel times from the venues' coordinates (entered times are kept)."""
    visit = selectors.visit_get(organisation_of(request), visit_id)
    return services.travel_times_estimate(visit=visit, **payload.model_dump())


mount(router, FORMATS, parent=None, prefix="/formats")
mount(router, PEOPLE, parent=None, prefix="/people")
mount(router, VISITS, parent=None, prefix="/visits")
for resource in (VENUES, TRAVEL_TIMES, AVAILABILITY, ACTIVITIES, PRECEDENCES):
    mount(router, resource, parent=_visit_scope, prefix=f"/visits/{{visit_id}}/{resource.plural}")
