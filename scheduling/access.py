"""Capability links: unguessable tokens that open one thing (a feed, a host's answer page)
for one subject of one visit, without an account.

Only the SHA-256 of a key is stored, so a leaked database does not leak working links; the
key itself is shown once, when it is made. A reset revokes the old token and makes a new
one; a revoked, reset, expired or orphaned token answers "gone" (410), an unknown one "not
found" (404), so a calendar client stops polling a dead link instead of wiping its events.
"""

import base64
import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from delegations.models import Guest, Interpreter
from events.models import Person, Visit

# secrets.token_urlsafe(32): 256 random bits in 43 characters of the URL-safe alphabet.
KEY_BYTES = 32
# Anything else cannot be one of our keys: refused before touching the database.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
PREFIX_LENGTH = 6


class AccessToken(models.Model):
    class Purpose(models.TextChoices):
        FEED = "feed", _("calendar feed")
        HOST_LINK = "host_link", _("host answer link")
        PERSONAL_PAGE = "personal", _("guest's or interpreter's personal page")

    class Subject(models.TextChoices):
        PROGRAMME = "programme", _("whole programme")
        GUEST = "guest", _("guest")
        PERSON = "person", _("host or person")
        INTERPRETER = "interpreter", _("interpreter")

    class RevokeReason(models.TextChoices):
        REVOKED = "revoked", _("revoked")
        RESET = "reset", _("replaced by a new link")

    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=PREFIX_LENGTH, editable=False)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="access_tokens", verbose_name=_("visit")
    )
    # The subject's row; SET_NULL so that deleting a guest turns the link into a 410 (the
    # subscription is over) instead of silently making it unknown.
    guest = models.ForeignKey(
        Guest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_tokens",
        verbose_name=_("guest"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_tokens",
        verbose_name=_("person"),
    )
    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_tokens",
        verbose_name=_("interpreter"),
    )
    language = models.CharField(
        _("language"),
        max_length=12,
        blank=True,
        help_text=_("Empty: the subject's preferred language."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(
        _("why revoked"), max_length=10, choices=RevokeReason.choices, blank=True
    )
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one subject row; none for the whole programme (or once it was deleted).
            models.CheckConstraint(
                condition=(
                    Q(guest__isnull=True, person__isnull=True, interpreter__isnull=True)
                    | Q(subject="guest", person__isnull=True, interpreter__isnull=True)
                    | Q(subject="person", guest__isnull=True, interpreter__isnull=True)
                    | Q(subject="interpreter", guest__isnull=True, person__isnull=True)
                ),
                name="access_token_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoke_reason="")
                | Q(revoked_at__isnull=False) & ~Q(revoke_reason=""),
                name="access_token_revoke_reason",
            ),
        ]
        indexes = [models.Index(fields=["visit", "purpose"], name="access_token_visit_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.subject_label} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def subject_row(self):
        return {
            self.Subject.GUEST: self.guest,
            self.Subject.PERSON: self.person,
            self.Subject.INTERPRETER: self.interpreter,
            self.Subject.PROGRAMME: self.visit,
        }[self.subject]

    @property
    def subject_id(self) -> int | None:
        return {
            self.Subject.GUEST: self.guest_id,
            self.Subject.PERSON: self.person_id,
            self.Subject.INTERPRETER: self.interpreter_id,
            self.Subject.PROGRAMME: self.visit_id,
        }[self.subject]

    @property
    def subject_label(self) -> str:
        row = self.subject_row
        return str(row) if row is not None else str(_("(deleted)"))

    def state(self, now=None) -> str:
        """active, revoked, reset, expired or orphaned (its subject was deleted)."""
        if self.revoked_at is not None:
            return self.revoke_reason
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return "expired"
        if self.subject != self.Subject.PROGRAMME and self.subject_id is None:
            return "orphaned"
        return "active"


class TokenUnknown(Exception):
    """No such link: 404."""


class TokenGone(Exception):
    """The link existed and is over (revoked, reset, expired, subject deleted): 410."""

    def __init__(self, token: AccessToken, state: str):
        super().__init__(state)
        self.token, self.state = token, state


def _subject_fields(visit: Visit, subject: str, subject_id: int | None) -> dict:
    """The FK to set for a subject, checked to belong to the visit's organisation and visit."""
    if subject == AccessToken.Subject.PROGRAMME:
        return {}
    if subject_id is None:
        raise ValidationError({"subject_id": _("Say which %(subject)s.") % {"subject": subject}})
    found = None
    if subject == AccessToken.Subject.GUEST:
        found = Guest.objects.filter(pk=subject_id, delegation__visit=visit).first()
    elif subject == AccessToken.Subject.PERSON:
        found = Person.objects.filter(pk=subject_id, owner_id=visit.owner_id).first()
    elif subject == AccessToken.Subject.INTERPRETER:
        found = Interpreter.objects.filter(pk=subject_id, owner_id=visit.owner_id).first()
    else:
        raise ValidationError({"subject": _("Unknown subject.")})
    if found is None:
        raise ValidationError(
            {"subject_id": _("No such %(subject)s in this visit.") % {"subject": subject}}
        )
    return {subject: found}


@transaction.atomic
def derived_key(namespace: str, salt: str) -> str:
    """A link's key from its stored salt: HMAC(SECRET_KEY, salt) under ``namespace``, 43
    URL-safe characters (256 bits). Only its hash is stored; the salt lets the page show the
    key again, and a new SECRET_KEY ends every such link."""
    digest = salted_hmac(namespace, salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def access_token_create(
    *,
    visit: Visit,
    purpose: str,
    subject: str,
    subject_id: int | None = None,
    language: str = "",
    user=None,
    expires_at=None,
) -> tuple[AccessToken, str]:
    """A new token and its key; the key is returned once and never stored."""
    fields = _subject_fields(visit, subject, subject_id)
    key = secrets.token_urlsafe(KEY_BYTES)
    token = AccessToken(
        key_hash=AccessToken.hash_key(key),
        prefix=key[:PREFIX_LENGTH],
        purpose=purpose,
        subject=subject,
        visit=visit,
        language=language,
        created_by=user if user is not None and user.is_authenticated else None,
        expires_at=expires_at,
        **fields,
    )
    token.full_clean(exclude=["key_hash", "prefix"])
    token.save()
    return token, key


@transaction.atomic
def access_token_revoke(*, token: AccessToken, reason: str = AccessToken.RevokeReason.REVOKED):
    """Ends a link for good (410 from now on). Revoking twice keeps the first date."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoke_reason=reason
    )
    token.refresh_from_db()
    return token


@transaction.atomic
def access_token_reset(*, token: AccessToken, user=None) -> tuple[AccessToken, str]:
    """Replace a link: the old key answers 410, the new one opens the same thing."""
    locked = AccessToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        access_token_revoke(token=locked, reason=AccessToken.RevokeReason.RESET)
    new, key = access_token_create(
        visit=locked.visit,
        purpose=locked.purpose,
        subject=locked.subject,
        subject_id=locked.subject_id,
        language=locked.language,
        user=user,
        expires_at=locked.expires_at,
    )
    AccessToken.objects.filter(pk=locked.pk).update(replaced_by=new)
    return new, key


def access_token_resolve(*, key: str, purpose: str, related=()) -> AccessToken:
    """The active token for a key, or TokenUnknown / TokenGone. One query; none for junk."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise TokenUnknown
    token = (
        AccessToken.objects.select_related(*related)
        .filter(key_hash=AccessToken.hash_key(key), purpose=purpose)
        .order_by()
        .first()
    )
    if token is None:
        raise TokenUnknown
    state = token.state()
    if state != "active":
        raise TokenGone(token, state)
    return token


def access_token_list(*, visit: Visit, purpose: str):
    return AccessToken.objects.filter(visit=visit, purpose=purpose).select_related(
        "guest", "person", "interpreter__person", "visit"
    )
