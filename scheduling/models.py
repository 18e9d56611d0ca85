"""Programmes: immutable versions of a visit's timetable, their slots and interpreter turns."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from delegations.models import Interpreter
from events.models import Activity, Venue, Visit
from planner.codes import validate_language_code
from planner.validators import ends_before_start


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
    # The languages the solver chose (solver.LanguageChoice): {"spoken": "fr", "listening":
    # [[group id, "en", 2], ...]}; {} for a version made before choices.
    languages = models.JSONField(_("languages"), default=dict, blank=True)

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
        if ends_before_start(self.start, self.end):
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


class SolveJob(models.Model):
    """One request to build (or re-plan) a programme, run by a background worker.

    The job never writes a version until the solver has finished: whatever happens to the
    worker, the versions already there stay exactly as they were.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")
        TIMED_OUT = "timed_out", _("timed out")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    class Kind(models.TextChoices):
        SOLVE = "solve", _("build the programme")
        REPLAN = "replan", _("re-plan around confirmations")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("programme")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SOLVE)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    requested_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    time_limit_s = models.FloatField(_("time limit (seconds)"), default=30.0)
    base_version = models.ForeignKey(
        ProgrammeVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on version"),
    )
    result_version = models.ForeignKey(
        ProgrammeVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version produced"),
    )
    progress = models.JSONField(_("progress"), default=dict, blank=True)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    attempts = models.PositiveSmallIntegerField(_("solver runs"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # host:pid of the worker that took the job: a silent job whose worker still lives lost
    # the database, not its worker (the sweeper says which).
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    retry_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retry of"),
    )

    class Meta:
        verbose_name = _("solve job")
        verbose_name_plural = _("solve jobs")
        ordering = ["-created_at"]
        constraints = [
            # One solve at a time per programme, enforced by the database against races.
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(state__in=["queued", "running"]),
                name="solve_job_one_active_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} — {self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES


from scheduling import access  # noqa: E402,F401  (the access-token model)
