from ninja import Router

from delegations import schemas, selectors, services
from delegations.models import Delegation, Guest, Interpreter, SubGroup
from events.selectors import person_list, venue_list, visit_get
from planner.crud import Resource, mount

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
