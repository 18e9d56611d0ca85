"""Hosts' personal links: made, resolved, revoked, and the calendar subscriptions asked for
from the host's page. A link is an access token (``scheduling.access``) plus the salt its
key is derived from."""

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confirmations import ratelimit
from confirmations.models import HostLink
from events.models import ActivityHost, Person, Visit
from feeds.sync import programme_feed_refresh
from scheduling.access import (
    PREFIX_LENGTH,
    AccessToken,
    TokenGone,
    TokenUnknown,
    access_token_create,
    access_token_resolve,
    access_token_revoke,
    derived_key,
)

HMAC_SALT = "confirmations.HostLink"


class LinkInvalid(Exception):
    """Unknown, revoked, reset or expired: the host sees the same answer for all of them."""


def _key(salt: str) -> str:
    return derived_key(HMAC_SALT, salt)


def link_expiry(visit: Visit, now=None) -> dt.datetime:
    """Links work until the end of the visit's last day (its own time zone), and at least
    HOST_LINK_MIN_DAYS after they are made."""
    zone = ZoneInfo(visit.time_zone)
    after_visit = dt.datetime.combine(visit.end_date + dt.timedelta(days=1), dt.time(), zone)
    soonest = (now or timezone.now()) + dt.timedelta(days=settings.HOST_LINK_MIN_DAYS)
    return max(after_visit, soonest)


def link_url(link: HostLink) -> str:
    """The address of a host's page from their link (its key derives from the stored salt)."""
    return host_url(_key(link.salt))


def host_url(key: str) -> str:
    return settings.SITE_URL + reverse("confirmations:host", kwargs={"key": key})


def _is_host(visit: Visit, person: Person) -> bool:
    return ActivityHost.objects.filter(activity__visit=visit, person=person).exists()


@transaction.atomic
def host_link_get(*, visit: Visit, person: Person, user=None) -> tuple[HostLink, str]:
    """The host's working link (made on first use, or anew once the old one is over)."""
    if person.owner_id != visit.owner_id or not _is_host(visit, person):
        raise ValidationError({"person": _("This person hosts nothing in this visit.")})
    link = HostLink.objects.select_for_update().filter(visit=visit, person=person).first()
    if link is not None:
        token = AccessToken.objects.get(pk=link.token_id)
        if token.state() == "active":
            link.token = token
            key = _key(link.salt)
            ratelimit.remember_key(key)
            return link, key
    salt = secrets.token_urlsafe(32)
    key = _key(salt)
    token = AccessToken.objects.create(
        key_hash=AccessToken.hash_key(key),
        prefix=key[:PREFIX_LENGTH],
        purpose=AccessToken.Purpose.HOST_LINK,
        subject=AccessToken.Subject.PERSON,
        visit=visit,
        person=person,
        created_by=user if user is not None and user.is_authenticated else None,
        expires_at=link_expiry(visit),
    )
    if link is None:
        link = HostLink.objects.create(visit=visit, person=person, token=token, salt=salt)
    else:
        link.token, link.salt = token, salt
        link.save(update_fields=["token", "salt"])
    programme_feed_refresh(visit=visit)  # the host's feed events link to the new page
    ratelimit.remember_key(key)  # the host's first visit is never held back by guesses
    return link, key


@transaction.atomic
def host_link_revoke(*, visit: Visit, person: Person, reason=AccessToken.RevokeReason.REVOKED):
    """Kill the host's link, and the calendar feeds the host made from their page with it
    (or with an earlier link); the next email to them carries a new one. Feeds an organiser
    made for the host stay: the organiser revokes those on the feeds page."""
    link = HostLink.objects.select_related("token").filter(visit=visit, person=person).first()
    if link is not None:
        access_token_revoke(token=link.token, reason=reason)
        AccessToken.objects.filter(
            visit=visit,
            purpose=AccessToken.Purpose.FEED,
            subject=AccessToken.Subject.PERSON,
            person=person,
            created_by__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now(), revoke_reason=AccessToken.RevokeReason.REVOKED)
        programme_feed_refresh(visit=visit)  # feeds an organiser made lose the dead link
    return link


def host_link_resolve(*, key: str) -> HostLink:
    """The link of a key, or LinkInvalid (one exception: no way to tell unknown from over)."""
    try:
        # One query: the token with its link (and the link's visit and host) joined.
        token = access_token_resolve(
            key=key,
            purpose=AccessToken.Purpose.HOST_LINK,
            related=("host_link__visit", "host_link__person"),
        )
    except (TokenUnknown, TokenGone):
        raise LinkInvalid from None
    link = getattr(token, "host_link", None)
    if link is None or token.subject != AccessToken.Subject.PERSON:
        raise LinkInvalid
    return link


def host_calendar_key(*, link: HostLink, language: str) -> str:
    """A calendar subscription of the host's own slots, asked for from their page. Each ask
    makes a new feed link (its key is shown once); the organiser sees and revokes them all on
    the visit's calendar feeds page, and revoking the host's link revokes them too (they are
    the host's feeds made by no organiser: ``created_by`` is empty)."""
    _token, key = access_token_create(
        visit=link.visit,
        purpose=AccessToken.Purpose.FEED,
        subject=AccessToken.Subject.PERSON,
        subject_id=link.person_id,
        language=language,
        expires_at=link_expiry(link.visit),
    )
    return key
