"""REST endpoints of the confirmations app, mounted under /api/v1/ by web.api.

Two audiences: hosts (``/host/{key}…``: the key is the only credential, no account, no
cookie, hence no CSRF to forge; rate-limited per address) and organisers (the dashboard,
sending and resending proposals, the hosts' links)."""

import datetime as dt
from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import to_locale
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from confirmations import answers, links, proposals, selectors
from confirmations.ratelimit import over_limit
from confirmations.views import answered_message, host_language
from events.models import Person
from events.selectors import visit_get
from planner.api_support import ERRORS, READ_ERRORS, ErrorOut, Pagination, organisation_of
from planner.api_support import responses as with_errors
from planner.schema_types import MAX_ID, Id, InSchema, Instant, LongText

router = Router(tags=["confirmations"])

VisitId = Path(..., ge=1, le=MAX_ID)
ItemId = Path(..., ge=1, le=MAX_ID)
Key = Path(..., min_length=1, max_length=100)


class RefusedOut(Schema):
    detail: str
    code: str
    errors: list[dict] = []


HOST_ERRORS = {400: ErrorOut, 404: ErrorOut, 409: RefusedOut, 422: ErrorOut, 429: ErrorOut}


class WindowIn(InSchema):
    start: Instant
    end: Instant


class AnswerIn(InSchema):
    answer: Literal["confirmed", "declined", "offered"]
    reason: Annotated[LongText, Field(max_length=1000)] = ""
    windows: list[WindowIn] = Field(default_factory=list, max_length=answers.MAX_WINDOWS)


class HostAnswerOut(Schema):
    answer: str
    reason: str
    windows: list[dict]
    answered_at: dt.datetime = Field(validation_alias="created_at")

    @staticmethod
    def resolve_windows(obj):
        return [{"start": w["start"], "end": w["end"]} for w in obj.windows if "start" in w]


class HostSlotOut(Schema):
    id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    date: str
    time: str
    venue: str
    address: str
    map_url: str
    audience: list[str]
    people: int
    languages: list[str]
    interpreters: list[str]
    status: str
    answer: HostAnswerOut | None
    can_answer: bool


class HostDelegationOut(Schema):
    name: str
    size: int
    countries: str
    languages: str


class HostPageOut(Schema):
    visit: str
    dates: str
    host: str
    language: str
    delegations: list[HostDelegationOut]
    slots: list[HostSlotOut]


class AnswerOut(Schema):
    slot: int
    status: str
    locked: bool
    changed: bool
    message: str
    answer: HostAnswerOut


def _not_found():
    # The same answer for unknown, revoked and expired links.
    return Status(404, {"detail": _("This link does not work."), "errors": []})


def _too_many():
    return Status(
        429,
        {
            "detail": _("Too many requests from your address; wait a minute and try again."),
            "errors": [],
        },
    )


@router.get(
    "/host/{key}",
    auth=None,
    response=with_errors({200: HostPageOut}, HOST_ERRORS),
    operation_id="host_page",
)
def host_page(request, key: str = Key):
    """A host's slots of the published version, in the host's language (or ``?lang=``)."""
    if over_limit(request):
        return _too_many()
    try:
        link = links.host_link_resolve(key=key)
    except links.LinkInvalid:
        return _not_found()
    lang = host_language(request, link)
    with translation.override(lang):
        view = selectors.host_view(link=link, locale=to_locale(lang))
    return {
        "visit": view.visit.title,
        "dates": view.dates,
        "host": view.person.full_name,
        "language": lang,
        "delegations": view.delegations,
        "slots": view.slots,
    }


@router.post(
    "/host/{key}/slots/{slot_id}/answer",
    auth=None,
    response=with_errors({200: AnswerOut}, HOST_ERRORS),
    operation_id="host_answer",
)
def host_answer(request, payload: AnswerIn, key: str = Key, slot_id: int = ItemId):
    """Confirm, decline (with an optional reason) or offer other times for one slot.

    409 when the slot moved, was cancelled or was fixed by the organiser since the host
    looked; the same answer twice changes nothing (``changed: false``)."""
    if over_limit(request):
        return _too_many()
    try:
        link = links.host_link_resolve(key=key)
    except links.LinkInvalid:
        return _not_found()
    lang = host_language(request, link)
    with translation.override(lang):
        try:
            outcome = answers.host_answer_record(
                link=link,
                slot_id=slot_id,
                answer=payload.answer,
                reason=payload.reason,
                windows=[(w.start, w.end) for w in payload.windows],
            )
        except answers.AnswerRefused as refused:
            body = {"detail": str(refused), "code": refused.code, "errors": []}
            if refused.status == 404:
                return Status(404, body)
            return Status(409, body)
        message = answered_message(outcome)
    return {
        "slot": outcome.slot.pk,
        "status": outcome.slot.status,
        "locked": outcome.slot.locked,
        "changed": outcome.changed,
        "message": message,
        "answer": outcome.answer,
    }


