"""REST endpoints of the notifications app, mounted under /api/v1/ by web.api."""

import datetime as dt
from typing import Literal

from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate

from events.selectors import visit_get
from notifications.models import OutgoingEmail
from planner.api_support import READ_ERRORS, Pagination, organisation_of, responses
from planner.schema_types import MAX_ID

router = Router(tags=["notifications"])

VisitId = Path(..., ge=1, le=MAX_ID)


class EmailOut(Schema):
    id: int
    to_email: str
    to_name: str
    language: str
    kind: str
    subject: str
    attachment_names: list[str]
    state: str
    attempts: int
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime | None


class EmailFilters(Schema):
    state: Literal["queued", "sent", "failed"] | None = None
    kind: Literal["proposal", "reminder", "digest", "other"] | None = None


@router.get(
    "/visits/{visit_id}/emails",
    response=responses({200: list[EmailOut]}, READ_ERRORS),
    operation_id="email_list",
)
@paginate(Pagination)
def email_list(request, visit_id: int = VisitId, filters: Query[EmailFilters] = None):
    """Every email sent about a visit: who, what, when, delivered or failed (and why)."""
    visit = visit_get(organisation_of(request), visit_id)
    emails = OutgoingEmail.objects.filter(visit=visit).defer(
        "body_text", "body_html", "attachments"
    )
    if filters and filters.state:
        emails = emails.filter(state=filters.state)
    if filters and filters.kind:
        emails = emails.filter(kind=filters.kind)
    return emails.order_by("-created_at", "-pk")
