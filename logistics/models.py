"""Logistics around a programme: how guests come and go, where they sleep, what they ride,
where meals are served, which guests an activity cannot do without, invitation letters.

Only what an organiser enters is stored. Travel legs, vehicle sheets, rooming lists, meal
counts and itineraries are computed on read from the published programme version
(``logistics.selectors``), so they never drift from it.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from delegations.models import Delegation, Guest, SubGroup
from events.models import Activity, Person, Venue, Visit
from planner.codes import validate_language_code
from planner.text import NameField, SingleLineField


class Journey(models.Model):
    """A guest's arrival at, or departure from, a station or an airport."""

    class Direction(models.TextChoices):
        ARRIVAL = "arrival", _("arrival")
        DEPARTURE = "departure", _("departure")

    class Mode(models.TextChoices):
        PLANE = "plane", _("plane")
        TRAIN = "train", _("train")
        BUS = "bus", _("coach")
        CAR = "car", _("car")
        OTHER = "other", _("other")

    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, related_name="journeys", verbose_name=_("guest")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.PLANE)
    place = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        related_name="journeys",
        verbose_name=_("station or airport"),
    )
    time = models.DateTimeField(
        _("time"),
        help_text=_(
            "When the guest lands or gets off (arrival), or when the plane or train leaves "
            "(departure)."
        ),
    )
    reference = models.CharField(
        _("reference"), max_length=60, blank=True, help_text=_("Flight or train number.")
    )
    transfer = models.BooleanField(
        _("transfer needed"),
        default=True,
        help_text=_("The organisers pick the guest up (arrival) or drop them off (departure)."),
    )
    note = SingleLineField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("arrival or departure")
        verbose_name_plural = _("arrivals and departures")
        ordering = ["time", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["guest", "direction"], name="journey_unique_direction"),
        ]

    def __str__(self) -> str:
        return f"{self.guest} — {self.get_direction_display()} {self.time:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.guest_id
            and self.place_id
            and self.place.visit_id != self.guest.delegation.visit_id
        ):
            errors["place"] = _("This venue belongs to another visit.")
        if self.guest_id and self.time and self.direction:
            other_direction = (
                self.Direction.DEPARTURE
                if self.direction == self.Direction.ARRIVAL
                else self.Direction.ARRIVAL
            )
            other = (
                Journey.objects.filter(guest_id=self.guest_id, direction=other_direction)
                .exclude(pk=self.pk)
                .values_list("time", flat=True)
                .first()
            )
            if other is not None:
                arrival, departure = (
                    (self.time, other)
                    if self.direction == self.Direction.ARRIVAL
                    else (other, self.time)
                )
                if departure <= arrival:
                    errors["time"] = _("The departure is before the arrival.")
        if errors:
            raise ValidationError(errors)


class Stay(models.Model):
    """Nights at a hotel: for the whole visit, a delegation, a sub-group or one guest.

    The most specific stay wins for a guest's night (guest, then sub-group, then delegation,
    then the whole visit). Nights are named by their evening: ``first_night`` 2009-04-15 is the
    night from the 15th to the 16th.
    """

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="stays", verbose_name=_("visit")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="stays", verbose_name=_("hotel")
    )
    first_night = models.DateField(_("first night"))
    last_night = models.DateField(_("last night"))
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("delegation"),
    )
    subgroup = models.ForeignKey(
        SubGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("sub-group"),
    )
    guest = models.ForeignKey(
        Guest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="stays",
        verbose_name=_("guest"),
    )
    room = models.CharField(
        _("room"), max_length=100, blank=True, help_text=_("Room number or type, for one guest.")
    )
    note = SingleLineField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("lodging stay")
        verbose_name_plural = _("lodging stays")
        ordering = ["visit", "first_night", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_night__gte=F("first_night")), name="stay_last_after_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue}: {self.first_night} – {self.last_night}"

    @property
    def scope_rank(self) -> int:
        """3 for one guest … 0 for the whole visit: the most specific stay wins."""
        if self.guest_id:
            return 3
        if self.subgroup_id:
            return 2
        if self.delegation_id:
            return 1
        return 0

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.first_night and self.last_night and self.last_night < self.first_night:
            errors["last_night"] = _("The last night is before the first night.")
        if sum(bool(x) for x in (self.delegation_id, self.subgroup_id, self.guest_id)) > 1:
            errors["guest"] = _("Give a delegation, a sub-group or a guest, not several.")
        if self.visit_id:
            visit = self.visit
            if self.venue_id and self.venue.visit_id != visit.pk:
                errors["venue"] = _("This venue belongs to another visit.")
            if self.delegation_id and self.delegation.visit_id != visit.pk:
                errors["delegation"] = _("This delegation belongs to another visit.")
            if self.subgroup_id and self.subgroup.delegation.visit_id != visit.pk:
                errors["subgroup"] = _("This sub-group belongs to another visit.")
            if self.guest_id and self.guest.delegation.visit_id != visit.pk:
                errors["guest"] = _("This guest belongs to another visit.")
            if self.first_night and self.last_night and "last_night" not in errors:
                # A guest may come the evening before the first day and leave the day after.
                earliest = visit.start_date - dt.timedelta(days=1)
                latest = visit.end_date
                if self.first_night < earliest or self.last_night > latest:
                    errors["first_night"] = _(
                        "The nights must lie between the eve of the first day and the last day."
                    )
        if errors:
            raise ValidationError(errors)


