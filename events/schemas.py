import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import StrictInt, model_validator

from events.models import (
    TIME_GRID_CHOICES,
    Activity,
    Availability,
    InterpretationPolicy,
    Person,
    PlaceInVisit,
    TravelTime,
    Venue,
    Visit,
    default_interpretation_policy,
)
from planner.schema_types import (
    ClockTime,
    Code,
    Count,
    Email,
    Flag,
    Id,
    InSchema,
    Instant,
    LongText,
    Minutes,
    Name,
    ShortText,
    Slug,
)

VisitKind = Literal[tuple(Visit.Kind.values)]
VenueKind = Literal[tuple(Venue.Kind.values)]
PersonRole = Literal[tuple(Person.Role.values)]
WindowKind = Literal[tuple(Availability.Kind.values)]
ActivityKind = Literal[tuple(Activity.Kind.values)]
InterpretationMode = Literal[tuple(Activity.Interpretation.values)]
TravelSource = Literal[tuple(TravelTime.Source.values)]
TimeGrid = Literal[tuple(minutes for minutes, _label in TIME_GRID_CHOICES)]
Policy = Literal[tuple(InterpretationPolicy.values)]
Place = Literal[("", *PlaceInVisit.values)]


class PhaseIn(InSchema):
    name: Name
    description: LongText = ""


class PhaseOut(Schema):
    id: int
    order: int
    name: str
    description: str


class QuestionIn(InSchema):
    text: Name
    phase: StrictInt | None = Field(
        None, ge=1, le=50, description="Position (1-based) of the phase in `phases`, if any."
    )


class QuestionOut(Schema):
    id: int
    order: int
    text: str
    phase: int | None = Field(None, validation_alias="phase_id")


class FormatIn(InSchema):
    name: Name
    description: LongText = ""
    phases: list[PhaseIn] = Field(default_factory=list, max_length=50)
    questions: list[QuestionIn] = Field(default_factory=list, max_length=50)


class FormatOut(Schema):
    id: int
    name: str
    description: str
    phases: list[PhaseOut]
    questions: list[QuestionOut]

    @staticmethod
    def resolve_phases(obj):
        return list(obj.phases.all())

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.all())


class VisitIn(InSchema):
    kind: VisitKind
    title: Name
    slug: Slug | None = Field(None, description="Made from the title when left out.")
    description: LongText = ""
    format: Id | None = None
    start_date: dt.date
    end_date: dt.date
    time_zone: ShortText = "Europe/Paris"
    day_start: ClockTime = dt.time(8, 30)
    day_end: ClockTime = dt.time(19, 0)
    lunch_start: ClockTime = dt.time(12, 0)
    lunch_end: ClockTime = dt.time(14, 0)
    lunch_minutes: Minutes = 60
    working_languages: list[Code] = Field(default_factory=list, max_length=20)
    lodging: Id | None = None
    interpreters: list[Id] = Field(default_factory=list, max_length=200)
    time_grid_minutes: TimeGrid = 5
    delegation_arrives: Instant | None = None
    delegation_leaves: Instant | None = None
    interpretation_policy: Policy | None = Field(
        None, description="Left out: conference for a forum, liaison for the other kinds."
    )
    interpretation_rules: dict[str, Any] = Field(
        default_factory=dict,
        max_length=10,
        description="The policy's numbers that differ from its defaults "
        "(docs/problem-format.md, “Interpretation policy”); {} keeps them all.",
    )

    @model_validator(mode="after")
    def _policy_of_kind(self):
        if self.interpretation_policy is None:
            self.interpretation_policy = default_interpretation_policy(self.kind)
        return self


class VisitOut(Schema):
    id: int
    kind: str
    title: str
    slug: str
    description: str
    format: int | None = Field(None, validation_alias="format_id")
    start_date: dt.date
    end_date: dt.date
    time_zone: str
    day_start: ClockTime
    day_end: ClockTime
    lunch_start: ClockTime
    lunch_end: ClockTime
    lunch_minutes: int
    working_languages: list[str]
    lodging: int | None = Field(None, validation_alias="lodging_id")
    interpreters: list[int]
    time_grid_minutes: int
    delegation_arrives: dt.datetime | None
    delegation_leaves: dt.datetime | None
    interpretation_policy: str
    interpretation_rules: dict[str, Any]
    archived_at: dt.datetime | None

    @staticmethod
    def resolve_interpreters(obj):
        return [interpreter.pk for interpreter in obj.interpreters.all()]


