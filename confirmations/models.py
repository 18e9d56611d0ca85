"""Models of the confirmations app: hosts' personal links, proposals sent, and answers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from planner.text import MultiLineField


class HostLink(models.Model):
    """The one personal link of a host for a visit.

    The key in the address is HMAC(SECRET_KEY, salt): only its SHA-256 is stored (in the
    access token), so the database alone opens nothing, yet every email to the host (first
    proposal, reminder, new proposal) can carry the same link. A reset changes the salt and
    the token: the old link is dead."""

    visit = models.ForeignKey(
        "events.Visit", on_delete=models.CASCADE, related_name="+", verbose_name=_("visit")
    )
    person = models.ForeignKey(
        "events.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("host")
    )
    token = models.OneToOneField(
        "scheduling.AccessToken",
        on_delete=models.CASCADE,
        related_name="host_link",
        verbose_name=_("access token"),
    )
    salt = models.CharField(_("salt"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("host link")
        verbose_name_plural = _("host links")
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="host_link_one_per_host"),
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.visit}"


class Proposal(models.Model):
    """A programme version sent to one host (first sending, new proposal after a change,
    or resent by the organiser); reminders are counted on it."""

    class Kind(models.TextChoices):
        FIRST = "first", _("first proposal")
        UPDATE = "update", _("new proposal after a change")
        RESEND = "resend", _("sent again")

    visit = models.ForeignKey(
        "events.Visit", on_delete=models.CASCADE, related_name="+", verbose_name=_("visit")
    )
    version = models.ForeignKey(
        "scheduling.ProgrammeVersion",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("version"),
    )
    person = models.ForeignKey(
        "events.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("host")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FIRST)
    email = models.ForeignKey(
        "notifications.OutgoingEmail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("email"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"))
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["visit", "person", "-sent_at"], name="proposal_host")]

    def __str__(self) -> str:
        return f"{self.person} — {self.version}"


class HostAnswer(models.Model):
    """One answer of one host about one activity at one time; the history is kept, and
    ``current`` marks the latest per host and activity. An answer holds for the time it was
    given: when the activity moves, the host has not answered for the new time yet."""

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        OFFERED = "offered", _("offered other times")

    programme = models.ForeignKey(
        "scheduling.Programme",
        on_delete=models.CASCADE,
        related_name="host_answers",
        verbose_name=_("programme"),
    )
    activity = models.ForeignKey(
        "events.Activity", on_delete=models.CASCADE, related_name="+", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        "events.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("host")
    )
    version = models.ForeignKey(
        "scheduling.ProgrammeVersion",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("version the answer is about"),
    )
    start = models.DateTimeField(_("start of the time answered"))
    end = models.DateTimeField(_("end of the time answered"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices)
    reason = MultiLineField(_("reason"), max_length=1000, blank=True)
    windows = models.JSONField(_("times offered"), default=list, blank=True)
    current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)
    # A confirmation already locks its slot, so the organiser's own lock cannot be told
    # from it: fixing the answer is how the organiser ends the host's right to change it.
    fixed_at = models.DateTimeField(_("fixed by the organiser at"), null=True, blank=True)

    class Meta:
        verbose_name = _("host answer")
        verbose_name_plural = _("host answers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "activity", "person"],
                condition=Q(current=True),
                name="host_answer_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_answer_display()} — {self.activity}"


class ReplanWanted(models.Model):
    """A decline arrived while a solve was running: re-plan again once it ends."""

    programme = models.OneToOneField(
        "scheduling.Programme",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("programme"),
    )
    reasons = models.TextField(_("reasons"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now=True)

    class Meta:
        verbose_name = _("re-plan waiting")
        verbose_name_plural = _("re-plans waiting")

    def __str__(self) -> str:
        return str(self.programme)
