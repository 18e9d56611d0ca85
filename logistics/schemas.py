import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictInt

from logistics.models import Journey
from planner.schema_types import Code, Email, Flag, Id, InSchema, Instant, LongText, Name, ShortText

Direction = Literal[tuple(Journey.Direction.values)]
Mode = Literal[tuple(Journey.Mode.values)]


class JourneyIn(InSchema):
    guest: Id
    direction: Direction
    mode: Mode = "plane"
    place: Id
    time: Instant
    reference: ShortText = Field("", max_length=60)
    transfer: Flag = True
    note: ShortText = ""


class JourneyOut(Schema):
    id: int
    guest: int = Field(validation_alias="guest_id")
    direction: str
    mode: str
    place: int = Field(validation_alias="place_id")
    time: dt.datetime
    reference: str
    transfer: bool
    note: str


class StayIn(InSchema):
    venue: Id
    first_night: dt.date
    last_night: dt.date
    delegation: Id | None = None
    subgroup: Id | None = None
    guest: Id | None = None
    room: ShortText = Field("", max_length=100)
    note: ShortText = ""


class StayOut(Schema):
    id: int
    venue: int = Field(validation_alias="venue_id")
    first_night: dt.date
    last_night: dt.date
    delegation: int | None = Field(None, validation_alias="delegation_id")
    subgroup: int | None = Field(None, validation_alias="subgroup_id")
    guest: int | None = Field(None, validation_alias="guest_id")
    room: str
    note: str


class VehicleIn(InSchema):
    name: Name = Field(max_length=100)
    # 0 is let through to the model, so "no seats" is answered with the model's own reason.
    seats: StrictInt = Field(ge=0, le=100)
    driver: Id | None = None
    available_from: Instant | None = None
    available_until: Instant | None = None
    note: ShortText = ""


class VehicleOut(Schema):
    id: int
    name: str
    seats: int
    driver: int | None = Field(None, validation_alias="driver_id")
    available_from: dt.datetime | None
    available_until: dt.datetime | None
    note: str


class LegAssignmentIn(InSchema):
    leg_key: ShortText = Field(min_length=1, max_length=120)
    vehicle: Id


class LegAssignmentOut(Schema):
    id: int
    leg_key: str
    vehicle: int = Field(validation_alias="vehicle_id")


class MealServiceIn(InSchema):
    venue: Id
    serves_meals: Flag = True
    caterer: ShortText = ""
    contact_name: ShortText = ""
    email: Email = ""
    phone: ShortText = Field("", max_length=40)
    language: Code = "fr"
    capacity: StrictInt | None = Field(None, ge=0, le=100_000)


class MealServiceOut(Schema):
    id: int
    venue: int = Field(validation_alias="venue_id")
    serves_meals: bool
    caterer: str
    contact_name: str
    email: str
    phone: str
    language: str
    capacity: int | None


class ActivityGuestIn(InSchema):
    activity: Id
    guest: Id


class ActivityGuestOut(Schema):
    id: int
    activity: int = Field(validation_alias="activity_id")
    guest: int = Field(validation_alias="guest_id")


class CompanionIn(InSchema):
    person: Id
    subgroup: Id | None = None
    note: ShortText = ""


class CompanionOut(Schema):
    id: int
    person: int = Field(validation_alias="person_id")
    subgroup: int | None = Field(None, validation_alias="subgroup_id")
    note: str


class LetterTemplateIn(InSchema):
    language: Code
    subject: Name
    body: LongText = Field(min_length=1)
    signature: ShortText = ""


class LetterTemplateOut(Schema):
    id: int
    language: str
    subject: str
    body: str
    signature: str


# --- Computed reads ---------------------------------------------------------------------


class LogisticsWarningOut(Schema):
    code: str
    message: str
    refs: dict


class TravelLegOut(Schema):
    key: str
    kind: str
    day: dt.date
    origin: int
    origin_name: str
    destination: int
    destination_name: str
    depart: dt.datetime
    arrive: dt.datetime
    travel_minutes: int | None
    people: int
    guests: list[int]
    companions: list[int]
    vehicles: list[int]
    seats: int


class RoomingGuestOut(Schema):
    guest: int
    full_name: str
    room: str


class RoomingHotelOut(Schema):
    venue: int
    name: str
    guests: list[RoomingGuestOut]


class RoomingNightOut(Schema):
    night: dt.date
    hotels: list[RoomingHotelOut]


class MealCountOut(Schema):
    activity: int
    title: str
    venue: int
    venue_name: str
    start: dt.datetime
    end: dt.datetime
    guests: int
    hosts: int
    interpreters: int
    companions: int
    total: int
    diets: dict[str, int]
    serves_meals: bool


class LogisticsOut(Schema):
    version: int | None
    legs: list[TravelLegOut]
    rooming: list[RoomingNightOut]
    meals: list[MealCountOut]
    warnings: list[LogisticsWarningOut]


class ItineraryItemOut(Schema):
    kind: str
    start: dt.datetime
    end: dt.datetime | None
    title: str
    place: str
    address: str


class ItineraryDayOut(Schema):
    day: dt.date
    items: list[ItineraryItemOut]
    lodging: str | None


class ItineraryOut(Schema):
    guest: int
    language: str
    days: list[ItineraryDayOut]


class LogisticsDiffOut(Schema):
    old: int | None
    new: int | None
    legs: dict
    meals: dict
    lodging: list[dict]


class VersionPairPath(Schema):
    visit_id: int = Field(ge=1, le=2**31 - 1)
    old: int = Field(ge=1, le=2**31 - 1)
    new: int = Field(ge=1, le=2**31 - 1)


class GuestPath(Schema):
    visit_id: int = Field(ge=1, le=2**31 - 1)
    guest_id: int = Field(ge=1, le=2**31 - 1)


class SnapshotOut(Schema):
    id: int
    version: int = Field(validation_alias="version.number")
    taken_at: dt.datetime
    data: dict