class Vehicle(models.Model):
    """A minibus, a car, a coach: seats for guests (the driver's seat is not counted)."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="vehicles", verbose_name=_("visit")
    )
    name = NameField(_("name"), max_length=100)
    seats = models.PositiveSmallIntegerField(
        _("passenger seats"), validators=[MaxValueValidator(100)]
    )
    driver = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("driver"),
    )
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    note = SingleLineField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["visit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "name"], name="vehicle_unique_name"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="vehicle_has_seats"),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gt=F("available_from")),
                name="vehicle_available_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.seats is not None and self.seats < 1:
            errors["seats"] = _("A vehicle needs at least one passenger seat.")
        if (
            self.available_from
            and self.available_until
            and self.available_until <= self.available_from
        ):
            errors["available_until"] = _("“Available until” must be after “available from”.")
        if self.driver_id and self.visit_id and self.driver.owner_id != self.visit.owner_id:
            errors["driver"] = _("This person belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


class Companion(models.Model):
    """Someone who travels with the guests (an organiser, an interpreter, a guide): a seat on
    each programme leg of the guests they go with, and a cover at their meals."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="companions", verbose_name=_("visit")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="companions", verbose_name=_("person")
    )
    subgroup = models.ForeignKey(
        SubGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="companions",
        verbose_name=_("sub-group"),
        help_text=_("Leave empty to travel with every guest."),
    )
    note = SingleLineField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("companion")
        verbose_name_plural = _("companions")
        ordering = ["visit", "person"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "person"], name="companion_unique_person"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.visit_id and self.person_id and self.person.owner_id != self.visit.owner_id:
            errors["person"] = _("This person belongs to another organisation.")
        if (
            self.visit_id
            and self.subgroup_id
            and self.subgroup.delegation.visit_id != self.visit_id
        ):
            errors["subgroup"] = _("This sub-group belongs to another visit.")
        if errors:
            raise ValidationError(errors)


class LegAssignment(models.Model):
    """The organiser's choice of vehicle for one travel leg (the others are assigned by
    ``logistics.seating``). A leg is named by its key (see ``logistics.legs.Leg.key``)."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="leg_assignments", verbose_name=_("visit")
    )
    leg_key = models.CharField(_("leg"), max_length=120)
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("vehicle")
    )

    class Meta:
        verbose_name = _("vehicle of a leg")
        verbose_name_plural = _("vehicles of legs")
        ordering = ["visit", "leg_key"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "leg_key", "vehicle"], name="leg_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.leg_key}: {self.vehicle}"

    def clean(self) -> None:
        if self.vehicle_id and self.visit_id and self.vehicle.visit_id != self.visit_id:
            raise ValidationError({"vehicle": _("This vehicle belongs to another visit.")})


class MealService(models.Model):
    """Whether a venue serves meals, and who to send the numbers to, in which language."""

    venue = models.OneToOneField(
        Venue, on_delete=models.CASCADE, related_name="meal_service", verbose_name=_("venue")
    )
    serves_meals = models.BooleanField(_("serves meals"), default=True)
    caterer = models.CharField(_("caterer"), max_length=200, blank=True)
    contact_name = NameField(_("contact"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language of the meal sheet"),
        max_length=12,
        default="fr",
        validators=[validate_language_code],
    )
    capacity = models.PositiveIntegerField(_("covers"), null=True, blank=True)

    class Meta:
        verbose_name = _("meal service")
        verbose_name_plural = _("meal services")
        ordering = ["venue"]

    def __str__(self) -> str:
        return self.caterer or str(self.venue)


class ActivityGuest(models.Model):
    """A guest an activity cannot happen without: the solver places it while they are there."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="required_guests",
        verbose_name=_("activity"),
    )
    guest = models.ForeignKey(
        Guest, on_delete=models.CASCADE, related_name="required_for", verbose_name=_("guest")
    )

    class Meta:
        verbose_name = _("guest required by an activity")
        verbose_name_plural = _("guests required by activities")
        constraints = [
            models.UniqueConstraint(fields=["activity", "guest"], name="activity_guest_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.guest} @ {self.activity}"

    def clean(self) -> None:
        if (
            self.activity_id
            and self.guest_id
            and self.activity.visit_id != self.guest.delegation.visit_id
        ):
            raise ValidationError({"guest": _("This guest belongs to another visit.")})


class LetterTemplate(models.Model):
    """The organiser's text of the invitation letter, in one language.

    Placeholders between double braces are filled per guest: {{ guest }}, {{ country }},
    {{ organisation }}, {{ position }}, {{ visit }}, {{ dates }}, {{ arrival }},
    {{ departure }}, {{ lodging }}, {{ host_organisation }}, {{ today }}.
    """

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="letter_templates", verbose_name=_("visit")
    )
    language = models.CharField(_("language"), max_length=12, validators=[validate_language_code])
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    signature = models.CharField(_("signature"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invitation letter template")
        verbose_name_plural = _("invitation letter templates")
        ordering = ["visit", "language"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "language"], name="letter_unique_language"),
        ]

    def __str__(self) -> str:
        return f"{self.visit} ({self.language})"

    def clean(self) -> None:
        from logistics.letters import unknown_placeholders

        unknown = unknown_placeholders(self.body or "") + unknown_placeholders(self.subject or "")
        if unknown:
            raise ValidationError(
                {
                    "body": _("Unknown placeholders: %(names)s.")
                    % {"names": ", ".join(sorted(set(unknown)))}
                }
            )


class LogisticsSnapshot(models.Model):
    """The logistics as they were when a version was published (a summary in JSON, see
    ``logistics.diff``): the base of the next digest to drivers and caterers. Pages never
    read it; they compute from the published version."""

    version = models.OneToOneField(
        "scheduling.ProgrammeVersion",
        on_delete=models.CASCADE,
        related_name="logistics_snapshot",
        verbose_name=_("version"),
    )
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    data = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("logistics at publication")
        verbose_name_plural = _("logistics at publication")
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return str(self.version)
