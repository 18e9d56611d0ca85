"""Models of the notifications app: every outgoing email, and changes waiting for a digest."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from planner.codes import validate_language_code


class OutgoingEmail(models.Model):
    """One email: who, what, when, and whether it left.

    The bodies are kept only until the message is sent (or given up on): they may hold a
    personal link, which must not outlive its delivery in the database."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("proposal to a host")
        REMINDER = "reminder", _("reminder to a host")
        DIGEST = "digest", _("digest of changes")
        OTHER = "other", _("other")

    visit = models.ForeignKey(
        "events.Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("visit"),
    )
    to_email = models.EmailField(_("to"))
    to_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=12, default="fr", validators=[validate_language_code]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("plain text"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"name": ..., "mimetype": ..., "content": text}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    attachment_names = models.JSONField(_("attachment names"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="email_state_next"),
            models.Index(fields=["to_email", "-created_at"], name="email_to_created"),
        ]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject} ({self.get_state_display()})"


class PendingChange(models.Model):
    """One line of a digest not sent yet. Lines with the same ``key`` for one recipient
    replace each other: ten moves of one meeting make one line, the latest."""

    visit = models.ForeignKey(
        "events.Visit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("visit"),
    )
    email = models.EmailField(_("recipient"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=12, default="fr")
    topic = models.CharField(_("topic"), max_length=300)
    key = models.CharField(_("key"), max_length=200, blank=True)
    line = models.TextField(_("line"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    link_label = models.CharField(_("link label"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("change waiting for a digest")
        verbose_name_plural = _("changes waiting for a digest")
        ordering = ["email", "created_at", "pk"]
        indexes = [models.Index(fields=["email", "created_at"], name="pending_email_created")]

    def __str__(self) -> str:
        return f"{self.email}: {self.line[:60]}"
