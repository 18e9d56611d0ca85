"""What an organiser plans: visits, their venues and travel times, people, activities."""

import datetime as dt
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from events.interpretation import rules_errors
from planner import i18n
from planner.codes import (
    in_language,
    time_zones,
    validate_country_code,
    validate_descriptions,
    validate_language_code,
    validate_language_list,
    validate_time_zone,
    validate_titles,
)
from planner.models import Organisation
from planner.text import MultiLineField, NameField, SingleLineField
from planner.validators import ends_before_start


class VisitFormat(models.Model):
    """A reusable format: ordered phases (illustrate → debate → propose) and a reading grid."""

    owner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="formats", verbose_name=_("owner")
    )
    name = NameField(_("name"), max_length=200)
    description = MultiLineField(_("description"), blank=True)

    class Meta:
        verbose_name = _("format")
        verbose_name_plural = _("formats")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="format_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    format = models.ForeignKey(
        VisitFormat, on_delete=models.CASCADE, related_name="phases", verbose_name=_("format")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = NameField(_("name"), max_length=100)
    description = MultiLineField(_("description"), blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["format", "order"]
        constraints = [
            models.UniqueConstraint(fields=["format", "order"], name="phase_unique_order"),
            models.UniqueConstraint(fields=["format", "name"], name="phase_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ReadingGridQuestion(models.Model):
    format = models.ForeignKey(
        VisitFormat,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("format"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = MultiLineField(_("question"))
    phase = models.ForeignKey(
        Phase,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("phase"),
        help_text=_("The phase in which the question is mainly discussed, if any."),
    )

    class Meta:
        verbose_name = _("reading grid question")
        verbose_name_plural = _("reading grid questions")
        ordering = ["format", "order"]
        constraints = [
            models.UniqueConstraint(fields=["format", "order"], name="question_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text


# Planning happens for dates near today; far ones are typing slips (and overflow date maths).
VISIT_YEARS = (2000, 2100)

TIME_GRID_CHOICES = [(5, "5"), (10, "10"), (15, "15"), (30, "30")]


class InterpretationPolicy(models.TextChoices):
    # Liaison: one interpreter per need, as on a site visit; conference: AIIC team strength.
    LIAISON = "liaison", _("liaison (one interpreter per need)")
    CONFERENCE = "conference", _("conference (teams after AIIC)")


def default_interpretation_policy(kind: str) -> str:
    """A forum or a multi-room event is interpreted as a conference (AIIC teams); a
    delegation visit, a learning journey or a team meeting by liaison interpreters."""
    return InterpretationPolicy.CONFERENCE if kind == "forum" else InterpretationPolicy.LIAISON


class Visit(models.Model):
    """A learning journey, a delegation visit, a forum workshop or a team meeting to plan."""

    class Kind(models.TextChoices):
        DELEGATION = "delegation", _("delegation visit")
        LEARNING_JOURNEY = "learning_journey", _("learning journey")
        FORUM = "forum", _("forum or workshop")
        TEAM_MEETING = "team_meeting", _("team meeting")

    owner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="visits", verbose_name=_("owner")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = NameField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    description = MultiLineField(_("description"), blank=True)
    format = models.ForeignKey(
        VisitFormat,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("format"),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    day_start = models.TimeField(_("day starts"), default=dt.time(8, 30))
    day_end = models.TimeField(_("day ends"), default=dt.time(19, 0))
    lunch_start = models.TimeField(_("lunch window opens"), default=dt.time(12, 0))
    lunch_end = models.TimeField(_("lunch window closes"), default=dt.time(14, 0))
    lunch_minutes = models.PositiveSmallIntegerField(
        _("lunch break (minutes)"), default=60, validators=[MaxValueValidator(240)]
    )
    working_languages = models.JSONField(
        _("working languages"), default=list, blank=True, validators=[validate_language_list]
    )
    lodging = models.ForeignKey(
        "events.Venue",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lodging"),
        help_text=_("Where the delegation sleeps: the start and end of each day's travel."),
    )
    interpreters = models.ManyToManyField(
        "delegations.Interpreter",
        blank=True,
        related_name="visits",
        verbose_name=_("interpreters"),
    )
    time_grid_minutes = models.PositiveSmallIntegerField(
        _("time grid (minutes)"),
        choices=TIME_GRID_CHOICES,
        default=5,
        help_text=_("Every activity starts on this grid: 9:00, 9:05, 9:10… for 5 minutes."),
    )
    interpretation_policy = models.CharField(
        _("interpretation"),
        max_length=12,
        choices=InterpretationPolicy.choices,
        default=InterpretationPolicy.LIAISON,
    )
    interpretation_rules = models.JSONField(
        _("interpretation rules"),
        default=dict,
        blank=True,
        help_text=_("The policy's numbers where they differ from the defaults."),
    )
    delegation_arrives = models.DateTimeField(
        _("delegation arrives"),
        null=True,
        blank=True,
        help_text=_("When the delegation is there, after its arrival, if no journey says."),
    )
    delegation_leaves = models.DateTimeField(
        _("delegation leaves"),
        null=True,
        blank=True,
        help_text=_("When the delegation leaves (its departure transfer), if no journeys say."),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-start_date", "title"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "slug"], name="visit_unique_slug"),
            models.UniqueConstraint(fields=["owner", "title"], name="visit_unique_title"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="visit_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(day_end__gt=F("day_start")), name="visit_day_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(lunch_end__gt=F("lunch_start")), name="visit_lunch_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def days(self) -> list[dt.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=i) for i in range(count)]

    @property
    def day_minutes(self) -> int:
        return minutes_between(self.day_start, self.day_end)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        for name in ("start_date", "end_date"):
            day = getattr(self, name)
            if day and not VISIT_YEARS[0] <= day.year <= VISIT_YEARS[1]:
                errors[name] = _("Pick a date between %(first)d and %(last)d.") % {
                    "first": VISIT_YEARS[0],
                    "last": VISIT_YEARS[1],
                }
        if errors:  # the checks below do date arithmetic that far dates overflow
            raise ValidationError(errors)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day is before the first day.")
        elif self.start_date and self.end_date and (self.end_date - self.start_date).days > 60:
            errors["end_date"] = _("A visit lasts at most 61 days.")
        if ends_before_start(self.day_start, self.day_end):
            errors["day_end"] = _("The day ends before it starts.")
        if self.lunch_start and self.lunch_end:
            if ends_before_start(self.lunch_start, self.lunch_end):
                errors["lunch_end"] = _("The lunch window closes before it opens.")
            elif minutes_between(self.lunch_start, self.lunch_end) < (self.lunch_minutes or 0):
                errors["lunch_minutes"] = _("The lunch break is longer than its window.")
            elif (
                self.day_start
                and self.day_end
                and not (self.day_start <= self.lunch_start and self.lunch_end <= self.day_end)
            ):
                errors["lunch_start"] = _("The lunch window lies outside the day.")
        if self.lodging_id and self.lodging.visit_id != self.pk:
            errors["lodging"] = _("The lodging must be one of this visit's venues.")
        problems = rules_errors(self.interpretation_policy, self.interpretation_rules)
        if problems:
            errors["interpretation_rules"] = problems
        if (
            self.delegation_arrives
            and self.delegation_leaves
            and self.delegation_leaves <= self.delegation_arrives
        ):
            errors["delegation_leaves"] = _("The delegation leaves before it arrives.")
        errors.update(self._presence_errors())
        if errors:
            raise ValidationError(errors)

    def _presence_errors(self) -> dict:
        """The delegation's arrival and departure fall from the day before the first day to
        the day after the last (an arrival in 2001 for a 2009 visit is a slip)."""
        if not (self.start_date and self.end_date) or self.time_zone not in time_zones():
            return {}
        first = self.start_date - dt.timedelta(days=1)
        last = self.end_date + dt.timedelta(days=1)
        zone = ZoneInfo(self.time_zone)
        return {
            name: _("Pick a time from the day before the visit to the day after it.")
            for name in ("delegation_arrives", "delegation_leaves")
            if getattr(self, name)
            and not first <= getattr(self, name).astimezone(zone).date() <= last
        }


def minutes_between(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class Venue(models.Model):
    class Kind(models.TextChoices):
        HOST_SITE = "host_site", _("host site")
        MEETING_ROOM = "meeting_room", _("meeting room")
        LODGING = "lodging", _("lodging")
        RESTAURANT = "restaurant", _("restaurant")
        STATION = "station", _("station or airport")

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="venues", verbose_name=_("visit")
    )
    name = NameField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HOST_SITE)
    address = SingleLineField(_("address"), max_length=300, blank=True)
    city = SingleLineField(_("city"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, default="FR", validators=[validate_country_code]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    exclusive = models.BooleanField(
        _("exclusive room"),
        default=False,
        help_text=_("It holds one activity at a time (a meeting room), not several."),
    )

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["visit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "name"], name="venue_unique_name"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="venue_coordinates_both_or_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> str:
        return self.time_zone or self.visit.time_zone

    @property
    def full_address(self) -> str:
        """Address and town, the town once: addresses are often typed with it."""
        if self.city and self.city.casefold() not in self.address.casefold():
            return ", ".join(p for p in (self.address, self.city) if p)
        return self.address

    @property
    def map_url(self) -> str:
        """OpenStreetMap at the coordinates, else a search for the address ("" without either)."""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = self.latitude, self.longitude
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}"
        query = self.full_address
        return f"https://www.openstreetmap.org/search?query={quote_plus(query)}" if query else ""

    def clean(self) -> None:
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})


class TravelTime(models.Model):
    """Door-to-door travel minutes from one venue to another (directed)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("entered")
        ESTIMATED = "estimated", _("estimated from coordinates")

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="travel_times", verbose_name=_("visit")
    )
    origin = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    minutes = models.PositiveIntegerField(_("minutes"), validators=[MaxValueValidator(24 * 60)])
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ENTERED
    )

    class Meta:
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination"], name="travel_unique_pair"),
            models.CheckConstraint(
                condition=~Q(origin=F("destination")), name="travel_distinct_venues"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin} → {self.destination}: {self.minutes} min"

    def clean(self) -> None:
        errors = {}
        if self.origin_id and self.destination_id and self.origin_id == self.destination_id:
            errors["destination"] = _("A travel time links two different venues.")
        if self.visit_id:
            if self.origin_id and self.origin.visit_id != self.visit_id:
                errors["origin"] = _("This venue belongs to another visit.")
            if self.destination_id and self.destination.visit_id != self.visit_id:
                errors["destination"] = _("This venue belongs to another visit.")
        if errors:
            raise ValidationError(errors)


class Person(models.Model):
    """A host, an organiser's colleague or a resource person, kept by one organisation."""

    class Role(models.TextChoices):
        HOST = "host", _("host")
        ORGANISER = "organiser", _("organiser")
        RESOURCE = "resource", _("resource person")
        INTERPRETER = "interpreter", _("interpreter")

    owner = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="people", verbose_name=_("owner")
    )
    full_name = NameField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.HOST)
    position = SingleLineField(
        _("position"), max_length=200, blank=True, help_text=_("For example: mayor of Villerouge.")
    )
    affiliation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = SingleLineField(_("phone"), max_length=40, blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, validators=[validate_language_list]
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=12, default="fr", validators=[validate_language_code]
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "full_name"], name="person_unique_name"),
        ]

    def __str__(self) -> str:
        return self.full_name


# Said by the model and by the form that parses a window before it (one sentence for both).
WINDOW_ENDS_BEFORE_START = _("The window ends before it starts.")


class Availability(models.Model):
    """A window in which a host or an interpreter can (or would rather) receive, or cannot."""

    class Kind(models.TextChoices):
        AVAILABLE = "available", _("available")
        PREFERRED = "preferred", _("preferred")
        UNAVAILABLE = "unavailable", _("unavailable")

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="availabilities", verbose_name=_("visit")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="availabilities", verbose_name=_("person")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.AVAILABLE)
    note = SingleLineField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("availability window")
        verbose_name_plural = _("availability windows")
        ordering = ["person", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="availability_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} {self.start:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if ends_before_start(self.start, self.end):
            errors["end"] = WINDOW_ENDS_BEFORE_START
        if self.visit_id and self.start and self.end:
            # The visit's days in its own time zone: from the first midnight to the last one.
            visit, zone = self.visit, ZoneInfo(self.visit.time_zone)
            first = dt.datetime.combine(visit.start_date, dt.time(0), zone)
            after = dt.datetime.combine(visit.end_date + dt.timedelta(days=1), dt.time(0), zone)
            outside = _("The window lies outside the visit's days (%(dates)s).") % {
                "dates": i18n.date_range(visit.start_date, visit.end_date)
            }
            if not first <= self.start < after:
                errors["start"] = outside
            elif not first < self.end <= after:
                errors.setdefault("end", outside)
        if errors:
            raise ValidationError(errors)


class PlaceInVisit(models.TextChoices):
    FIRST = "first", _("first of the visit")
    LAST = "last", _("last of the visit")


class Activity(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("site visit")
        MEETING = "meeting", _("meeting")
        WORKSHOP = "workshop", _("workshop")
        PLENARY = "plenary", _("plenary")
        MEAL = "meal", _("meal")
        RECEPTION = "reception", _("reception")
        FREE = "free", _("free time")

    class Interpretation(models.TextChoices):
        SIMULTANEOUS = "simultaneous", _("simultaneous")
        CONSECUTIVE = "consecutive", _("consecutive")
        WHISPERED = "whispered", _("whispered")

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="activities", verbose_name=_("visit")
    )
    title = NameField(_("title"), max_length=200)
    titles = models.JSONField(
        _("title in other languages"),
        default=dict,
        blank=True,
        validators=[validate_titles],
        help_text=_('The title as each language puts it, e.g. {"en": "Meeting the mayor"}.'),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MEETING)
    description = MultiLineField(_("description"), blank=True)
    descriptions = models.JSONField(
        _("description in other languages"),
        default=dict,
        blank=True,
        validators=[validate_descriptions],
        help_text=_("The description as each language puts it, by language code."),
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5)]
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="activities", verbose_name=_("venue")
    )
    hosts = models.ManyToManyField(
        Person,
        through="ActivityHost",
        blank=True,
        related_name="hosted_activities",
        verbose_name=_("hosts"),
    )
    languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        validators=[validate_language_list],
        help_text=_("The languages the hosts and speakers use."),
    )
    interpretation_mode = models.CharField(
        _("interpretation mode"),
        max_length=12,
        choices=Interpretation.choices,
        default=Interpretation.CONSECUTIVE,
    )
    two_way = models.BooleanField(
        _("two-way interpretation"),
        default=True,
        help_text=_("Guests speak too (a debate, a meeting), so both directions are needed."),
    )
    audience = models.ManyToManyField(
        "delegations.SubGroup",
        blank=True,
        related_name="activities",
        verbose_name=_("audience"),
        help_text=_("Leave empty for the whole delegation."),
    )
    mandatory = models.BooleanField(_("mandatory"), default=True)
    value = models.PositiveIntegerField(
        _("value"), default=0, help_text=_("How much an optional activity is worth including.")
    )
    earliest = models.DateTimeField(_("not before"), null=True, blank=True)
    latest = models.DateTimeField(_("over by"), null=True, blank=True)
    phase = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("phase"),
    )
    fixed_start = models.DateTimeField(_("fixed start"), null=True, blank=True)
    place_in_visit = models.CharField(
        _("place in the visit"),
        max_length=5,
        choices=PlaceInVisit.choices,
        blank=True,
        help_text=_("The welcome comes first, the wrap-up last."),
    )
    working_lunch = models.BooleanField(
        _("working lunch"),
        default=False,
        help_text=_("The meal is interpreted too (otherwise the lunch is a break)."),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["visit", "title"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "title"], name="activity_unique_title"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="activity_positive_duration"
            ),
            models.CheckConstraint(
                condition=Q(earliest__isnull=True)
                | Q(latest__isnull=True)
                | Q(latest__gt=F("earliest")),
                name="activity_latest_after_earliest",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str | None) -> str:
        """The title for a reader of ``language`` (fr-CA falls back to fr, then the title)."""
        return in_language(self.titles, language) or self.title

    def description_in(self, language: str | None) -> str:
        return in_language(self.descriptions, language) or self.description

    @property
    def local_description(self) -> str:
        return self.description_in(get_language())

    @property
    def local_title(self) -> str:
        """The title in the active language (templates render under translation.override)."""
        return self.title_in(get_language())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        visit = self.visit if self.visit_id else None
        if visit and self.duration_minutes and self.duration_minutes > visit.day_minutes:
            errors["duration_minutes"] = _(
                "The activity lasts longer than a programme day (%(minutes)d minutes)."
            ) % {"minutes": visit.day_minutes}
        if self.earliest and self.latest and self.latest <= self.earliest:
            errors["latest"] = _("“Over by” is before “not before”.")
        if visit and self.venue_id and self.venue.visit_id != visit.pk:
            errors["venue"] = _("This venue belongs to another visit.")
        if visit and self.phase_id and self.phase.format_id != visit.format_id:
            errors["phase"] = _("This phase is not part of the visit's format.")
        if visit and self.fixed_start and visit.time_grid_minutes:
            # The solver refuses a fixed start off the grid (a data error): say it here,
            # on the field, with the visit's grid.
            local = self.fixed_start.astimezone(ZoneInfo(visit.time_zone))
            grid = visit.time_grid_minutes
            if (local.hour * 60 + local.minute) % grid or local.second:
                errors["fixed_start"] = _(
                    "The fixed start is not on the visit's %(grid)d-minute time grid."
                ) % {"grid": grid}
        if errors:
            raise ValidationError(errors)


class ActivityHost(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="host_links", verbose_name=_("activity")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="host_links", verbose_name=_("host")
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("The activity cannot happen without them.")
    )

    class Meta:
        verbose_name = _("host of an activity")
        verbose_name_plural = _("hosts of an activity")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="activity_host_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.activity}"


class Precedence(models.Model):
    """``before`` must end at least ``min_gap_minutes`` before ``after`` starts."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="precedences", verbose_name=_("visit")
    )
    before = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="+", verbose_name=_("first")
    )
    after = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="+", verbose_name=_("then")
    )
    min_gap_minutes = models.PositiveIntegerField(_("minimum gap (minutes)"), default=0)

    class Meta:
        verbose_name = _("precedence")
        verbose_name_plural = _("precedences")
        constraints = [
            models.UniqueConstraint(fields=["before", "after"], name="precedence_unique_pair"),
            models.CheckConstraint(
                condition=~Q(before=F("after")), name="precedence_distinct_activities"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"

    def clean(self) -> None:
        errors = {}
        if self.before_id and self.after_id and self.before_id == self.after_id:
            errors["after"] = _("An activity cannot precede itself.")
        for field in ("before", "after"):
            activity = getattr(self, field) if getattr(self, f"{field}_id") else None
            if activity and self.visit_id and activity.visit_id != self.visit_id:
                errors[field] = _("This activity belongs to another visit.")
        if errors:
            raise ValidationError(errors)
