"""Programmes: immutable versions of a visit's timetable, their slots and interpreter turns."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from delegations.models import Interpreter
from events.models import Activity, Venue, Visit
from planner.codes import validate_language_code


class Programme(models.Model):
    visit = models.OneToOneField(
        Visit, on_delete=models.CASCADE, related_name="programme", verbose_name=_("visit")
    )
    current_version = models.ForeignKey(
        "ProgrammeVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )
    auto_publish = models.BooleanField(
        _("publish automatically"),
        default=False,
        help_text=_("Publish each successful solve without waiting for an organiser."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return str(self.visit)


class ProgrammeVersion(models.Model):
    """A timetable as it was produced. Never edited after creation: changes make a new one."""

    class Source(models.TextChoices):
        SOLVER = "solver", _("solver")
        REPLAN = "replan", _("re-plan")
        MANUAL = "manual", _("manual edit")
        IMPORT = "import", _("import")

    class SolverStatus(models.TextChoices):
        OPTIMAL = "optimal", _("optimal")
        FEASIBLE = "feasible", _("feasible (time limit reached)")
        NONE = "", _("not solved")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="versions", verbose_name=_("programme")
    )
    number = models.PositiveIntegerField(_("number"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    solver_status = models.CharField(
        _("solver status"), max_length=10, choices=SolverStatus.choices, blank=True
    )
    objective = models.BigIntegerField(_("objective"), null=True, blank=True)
    bound = models.BigIntegerField(_("best bound"), null=True, blank=True)
    terms = models.JSONField(_("objective terms"), default=dict, blank=True)
    unplaced = models.JSONField(
        _("activities not placed"), default=list, blank=True, help_text=_("Activity ids.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return _("%(visit)s, version %(number)d") % {
            "visit": self.programme.visit,
            "number": self.number,
        }


class Slot(models.Model):
    """Where and when one activity happens in one version, and the host's answer."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        CANCELLED = "cancelled", _("cancelled")

    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.CASCADE, related_name="slots", verbose_name=_("version")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="slots", verbose_name=_("activity")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="slots", verbose_name=_("venue")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    locked = models.BooleanField(_("locked"), default=False)
    change_reason = models.CharField(_("why it changed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["version", "start"]
        constraints = [
            models.UniqueConstraint(fields=["version", "activity"], name="slot_unique_activity"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="slot_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.start:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The slot ends before it starts.")})


class InterpreterAssignment(models.Model):
    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("slot")
    )
    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("interpreter"),
    )
    source = models.CharField(_("from"), max_length=12, validators=[validate_language_code])
    target = models.CharField(_("into"), max_length=12, validators=[validate_language_code])

    class Meta:
        verbose_name = _("interpreter assignment")
        verbose_name_plural = _("interpreter assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "interpreter", "source", "target"], name="assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interpreter}: {self.source} → {self.target}"
