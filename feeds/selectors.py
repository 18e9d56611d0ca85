"""Reads of the feed state: the events one subscriber sees (the whole programme, a guest, a
host or an interpreter), as plain data for ``feeds.render``."""

import datetime as dt
import functools
import json
from typing import NamedTuple

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from feeds import render
from feeds.models import FeedEvent, FeedStatus, ProgrammeFeed
from planner.codes import in_language

# Which list of people in an event names the subscriber (None: the whole programme).
ROLE_OF_SUBJECT = {
    "programme": None,
    "guest": "groups",
    "person": "hosts",
    "interpreter": "interpreters",
}


def feed_events(*, programme_id: int) -> list[FeedEvent]:
    return list(FeedEvent.objects.filter(programme_id=programme_id).order_by("start", "uid"))


class EventRow(NamedTuple):
    """The columns of a feed event a feed shows (read without building model instances)."""

    uid: str
    kind: str
    start: dt.datetime
    end: dt.datetime
    status: str
    sequence: int
    created: dt.datetime
    modified: dt.datetime
    data: dict


# Written once as plain SQL, as the poll's query is: compiling the ORM query and building 60
# model instances cost more than the rest of an uncached feed.
@functools.cache
def _rows_sql() -> str:
    columns = ", ".join(
        connection.ops.quote_name(FeedEvent._meta.get_field(f).column) for f in EventRow._fields
    )
    start, uid = (connection.ops.quote_name(c) for c in ("start", "uid"))
    return (
        f"SELECT {columns} FROM {connection.ops.quote_name(FeedEvent._meta.db_table)}"
        f" WHERE programme_id = %s ORDER BY {start}, {uid}"
    )


def _moment(value) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        value = parse_datetime(value)  # SQLite hands back text
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def event_rows(*, programme_id: int) -> list[EventRow]:
    """A programme's feed events by start, then UID, as ``EventRow``."""
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql(), [programme_id])
        found = cursor.fetchall()
    return [
        EventRow(
            uid,
            kind,
            _moment(start),
            _moment(end),
            status,
            sequence,
            _moment(created),
            _moment(modified),
            data if isinstance(data, dict) else json.loads(data),
        )
        for uid, kind, start, end, status, sequence, created, modified, data in found
    ]


def _place(data: dict | None) -> render.Place | None:
    if not data:
        return None
    return render.Place(
        name=data["name"],
        address=data.get("address", ""),
        city=data.get("city", ""),
        country=data.get("country", ""),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
    )


def _seen_by(
    event: EventRow, role: str | None, who: int | None, guest: int | None = None
) -> str | None:
    """How the subscriber sees an event: its own status, cancelled if they left it, or None."""
    if event.kind == FeedEvent.Kind.JOURNEY:
        if role != "groups" or guest is None:
            return None  # personal: not in the whole programme, nor a host's or interpreter's
        if guest in event.data.get("people", {}).get("guests", []):
            return event.status
        return (
            FeedStatus.CANCELLED
            if guest in event.data.get("former", {}).get("guests", [])
            else None
        )
    if role is None:
        return event.status
    if role == "hosts" and event.kind != FeedEvent.Kind.ACTIVITY:
        return None  # hosts do not travel with the delegation (interpreters may)
    if who in event.data.get("people", {}).get(role, []):
        return event.status
    if who in event.data.get("former", {}).get(role, []):
        return FeedStatus.CANCELLED
    return None


def _in_language(data: dict, field: str, language: str | None) -> str:
    """``field`` ("title", "text") in the reader's language, from the ``<field>s`` mapping."""
    return in_language(data.get(field + "s") or {}, language) or data.get(field, "")


def _own_answer(event: EventRow, role: str | None, who: int | None, status: str) -> tuple:
    """A host reads their own answer: confirmed by them is confirmed for them, even while a
    co-host has not answered (the slot stays tentative for everyone else)."""
    slot_status = event.data.get("slot_status", "")
    if role != "hosts" or status == FeedStatus.CANCELLED:
        return status, slot_status
    if event.data.get("answers", {}).get(str(who)) == "confirmed":
        return FeedStatus.CONFIRMED, "confirmed"
    return status, slot_status


def _item(
    event: EventRow, status: str, language: str | None, slot_status: str | None = None
) -> render.Item:
    data = event.data
    chosen = data.get("chosen", {})
    return render.Item(
        uid=event.uid,
        kind=event.kind,
        start=event.start,
        end=event.end,
        status=status,
        sequence=event.sequence,
        created=event.created,
        modified=event.modified,
        title=_in_language(data, "title", language),
        text=_in_language(data, "text", language),
        slot_status=data.get("slot_status", "") if slot_status is None else slot_status,
        venue=_place(data.get("venue")),
        origin=_place(data.get("origin")),
        destination=_place(data.get("destination")),
        minutes=data.get("minutes", 0),
        direction=data.get("direction", ""),
        category=data.get("activity_kind", ""),
        reference=data.get("reference", ""),
        hosts=tuple((h["name"], h["position"]) for h in data.get("hosts", [])),
        interpreters=tuple(
            render.Interpreting(i["name"], tuple(tuple(d) for d in i["directions"]))
            for i in data.get("interpreters", [])
        ),
        languages=tuple(data.get("languages", [])),
        spoken=chosen.get("spoken", ""),
        listening=tuple((str(code), int(n)) for _g, code, n in chosen.get("listening", [])),
        phase=data.get("phase", ""),
        questions=tuple(data.get("questions", [])),
    )


def feed_contents(
    *,
    feed: ProgrammeFeed,
    subject: str,
    who: int | None,
    language: str | None = None,
    guest: int | None = None,
) -> tuple[tuple[render.Item, ...], dt.datetime | None]:
    """The events one subscriber sees (see ``feed_items``) and when what they see last changed:
    the latest change of an event shown, or the end of a cancelled one that has dropped out
    (None when the feed never showed any). From the data only: it does not move while the
    subscriber's events do not, and never goes back."""
    role = ROLE_OF_SUBJECT[subject]
    items, changes = [], []
    for event in event_rows(programme_id=feed.programme_id):
        status = _seen_by(event, role, who, guest)
        if status is None:
            continue
        if status == FeedStatus.CANCELLED and event.end <= feed.synced_at:
            changes.append(max(event.modified, event.end))  # when it left the feed
            continue
        changes.append(event.modified)
        status, slot_status = _own_answer(event, role, who, status)
        items.append(_item(event, status, language, slot_status))
    return tuple(items), max(changes, default=None)


def feed_items(
    *,
    feed: ProgrammeFeed,
    subject: str,
    who: int | None,
    language: str | None = None,
    guest: int | None = None,
) -> tuple[render.Item, ...]:
    """The events one subscriber sees, as plain data for ``render.feed_render``.

    Cancelled events stay until they have passed (by the feed's own clock, so the same data
    always gives the same feed)."""
    return feed_contents(feed=feed, subject=subject, who=who, language=language, guest=guest)[0]
