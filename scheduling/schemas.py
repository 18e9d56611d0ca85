import datetime as dt

from ninja import Field, Schema


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