class VenueIn(InSchema):
    name: Name
    kind: VenueKind = "host_site"
    address: ShortText = ""
    city: ShortText = ""
    country: Code = "FR"
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    time_zone: ShortText = ""
    capacity: Count | None = None
    exclusive: Flag = False


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    city: str
    country: str
    latitude: Decimal | None
    longitude: Decimal | None
    time_zone: str
    capacity: int | None
    exclusive: bool


class TravelTimeIn(InSchema):
    origin: Id
    destination: Id
    minutes: Minutes
    source: TravelSource = "entered"


class TravelTimeOut(Schema):
    id: int
    origin: int = Field(validation_alias="origin_id")
    destination: int = Field(validation_alias="destination_id")
    minutes: int
    source: str


class TravelEstimateIn(InSchema):
    speed_kmh: float = Field(60.0, gt=1, le=300, description="Average road speed.")
    detour_factor: float = Field(1.3, ge=1, le=3, description="Road distance / straight line.")
    overwrite_entered: Flag = False


class PersonIn(InSchema):
    full_name: Name
    role: PersonRole = "host"
    position: ShortText = ""
    affiliation: Id | None = None
    email: Email = ""
    phone: ShortText = ""
    languages: list[Code] = Field(default_factory=list, max_length=20)
    preferred_language: Code = "fr"


class PersonOut(Schema):
    id: int
    full_name: str
    role: str
    position: str
    affiliation: int | None = Field(None, validation_alias="affiliation_id")
    email: str
    phone: str
    languages: list[str]
    preferred_language: str


class AvailabilityIn(InSchema):
    person: Id
    start: Instant
    end: Instant
    kind: WindowKind = "available"
    note: ShortText = ""


class AvailabilityOut(Schema):
    id: int
    person: int = Field(validation_alias="person_id")
    start: dt.datetime
    end: dt.datetime
    kind: str
    note: str


class HostLinkIn(InSchema):
    person: Id
    required: Flag = True


class HostLinkOut(Schema):
    person: int = Field(validation_alias="person_id")
    required: bool


class ActivityIn(InSchema):
    title: Name
    titles: dict[Code, Name] = Field(
        default_factory=dict,
        max_length=20,
        description='The title in other languages, by code: {"en": "Meeting the mayor"}.',
    )
    descriptions: dict[Code, LongText] = Field(
        default_factory=dict,
        max_length=20,
        description="The description in other languages, by language code.",
    )
    kind: ActivityKind = "meeting"
    description: LongText = ""
    duration_minutes: StrictInt = Field(ge=5, le=24 * 60)
    venue: Id
    hosts: list[HostLinkIn] = Field(default_factory=list, max_length=50)
    languages: list[Code] = Field(default_factory=list, max_length=10)
    interpretation_mode: InterpretationMode = "consecutive"
    two_way: Flag = True
    audience: list[Id] = Field(default_factory=list, max_length=50)
    mandatory: Flag = True
    value: Count = 0
    earliest: Instant | None = None
    latest: Instant | None = None
    phase: Id | None = None
    fixed_start: Instant | None = None
    place_in_visit: Place = ""
    working_lunch: Flag = False


class ActivityOut(Schema):
    id: int
    title: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    kind: str
    description: str
    duration_minutes: int
    venue: int = Field(validation_alias="venue_id")
    hosts: list[HostLinkOut]
    languages: list[str]
    interpretation_mode: str
    two_way: bool
    audience: list[int]
    mandatory: bool
    value: int
    earliest: dt.datetime | None
    latest: dt.datetime | None
    phase: int | None = Field(None, validation_alias="phase_id")
    fixed_start: dt.datetime | None
    place_in_visit: str
    working_lunch: bool

    @staticmethod
    def resolve_hosts(obj):
        return list(obj.host_links.all())

    @staticmethod
    def resolve_audience(obj):
        return [group.pk for group in obj.audience.all()]


class PrecedenceIn(InSchema):
    before: Id
    after: Id
    min_gap_minutes: Minutes = 0


class PrecedenceOut(Schema):
    id: int
    before: int = Field(validation_alias="before_id")
    after: int = Field(validation_alias="after_id")
    min_gap_minutes: int
