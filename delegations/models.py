"""Who visits and who interprets: delegations, sub-groups, guests, interpreters."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.models import Person, Venue, Visit
from planner.codes import validate_country_code, validate_language_code
from planner.models import Organisation
from planner.text import MultiLineField, NameField, SingleLineField


class Delegation(models.Model):
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("visit")
    )
    name = NameField(_("name"), max_length=200)
    description = MultiLineField(_("description"), blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["visit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "name"], name="delegation_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SubGroup(models.Model):
    """Part of a delegation that follows its own track for some activities."""

    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="subgroups",
        verbose_name=_("delegation"),
    )
    name = NameField(_("name"), max_length=100)
    lodging = models.ForeignKey(
        Venue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lodging"),
    )

    class Meta:
        verbose_name = _("sub-group")
        verbose_name_plural = _("sub-groups")
        ordering = ["delegation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "name"], name="subgroup_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.delegation} / {self.name}"

    def clean(self) -> None:
        same_visit = self.lodging_id and self.delegation_id
        if same_visit and self.lodging.visit_id != self.delegation.visit_id:
            raise ValidationError({"lodging": _("This venue belongs to another visit.")})


class Guest(models.Model):
    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="guests", verbose_name=_("delegation")
    )
    subgroup = models.ForeignKey(
        SubGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guests",
        verbose_name=_("sub-group"),
    )
    full_name = NameField(_("full name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    country = models.CharField(_("country"), max_length=2, validators=[validate_country_code])
    organisation = SingleLineField(_("organisation"), max_length=200, blank=True)
    position = SingleLineField(_("position"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language for documents"),
        max_length=12,
        default="en",
        validators=[validate_language_code],
    )
    arrival = models.DateTimeField(_("arrival"), null=True, blank=True)
    departure = models.DateTimeField(_("departure"), null=True, blank=True)
    dietary_needs = SingleLineField(_("dietary needs"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ["delegation", "full_name"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "full_name"], name="guest_unique_name"),
            models.CheckConstraint(
                condition=Q(arrival__isnull=True)
                | Q(departure__isnull=True)
                | Q(departure__gt=F("arrival")),
                name="guest_departure_after_arrival",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        errors = {}
        if self.arrival and self.departure and self.departure <= self.arrival:
            errors["departure"] = _("The departure is before the arrival.")
        both = self.subgroup_id and self.delegation_id
        if both and self.subgroup.delegation_id != self.delegation_id:
            errors["subgroup"] = _("This sub-group belongs to another delegation.")
        if errors:
            raise ValidationError(errors)


class GuestLanguage(models.Model):
    class Level(models.TextChoices):
        NATIVE = "native", _("native")
        FLUENT = "fluent", _("fluent")
        WORKING = "working", _("working knowledge")
        BASIC = "basic", _("basic")

    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, related_name="languages", verbose_name=_("guest")
    )
    language = models.CharField(_("language"), max_length=12, validators=[validate_language_code])
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.FLUENT)

    class Meta:
        verbose_name = _("language of a guest")
        verbose_name_plural = _("languages of a guest")
        constraints = [
            models.UniqueConstraint(fields=["guest", "language"], name="guest_language_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"

    @property
    def follows_a_meeting(self) -> bool:
        """Basic knowledge is not enough to follow a meeting without interpretation."""
        return self.level != self.Level.BASIC


class Interpreter(models.Model):
    class Mode(models.TextChoices):
        SIMULTANEOUS = "simultaneous", _("simultaneous")
        CONSECUTIVE = "consecutive", _("consecutive")
        WHISPERED = "whispered", _("whispered")

    owner = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="interpreters",
        verbose_name=_("owner"),
    )
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="interpreter", verbose_name=_("person")
    )
    modes = models.JSONField(_("modes"), default=list, blank=True)
    daily_cap_minutes = models.PositiveIntegerField(
        _("daily cap (minutes of interpreting)"),
        default=360,
        validators=[MinValueValidator(30), MaxValueValidator(720)],
    )

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")

    def __str__(self) -> str:
        return str(self.person)

    def clean(self) -> None:
        modes = self.modes
        valid = set(self.Mode.values)
        if not isinstance(modes, list) or not modes or not set(modes) <= valid:
            raise ValidationError(
                {
                    "modes": _("Give one or more of: %(modes)s.")
                    % {"modes": ", ".join(sorted(valid))}
                }
            )
        if self.person_id and self.owner_id and self.person.owner_id != self.owner_id:
            raise ValidationError({"person": _("This person belongs to another organisation.")})


class LanguageDirection(models.Model):
    """An interpreter works from ``source`` into ``target`` (a pair is two directions)."""

    interpreter = models.ForeignKey(
        Interpreter,
        on_delete=models.CASCADE,
        related_name="directions",
        verbose_name=_("interpreter"),
    )
    source = models.CharField(_("from"), max_length=12, validators=[validate_language_code])
    target = models.CharField(_("into"), max_length=12, validators=[validate_language_code])

    class Meta:
        verbose_name = _("language direction")
        verbose_name_plural = _("language directions")
        constraints = [
            models.UniqueConstraint(
                fields=["interpreter", "source", "target"], name="direction_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="direction_distinct_languages"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def clean(self) -> None:
        if self.source and self.source == self.target:
            raise ValidationError({"target": _("Interpreting needs two different languages.")})
