"""Organisers' side of feeds: list a visit's feed links, make, reset and revoke them.

Keys are stored hashed, so a link (and its QR code) is shown once, in the answer that makes
it; afterwards a feed is known by its prefix. Losing a link means resetting it.
"""

import datetime as dt
from typing import Literal

import segno
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema, Status

from events.selectors import visit_get
from feeds.views import feed_links, feed_name
from planner.api_support import READ_ERRORS, organisation_of, responses
from planner.schema_types import MAX_ID, Code, Id, InSchema, Instant
from scheduling.access import (
    AccessToken,
    access_token_create,
    access_token_list,
    access_token_reset,
    access_token_revoke,
)

router = Router(tags=["feeds"])

VisitId = Path(..., ge=1, le=MAX_ID)
FeedId = Path(..., ge=1, le=MAX_ID)


class FeedIn(InSchema):
    subject: Literal["programme", "guest", "person", "interpreter"]
    subject_id: Id | None = None
    language: Code | None = None
    expires_at: Instant | None = None


class FeedOut(Schema):
    id: int
    subject: str
    subject_id: int | None
    subject_label: str
    language: str
    prefix: str
    state: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class FeedLinkOut(FeedOut):
    https_url: str
    webcal_url: str
    google_url: str
    outlook_url: str
    qr_svg: str


def _out(token: AccessToken) -> dict:
    return {
        "id": token.pk,
        "subject": token.subject,
        "subject_id": token.subject_id,
        "subject_label": token.subject_label,
        "language": token.language,
        "prefix": token.prefix,
        "state": token.state(),
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


def _link_out(token: AccessToken, key: str) -> dict:
    links = feed_links(key, feed_name(token))
    # A phone subscribes by scanning the webcal address.
    qr = segno.make(links["webcal_url"], error="m").svg_inline(scale=4)
    return {**_out(token), **links, "qr_svg": qr}


def _feed(request, visit_id: int, feed_id: int) -> AccessToken:
    visit = visit_get(organisation_of(request), visit_id)
    return get_object_or_404(
        access_token_list(visit=visit, purpose=AccessToken.Purpose.FEED), pk=feed_id
    )


@router.get(
    "/visits/{visit_id}/feeds",
    response=responses({200: list[FeedOut]}, READ_ERRORS),
    operation_id="feed_list",
)
def list_feeds(request, visit_id: int = VisitId):
    """Every feed link of the visit, newest first, with its state (active, revoked, reset,
    expired, orphaned when its guest or person was deleted)."""
    visit = visit_get(organisation_of(request), visit_id)
    tokens = access_token_list(visit=visit, purpose=AccessToken.Purpose.FEED).order_by(
        "-created_at", "-pk"
    )
    return [_out(t) for t in tokens]


@router.post(
    "/visits/{visit_id}/feeds",
    response=responses({201: FeedLinkOut}),
    operation_id="feed_create",
)
def create_feed(request, payload: FeedIn, visit_id: int = VisitId):
    """A private feed for the whole programme, a guest, a host (`person`) or an interpreter.
    The answer holds the only copy of its https and webcal links, and a QR code."""
    visit = visit_get(organisation_of(request), visit_id)
    token, key = access_token_create(
        visit=visit,
        purpose=AccessToken.Purpose.FEED,
        subject=payload.subject,
        subject_id=payload.subject_id,
        language=payload.language or "",
        user=request.auth,
        expires_at=payload.expires_at,
    )
    return Status(201, _link_out(token, key))


@router.post(
    "/visits/{visit_id}/feeds/{feed_id}/reset",
    response=responses({201: FeedLinkOut}),
    operation_id="feed_reset",
)
def reset_feed(request, visit_id: int = VisitId, feed_id: int = FeedId):
    """Replace a link: the old one answers 410 Gone from now on, the new one is returned."""
    token, key = access_token_reset(token=_feed(request, visit_id, feed_id), user=request.auth)
    return Status(201, _link_out(token, key))


@router.post(
    "/visits/{visit_id}/feeds/{feed_id}/revoke",
    response=responses({200: FeedOut}),
    operation_id="feed_revoke",
)
def revoke_feed(request, visit_id: int = VisitId, feed_id: int = FeedId):
    """End a link for good: it answers 410 Gone, and calendar clients stop polling it."""
    return _out(access_token_revoke(token=_feed(request, visit_id, feed_id)))
