"""Models of the invitations app: one calendar invitation per slot and person."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """The calendar invitation (iTIP over email) of one person to one activity of a visit.

    An activity has one slot per programme version; the invitation follows the activity, so a
    move is an update of the same invitation (same UID, SEQUENCE + 1) and a cancellation ends
    it (METHOD:CANCEL). ``content`` is what was last sent (times, texts, language) and
    ``content_hash`` its digest: a new sending with the same content keeps the SEQUENCE."""

    class Role(models.TextChoices):
        HOST = "host", _("host")
        INTERPRETER = "interpreter", _("interpreter")

    class State(models.TextChoices):
        SENT = "sent", _("sent")
        CANCELLED = "cancelled", _("cancelled")

    class PartStat(models.TextChoices):
        NEEDS_ACTION = "NEEDS-ACTION", _("no answer")
        ACCEPTED = "ACCEPTED", _("accepted")
        DECLINED = "DECLINED", _("declined")
        TENTATIVE = "TENTATIVE", _("tentative")

    visit = models.ForeignKey(
        "events.Visit", on_delete=models.CASCADE, related_name="+", verbose_name=_("visit")
    )
    activity = models.ForeignKey(
        "events.Activity", on_delete=models.CASCADE, related_name="+", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        "events.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    uid = models.CharField(_("UID"), max_length=255, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    content = models.JSONField(_("content last sent"), default=dict, blank=True)
    content_hash = models.CharField(_("hash of the content last sent"), max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    partstat = models.CharField(
        _("answer in the calendar"),
        max_length=12,
        choices=PartStat.choices,
        default=PartStat.NEEDS_ACTION,
    )
    replied_at = models.DateTimeField(_("last reply at"), null=True, blank=True)
    email = models.ForeignKey(
        "notifications.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last email"),
    )
    sent_at = models.DateTimeField(_("last sent at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar invitation")
        verbose_name_plural = _("calendar invitations")
        ordering = ["visit", "activity", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"], name="invitation_one_per_activity_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.activity} ({self.get_state_display()})"


class PendingSync(models.Model):
    """Invitations to bring in step with the published programme: written in the transaction
    of the change (a proposal sent, a version published), run by a worker (rung at commit, and
    swept by the outbox's minute sweep if the bell was lost). A publication's row waits
    ``INVITATIONS_UPDATE_DELAY_S`` and takes in the publications that follow meanwhile."""

    programme = models.ForeignKey(
        "scheduling.Programme", on_delete=models.CASCADE, related_name="+"
    )
    # The people whose invitations to bring in step (a proposal's host); null: everyone.
    person_ids = models.JSONField(_("people"), null=True, blank=True)
    resend = models.BooleanField(_("send again as it is"), default=False)
    due_at = models.DateTimeField(_("due at"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitations to update")
        verbose_name_plural = _("invitations to update")
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["due_at"], name="invitation_sync_due")]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.person_ids or 'all'} at {self.due_at}"
