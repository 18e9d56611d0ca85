"""REST endpoints of the personal links, mounted under /api/v1/ by web.api (organisers only:
the person's page itself is a web page, ``/me/<key>/``)."""

import datetime as dt
from typing import Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status

from events.selectors import visit_get
from personal import links, sending, status
from personal.people import link_of, person_of
from planner.api_support import ERRORS, READ_ERRORS, ErrorOut, organisation_of
from planner.api_support import responses as with_errors
from planner.schema_types import MAX_ID, Id

router = Router(tags=["personal links"])

VisitId = Path(..., ge=1, le=MAX_ID)
ItemId = Path(..., ge=1, le=MAX_ID)
Kind = Literal["guest", "interpreter"]


class PersonLinkOut(Schema):
    kind: Kind
    id: int
    name: str
    has_email: bool
    language: str
    state: Literal["none", "active", "revoked", "expired"]
    sent: bool
    sent_at: dt.datetime | None
    sent_count: int
    opened: bool
    first_opened_at: dt.datetime | None
    last_opened_at: dt.datetime | None
    subscribed: bool
    subscribed_at: dt.datetime | None

    @staticmethod
    def resolve_has_email(obj):
        return bool(obj.email)


class PersonalCountsOut(Schema):
    people: int
    sent: int
    opened: int
    subscribed: int
    without_email: int
    revoked: int


class PersonalLinksOut(Schema):
    counts: PersonalCountsOut
    people: list[PersonLinkOut]


class PersonalSendIn(Schema):
    """Whom to send to: everybody (no ``person``), or one guest or interpreter."""

    kind: Kind | None = None
    person: Id | None = None


class PersonalSendOut(Schema):
    sent: list[PersonLinkOut]
    without_email: list[PersonLinkOut]


class PersonalRevokeIn(Schema):
    kind: Kind
    person: Id


def _keys(found) -> set:
    return {(link.kind, link.guest_id or link.interpreter_id) for link in found}


def _rows(visit, picked=None) -> list:
    rows = status.people_states(visit=visit)
    return rows if picked is None else [r for r in rows if (r.kind, r.id) in picked]


@router.get(
    "/visits/{visit_id}/personal-links",
    response=with_errors({200: PersonalLinksOut}, READ_ERRORS),
    operation_id="personal_links",
)
def personal_links(request, visit_id: int = VisitId):
    """Each guest and interpreter of the visit: their link's state, sent or not, opened or
    not (first and last time), calendar subscribed (their feed fetched at least once); and
    the counts of each."""
    visit = visit_get(organisation_of(request), visit_id)
    rows = _rows(visit)
    return {"counts": status.counts(rows), "people": rows}


@router.post(
    "/visits/{visit_id}/personal-links/send",
    response=with_errors({202: PersonalSendOut}, {**ERRORS, 409: ErrorOut}),
    operation_id="personal_links_send",
)
def personal_links_send(request, payload: PersonalSendIn, visit_id: int = VisitId):
    """Email each guest and interpreter (or the one named by ``kind`` and ``person``) their
    personal link and calendar links, in their language. People without an email address
    come back in ``without_email``: their link is made, for the organiser to hand over."""
    visit = visit_get(organisation_of(request), visit_id)
    if (payload.kind is None) != (payload.person is None):
        return Status(
            422,
            {
                "detail": _("Give both kind and person, or neither."),
                "errors": [
                    {"field": "body.person", "reason": _("Give both kind and person, or neither.")}
                ],
            },
        )
    try:
        if payload.person is None:
            report = sending.personal_send_all(visit=visit, user=request.auth)
            sent, without = report.sent, report.without_email
        else:
            person = person_of(visit, payload.kind, payload.person)
            link, ok = sending.personal_send(visit=visit, user=request.auth, **person)
            sent, without = ([link], []) if ok else ([], [link])
    except sending.SendRefused as refused:
        return Status(409, {"detail": str(refused), "errors": []})
    return Status(
        202, {"sent": _rows(visit, _keys(sent)), "without_email": _rows(visit, _keys(without))}
    )


@router.post(
    "/visits/{visit_id}/personal-links/revoke",
    response=with_errors({204: None}, ERRORS),
    operation_id="personal_link_revoke",
)
def personal_link_revoke(request, payload: PersonalRevokeIn, visit_id: int = VisitId):
    """End one person's link and the calendar feed made with it (the next sending makes new
    ones). 404 when the person has no link."""
    visit = visit_get(organisation_of(request), visit_id)
    link = link_of(visit, payload.kind, payload.person)
    if link is None:
        raise Http404
    links.personal_link_revoke(link=link)
    return Status(204, None)
