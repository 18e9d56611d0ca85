from django.db.models import QuerySet

from delegations.models import Delegation, Guest, Interpreter, SubGroup
from events.models import Visit
from planner.models import Organisation


def delegation_list(organisation: Organisation, visit: Visit) -> QuerySet[Delegation]:
    return Delegation.objects.filter(visit=visit).order_by("name", "pk")


def subgroup_list(organisation: Organisation, visit: Visit) -> QuerySet[SubGroup]:
    return SubGroup.objects.filter(delegation__visit=visit).order_by("delegation_id", "name", "pk")


def guest_list(organisation: Organisation, visit: Visit) -> QuerySet[Guest]:
    return (
        Guest.objects.filter(delegation__visit=visit)
        .prefetch_related("languages")
        .order_by("delegation_id", "full_name", "pk")
    )


def interpreter_list(organisation: Organisation, _scope=None) -> QuerySet[Interpreter]:
    return (
        Interpreter.objects.filter(owner=organisation)
        .select_related("person")
        .prefetch_related("directions")
        .order_by("person__full_name", "pk")
    )
