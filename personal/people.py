"""The guests and interpreters of a visit, and finding one of them (or their link) by kind
and id within the visit: another visit's person does not exist (404)."""

from django.http import Http404

from delegations.models import Guest
from events.models import Visit
from personal.models import PersonalLink

KINDS = ("guest", "interpreter")


def visit_guests(visit: Visit):
    return Guest.objects.filter(delegation__visit=visit).order_by("full_name", "pk")


def visit_interpreters(visit: Visit):
    return visit.interpreters.select_related("person").order_by("person__full_name", "pk")


def person_of(visit: Visit, kind: str, person_id: int) -> dict:
    """{"guest": row} or {"interpreter": row} of this visit, or 404."""
    if kind == "guest":
        guest = visit_guests(visit).filter(pk=person_id).first()
        if guest is not None:
            return {"guest": guest}
    elif kind == "interpreter":
        interpreter = visit_interpreters(visit).filter(pk=person_id).first()
        if interpreter is not None:
            return {"interpreter": interpreter}
    raise Http404


def link_of(visit: Visit, kind: str, person_id: int) -> PersonalLink | None:
    person = person_of(visit, kind, person_id)
    return (
        PersonalLink.objects.select_related("token", "feed_token")
        .filter(visit=visit, **person)
        .first()
    )
