"""The personal link of a guest or an interpreter for one visit, and what the organiser
follows on it: sent, opened, the calendar feed made with it, the version last looked at."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PersonalLink(models.Model):
    """One person's link to their own page for a visit.

    As a host's link: the key in the address is HMAC(SECRET_KEY, salt), only its SHA-256 is
    stored (in the access token), so every email can carry the same link and the database
    alone opens nothing. The calendar feed made with the link has its key derived the same
    way (``feed_salt``), so the page can show the subscribe links again; revoking the link
    revokes that feed."""

    visit = models.ForeignKey(
        "events.Visit", on_delete=models.CASCADE, related_name="+", verbose_name=_("visit")
    )
    guest = models.ForeignKey(
        "delegations.Guest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guest"),
    )
    interpreter = models.ForeignKey(
        "delegations.Interpreter",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interpreter"),
    )
    token = models.OneToOneField(
        "scheduling.AccessToken",
        on_delete=models.CASCADE,
        related_name="personal_link",
        verbose_name=_("access token"),
    )
    salt = models.CharField(_("salt"), max_length=64, editable=False)
    feed_token = models.ForeignKey(
        "scheduling.AccessToken",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calendar feed"),
    )
    feed_salt = models.CharField(_("feed salt"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    sent_count = models.PositiveIntegerField(_("times sent"), default=0)
    email = models.ForeignKey(
        "notifications.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last email"),
    )
    first_opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    last_opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)
    # The published version the person last looked at, and the one before it: changes are
    # highlighted against ``changes_since`` until a newer version is published.
    seen_version = models.ForeignKey(
        "scheduling.ProgrammeVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version last seen"),
    )
    changes_since = models.ForeignKey(
        "scheduling.ProgrammeVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changes shown since"),
    )

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        constraints = [
            models.CheckConstraint(
                condition=Q(guest__isnull=False, interpreter__isnull=True)
                | Q(guest__isnull=True, interpreter__isnull=False),
                name="personal_link_one_person",
            ),
            models.UniqueConstraint(
                fields=["visit", "guest"],
                condition=Q(guest__isnull=False),
                name="personal_link_one_per_guest",
            ),
            models.UniqueConstraint(
                fields=["visit", "interpreter"],
                condition=Q(interpreter__isnull=False),
                name="personal_link_one_per_interpreter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} / {self.visit}"

    @property
    def kind(self) -> str:
        return "guest" if self.guest_id else "interpreter"

    @property
    def person_name(self) -> str:
        if self.guest_id:
            return self.guest.full_name
        return self.interpreter.person.full_name
