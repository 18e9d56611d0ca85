"""Work a change has caused, written in the change's own transaction.

The queue (django-q2) only rings the bell: if a doorbell is lost (a worker killed after taking
it, Redis restarted, a web process killed right after the commit), the row is still here and
the sweeper rings again. `key` says which cause the row stands for, so the same cause never
makes two rows, and handlers are written to be run more than once.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxItem(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("key"), max_length=200, unique=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    rung_at = models.DateTimeField(_("last sent to a worker at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("started at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pending work item")
        verbose_name_plural = _("pending work")
        indexes = [models.Index(fields=["state", "not_before"], name="outbox_due")]

    def __str__(self):
        return f"{self.kind} {self.key} ({self.state})"
