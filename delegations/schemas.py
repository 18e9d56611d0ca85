import datetime as dt
from typing import Literal

from ninja import Field, Schema
from pydantic import StrictInt

from delegations.models import GuestLanguage, Interpreter
from planner.schema_types import Code, Email, Id, InSchema, Instant, LongText, Name, ShortText

Level = Literal[tuple(GuestLanguage.Level.values)]
Mode = Literal[tuple(Interpreter.Mode.values)]


class DelegationIn(InSchema):
    name: Name
    description: LongText = ""


class DelegationOut(Schema):
    id: int
    name: str
    description: str


class SubGroupIn(InSchema):
    delegation: Id
    name: Name
    lodging: Id | None = None


class SubGroupOut(Schema):
    id: int
    delegation: int = Field(validation_alias="delegation_id")
    name: str
    lodging: int | None = Field(None, validation_alias="lodging_id")


class GuestLanguageIn(InSchema):
    language: Code
    level: Level = "fluent"


class GuestLanguageOut(Schema):
    language: str
    level: str


class GuestIn(InSchema):
    delegation: Id
    subgroup: Id | None = None
    full_name: Name
    email: Email = ""
    country: Code
    organisation: ShortText = ""
    position: ShortText = ""
    preferred_language: Code = "en"
    languages: list[GuestLanguageIn] = Field(default_factory=list, max_length=10)
    arrival: Instant | None = None
    departure: Instant | None = None
    dietary_needs: ShortText = ""


class GuestOut(Schema):
    id: int
    delegation: int = Field(validation_alias="delegation_id")
    subgroup: int | None = Field(None, validation_alias="subgroup_id")
    full_name: str
    email: str
    country: str
    organisation: str
    position: str
    preferred_language: str
    languages: list[GuestLanguageOut]
    arrival: dt.datetime | None
    departure: dt.datetime | None
    dietary_needs: str

    @staticmethod
    def resolve_languages(obj):
        return list(obj.languages.all())


class DirectionIn(InSchema):
    source: Code
    target: Code


class DirectionOut(Schema):
    source: str
    target: str


class InterpreterIn(InSchema):
    person: Id
    modes: list[Mode] = Field(min_length=1, max_length=3)
    daily_cap_minutes: StrictInt = Field(360, ge=30, le=720)
    directions: list[DirectionIn] = Field(min_length=1, max_length=30)


class InterpreterOut(Schema):
    id: int
    person: int = Field(validation_alias="person_id")
    full_name: str = Field(validation_alias="person.full_name")
    modes: list[str]
    daily_cap_minutes: int
    directions: list[DirectionOut]

    @staticmethod
    def resolve_directions(obj):
        return list(obj.directions.all())


class VisitDuplicateIn(InSchema):
    title: Name
    start_date: dt.date = Field(description="The new visit's first day; dated times follow.")
