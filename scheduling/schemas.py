import datetime as dt

from ninja import Field, Schema

from planner.schema_types import Flag, InSchema, Instant, Name, ShortText


class AssignmentOut(Schema):
    interpreter: int = Field(validation_alias="interpreter_id")
    source: str
    target: str


class SlotOut(Schema):
    id: int
    activity: int = Field(validation_alias="activity_id")
    title: str = Field(validation_alias="activity.title")
    venue: int = Field(validation_alias="venue_id")
    start: dt.datetime
    end: dt.datetime
    status: str
    locked: bool
    change_reason: str
    assignments: list[AssignmentOut]
    languages: dict = Field(
        description='The languages chosen: {"spoken": "fr", "listening": [[group, "en", 2]]} '
        "(group: sub-group id, or 1000000000 + delegation id); {} before choices."
    )

    @staticmethod
    def resolve_assignments(obj):
        return list(obj.assignments.all())


class VersionSummaryOut(Schema):
    id: int
    number: int
    source: str
    solver_status: str
    objective: int | None
    bound: int | None
    terms: dict[str, int]
    unplaced: list[int]
    note: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    is_current: bool = False


class VersionOut(VersionSummaryOut):
    slots: list[SlotOut]

    @staticmethod
    def resolve_slots(obj):
        return list(obj.slots.all())


class SolveIn(InSchema):
    time_limit_s: float = Field(30.0, ge=1, le=600, description="Stop and keep the best found.")
    reason: ShortText = ""


class ConflictOut(Schema):
    rule: str
    entities: dict[str, list[int]]
    params: dict
    sentence: str = ""


class JobOut(Schema):
    id: int
    kind: str
    state: str
    reason: str
    time_limit_s: float
    base_version: int | None = None
    result_version: int | None = None
    progress: dict
    conflicts: list[ConflictOut]
    message: str
    cancel_requested: bool
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_base_version(obj):
        return obj.base_version.number if obj.base_version_id else None

    @staticmethod
    def resolve_result_version(obj):
        return obj.result_version.number if obj.result_version_id else None


class MoveIn(InSchema):
    start: Instant
    force: Flag = Field(False, description="Keep the move even if it breaks hard rules.")


class ViolationsOut(Schema):
    detail: str
    violations: list[ConflictOut]


class DiffEntryOut(Schema):
    activity: int
    title: str
    start_from: dt.datetime | None = Field(None, validation_alias="from")
    start_to: dt.datetime | None = Field(None, validation_alias="to")
    reason: str = ""


class StatusChangeOut(Schema):
    activity: int
    title: str
    status_from: str = Field(validation_alias="from")
    status_to: str = Field(validation_alias="to")


class TeamChangeOut(Schema):
    activity: int
    title: str
    before: list[int]
    after: list[int]


class DiffOut(Schema):
    old: int
    new: int
    moved: list[DiffEntryOut]
    added: list[DiffEntryOut]
    cancelled: list[DiffEntryOut]
    interpreters: list[TeamChangeOut]
    status: list[StatusChangeOut]


class ProblemImportIn(InSchema):
    title: Name
    start_date: dt.date = dt.date(2009, 4, 20)
    time_zone: ShortText = "Europe/Paris"
    problem: dict = Field(description="A problem in the documented JSON format.")
