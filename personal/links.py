"""Personal links of guests and interpreters: made on first use, resolved, revoked (with the
calendar feed made by the link). Same rules as a host's link (``confirmations.links``): a
256-bit key derived from a stored salt, only its hash stored, the same expiry; unknown,
revoked and expired links are one and the same ``LinkInvalid``."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from confirmations import ratelimit
from confirmations.links import link_expiry
from delegations.models import Guest, Interpreter
from events.models import Visit
from personal.models import PersonalLink
from planner.languages import text_language
from scheduling.access import (
    PREFIX_LENGTH,
    AccessToken,
    TokenGone,
    TokenUnknown,
    access_token_resolve,
    access_token_revoke,
    derived_key,
)

PAGE_SALT = "personal.PersonalLink"
FEED_SALT = "personal.PersonalLink.feed"


class LinkInvalid(Exception):
    """Unknown, revoked or expired: the person sees the same answer for all of them."""


def page_url(key: str) -> str:
    return settings.SITE_URL + reverse("personal:page", kwargs={"key": key})


def _subject(guest: Guest | None, interpreter: Interpreter | None) -> dict:
    if (guest is None) == (interpreter is None):
        raise ValidationError({"person": _("Say which guest or which interpreter.")})
    if guest is not None:
        return {"subject": AccessToken.Subject.GUEST, "guest": guest}
    return {"subject": AccessToken.Subject.INTERPRETER, "interpreter": interpreter}


def _check_belongs(visit: Visit, guest: Guest | None, interpreter: Interpreter | None) -> None:
    if guest is not None and guest.delegation.visit_id != visit.pk:
        raise ValidationError({"guest": _("This guest is not in this visit.")})
    if interpreter is not None and not visit.interpreters.filter(pk=interpreter.pk).exists():
        raise ValidationError({"interpreter": _("This interpreter does not work in this visit.")})


def _token(visit: Visit, key: str, purpose: str, subject: dict, user=None) -> AccessToken:
    return AccessToken.objects.create(
        key_hash=AccessToken.hash_key(key),
        prefix=key[:PREFIX_LENGTH],
        purpose=purpose,
        visit=visit,
        created_by=user if user is not None and user.is_authenticated else None,
        expires_at=link_expiry(visit),
        **subject,
    )


@transaction.atomic
def personal_link_get(
    *, visit: Visit, guest: Guest | None = None, interpreter: Interpreter | None = None, user=None
) -> tuple[PersonalLink, str]:
    """The person's working link and its key (made on first use, or anew once the old one
    is over), with its calendar feed."""
    subject = _subject(guest, interpreter)
    _check_belongs(visit, guest, interpreter)
    person = {"guest": guest} if guest is not None else {"interpreter": interpreter}
    link = PersonalLink.objects.select_for_update().filter(visit=visit, **person).first()
    if link is not None:
        token = AccessToken.objects.get(pk=link.token_id)
        if token.state() == "active":
            link.token = token
            key = derived_key(PAGE_SALT, link.salt)
            ratelimit.remember_key(key)
            return link, key
    salt, feed_salt = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    key = derived_key(PAGE_SALT, salt)
    token = _token(visit, key, AccessToken.Purpose.PERSONAL_PAGE, subject, user)
    feed = _token(visit, derived_key(FEED_SALT, feed_salt), AccessToken.Purpose.FEED, subject)
    if link is None:
        link = PersonalLink.objects.create(
            visit=visit, token=token, salt=salt, feed_token=feed, feed_salt=feed_salt, **person
        )
    else:
        link.token, link.salt, link.feed_token, link.feed_salt = token, salt, feed, feed_salt
        link.save(update_fields=["token", "salt", "feed_token", "feed_salt"])
    ratelimit.remember_key(key)  # the person's first visit is never held back by guesses
    return link, key


def feed_key(link: PersonalLink) -> str:
    """The key of the calendar feed made with the link (shown on the page and in emails)."""
    return derived_key(FEED_SALT, link.feed_salt)


@transaction.atomic
def personal_link_revoke(*, link: PersonalLink) -> PersonalLink:
    """End the person's link and the calendar feed made with it; the next sending makes a
    new pair."""
    access_token_revoke(token=link.token)
    if link.feed_token_id is not None:
        access_token_revoke(token=link.feed_token)
    link.refresh_from_db()
    return link


def personal_link_resolve(*, key: str) -> PersonalLink:
    """The link of a key, or LinkInvalid (no way to tell unknown from over)."""
    try:
        token = access_token_resolve(
            key=key,
            purpose=AccessToken.Purpose.PERSONAL_PAGE,
            related=(
                "personal_link__visit",
                "personal_link__guest__delegation",
                "personal_link__interpreter__person",
                "personal_link__feed_token",
            ),
        )
    except (TokenUnknown, TokenGone):
        raise LinkInvalid from None
    link = getattr(token, "personal_link", None)
    if link is None:
        raise LinkInvalid
    link.token = token
    return link


def personal_link_opened(*, link: PersonalLink, version=None, now=None) -> None:
    """Record that the person opened their page (first and last time) and looked at
    ``version`` (the published one): when it is newer than the one they saw last time, the
    changes since that one are what the page highlights from now on."""
    now = now or timezone.now()
    fields = {"last_opened_at": now}
    if link.first_opened_at is None:
        fields["first_opened_at"] = now
    if version is not None and link.seen_version_id != version.pk:
        fields["seen_version_id"] = version.pk
        fields["changes_since_id"] = link.seen_version_id
    PersonalLink.objects.filter(pk=link.pk).update(**fields)
    for name, value in fields.items():
        setattr(link, name, value)


def link_language(link: PersonalLink) -> str:
    """The language the person reads: their preferred one when the site has texts in it."""
    if link.guest_id:
        return text_language(link.guest.preferred_language)
    return text_language(link.interpreter.person.preferred_language)
