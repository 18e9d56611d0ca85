from ninja import Path, Router, Status

from delegations import schemas, selectors, services
from delegations.models import Delegation, Guest, Interpreter, SubGroup
from events.schemas import VisitOut
from events.selectors import person_list, venue_list, visit_get, visit_list
from planner.api_support import organisation_of, responses
from planner.crud import Resource, mount
from planner.schema_types import MAX_ID

router = Router(tags=["delegations"])


def _visit_scope(organisation, visit_id: int):
    return visit_get(organisation, visit_id)


DELEGATIONS = Resource(
    name="delegation",
    plural="delegations",
    model=Delegation,
    schema_in=schemas.DelegationIn,
    schema_out=schemas.DelegationOut,
    select=selectors.delegation_list,
    before_delete=services.delegation_check_deletable,
)
SUBGROUPS = Resource(
    name="subgroup",
    plural="subgroups",
    model=SubGroup,
    schema_in=schemas.SubGroupIn,
    schema_out=schemas.SubGroupOut,
    select=selectors.subgroup_list,
    owner_field=None,
    references={"delegation": selectors.delegation_list, "lodging": venue_list},
    before_delete=services.subgroup_check_deletable,
)
GUESTS = Resource(
    name="guest",
    plural="guests",
    model=Guest,
    schema_in=schemas.GuestIn,
    schema_out=schemas.GuestOut,
    select=selectors.guest_list,
    owner_field=None,
    references={"delegation": selectors.delegation_list, "subgroup": selectors.subgroup_list},
    nested=("languages",),
    after_save=services.guest_set_languages,
    before_delete=services.guest_check_deletable,
)
INTERPRETERS = Resource(
    name="interpreter",
    plural="interpreters",
    model=Interpreter,
    schema_in=schemas.InterpreterIn,
    schema_out=schemas.InterpreterOut,
    select=selectors.interpreter_list,
    owner_field="owner",
    references={"person": person_list},
    nested=("directions",),
    after_save=services.interpreter_set_directions,
    before_delete=services.interpreter_check_deletable,
)

mount(router, INTERPRETERS, parent=None, prefix="/interpreters")
for resource in (DELEGATIONS, SUBGROUPS, GUESTS):
    mount(router, resource, parent=_visit_scope, prefix=f"/visits/{{visit_id}}/{resource.plural}")


@router.post(
    "/visits/{visit_id}/duplicate",
    response=responses({201: VisitOut}),
    operation_id="visit_duplicate",
    tags=["visits"],
)
def duplicate_visit(
    request, payload: schemas.VisitDuplicateIn, visit_id: int = Path(..., ge=1, le=MAX_ID)
):
    """A new visit from this one, as the "Duplicate" page makes it (no answers, no versions)."""
    organisation = organisation_of(request)
    visit = services.visit_duplicate(
        source=visit_get(organisation, visit_id),
        organisation=organisation,
        title=payload.title,
        start_date=payload.start_date,
    )
    return Status(201, visit_list(organisation).get(pk=visit.pk))
