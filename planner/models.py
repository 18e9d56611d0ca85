"""Tenancy and access: organisations, the organisers who act for them, API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from planner.codes import validate_country_code
from planner.text import NameField, SingleLineField


class Organisation(models.Model):
    """Any organisation: the network that plans visits, a host association, a council."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("network")
        ASSOCIATION = "association", _("association")
        PUBLIC_BODY = "public_body", _("public body")
        COMPANY = "company", _("company")
        COOPERATIVE = "cooperative", _("cooperative")
        RESEARCH = "research", _("research centre")
        OTHER = "other", _("other")

    name = NameField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country_code]
    )
    city = SingleLineField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organiser(models.Model):
    """A user who plans visits on behalf of one organisation and sees only its visits.

    Editors change the organisation's visits; viewers read them."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("editor")
        VIEWER = "viewer", _("viewer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organiser",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="organisers",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"

    @property
    def can_edit(self) -> bool:
        return self.role == self.Role.EDITOR


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = SingleLineField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An editor asked a colleague to join the organisation with a role.

    The link's key is shown once (in the email); only its SHA-256 is stored. The link works
    once, until ``expires_at``; accepting creates the account and its organiser."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=8, choices=Organiser.Role.choices, default=Organiser.Role.EDITOR
    )
    language = models.CharField(_("language"), max_length=12, default="fr")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.organisation})"