# ---------------------------------------------------------------------------------------------
# Organisers


class RowOut(Schema):
    slot_id: int
    activity_id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    host_id: int
    host: str
    state: str
    slot_status: str
    locked: bool
    reason: str
    windows: list[dict]
    fixed: bool
    answered_at: dt.datetime | None
    sent_at: dt.datetime | None
    since_sent_s: int | None
    reminders: int


class SendIn(InSchema):
    hosts: list[Id] | None = Field(None, max_length=1000)


class ProposalOut(Schema):
    id: int
    host_id: int = Field(validation_alias="person_id")
    version: int = Field(validation_alias="version.number")
    kind: str
    sent_at: dt.datetime
    email_state: str | None = None

    @staticmethod
    def resolve_email_state(obj):
        return obj.email.state if obj.email_id else None


class SentOut(Schema):
    sent: int
    proposals: list[ProposalOut]


class DashboardFilters(Schema):
    state: (
        Literal["not_sent", "proposed", "no_answer", "confirmed", "declined", "offered"] | None
    ) = None
    host: Id | None = None


def _refused(exc) -> Status:
    return Status(409, {"detail": str(exc), "errors": []})


@router.get(
    "/visits/{visit_id}/confirmations",
    response=with_errors({200: list[RowOut]}, READ_ERRORS),
    operation_id="confirmation_list",
)
@paginate(Pagination)
def confirmation_list(request, visit_id: int = VisitId, filters: Query[DashboardFilters] = None):
    """Every slot of the published version and host: proposed, confirmed, declined, other
    times offered, no answer (sent longer ago than the reminder delay), or not sent yet."""
    visit = visit_get(organisation_of(request), visit_id)
    return selectors.dashboard_rows(
        visit=visit,
        state=filters.state if filters else None,
        host=filters.host if filters else None,
    )


@router.post(
    "/visits/{visit_id}/confirmations/send",
    response=with_errors({202: SentOut}),
    operation_id="proposals_send",
)
def proposals_send(request, payload: SendIn, visit_id: int = VisitId):
    """Email the published version to its hosts (all, or those listed), each with a link."""
    visit = visit_get(organisation_of(request), visit_id)
    try:
        sent = proposals.proposals_send(
            visit=visit,
            user=request.auth,
            person_ids=set(payload.hosts) if payload.hosts is not None else None,
        )
    except proposals.SendRefused as refused:
        return _refused(refused)
    return Status(202, {"sent": len(sent), "proposals": sent})


@router.post(
    "/visits/{visit_id}/confirmations/hosts/{person_id}/resend",
    response=with_errors({202: ProposalOut}),
    operation_id="proposal_resend",
)
def proposal_resend(request, visit_id: int = VisitId, person_id: int = ItemId):
    """Send a host their slots and link again (same link, unless it was revoked)."""
    visit = visit_get(organisation_of(request), visit_id)
    person = get_object_or_404(Person, pk=person_id, owner=visit.owner)
    try:
        proposal = proposals.proposal_send(
            visit=visit, person=person, user=request.auth, kind="resend"
        )
    except proposals.SendRefused as refused:
        return _refused(refused)
    if proposal is None:
        return Status(
            409, {"detail": _("This host has no email address or no slot."), "errors": []}
        )
    return Status(202, proposal)


@router.post(
    "/visits/{visit_id}/confirmations/hosts/{person_id}/revoke",
    response=with_errors({204: None}, ERRORS),
    operation_id="host_link_revoke",
)
def host_link_revoke(request, visit_id: int = VisitId, person_id: int = ItemId):
    """End a host's link now (the next email to them carries a new one)."""
    visit = visit_get(organisation_of(request), visit_id)
    person = get_object_or_404(Person, pk=person_id, owner=visit.owner)
    links.host_link_revoke(visit=visit, person=person)
    return Status(204, None)
