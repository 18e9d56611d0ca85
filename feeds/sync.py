"""Writes of the feed state: bring a programme's feed events in line with its published
version (``feeds.projection``), raising SEQUENCE where a calendar must replace an event and
keeping events that left the programme as cancelled."""

import datetime as dt
import hashlib
import json
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.utils import timezone

from events.models import Visit
from feeds.models import FeedEvent, FeedStatus, ProgrammeFeed
from feeds.projection import wanted_events
from feeds.sources import projection_sources
from scheduling.models import Programme


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _with_former(data: dict, people: dict, old: dict | None) -> dict:
    """Keep who left the event, so their own feeds show it cancelled."""
    former = {}
    for role, now in people.items():
        before = set((old or {}).get("people", {}).get(role, []))
        before |= set((old or {}).get("former", {}).get(role, []))
        former[role] = sorted(before - set(now))
    return {**data, "people": people, "former": former}


@transaction.atomic
def programme_feed_sync(*, programme: Programme, at: dt.datetime | None = None) -> ProgrammeFeed:
    """Bring the feed state in line with the published version (idempotent).

    Called after publishing and after any change of a published slot's status."""
    programme = Programme.objects.select_for_update().select_related("visit").get(pk=programme.pk)
    if programme.current_version_id is None:
        raise ValueError("programme has no published version")
    at = at or timezone.now()
    visit = programme.visit
    wanted = wanted_events(projection_sources(version=programme.current_version, visit=visit))
    existing = {e.key: e for e in FeedEvent.objects.filter(programme=programme)}
    changed = False
    for key, w in wanted.items():
        changed |= _event_write(programme, visit, key, w, existing.get(key), at)
    for key, old in existing.items():
        if key not in wanted and not old.removed:
            _event_withdraw(old, at)
            changed = True
    return _feed_stamp(programme, visit, changed, at)


def _event_write(
    programme: Programme, visit: Visit, key: str, w: dict, old: FeedEvent | None, at
) -> bool:
    """Create or update one wanted event; whether it changed. SEQUENCE grows with any change
    a calendar shows (time, place, status, who is in it, title, description, address)."""
    data = _with_former(w["data"], w["people"], old.data if old else None)
    people_hash, content_hash = _digest(w["people"]), _digest(data)
    if old is None:
        FeedEvent.objects.create(
            programme=programme,
            key=key,
            uid=f"{key}@{visit.slug}.planner",
            kind=w["kind"],
            start=w["start"],
            end=w["end"],
            place=w["place"],
            status=w["status"],
            sequence=0,
            created=at,
            modified=at,
            people_hash=people_hash,
            content_hash=content_hash,
            data=data,
        )
        return True
    if old.content_hash == content_hash and not _moved(old, w, people_hash):
        return False
    # Whatever a calendar shows changed (time, place, status, people, but also the title, the
    # description or the address): SEQUENCE grows, or Google keeps the copy it holds.
    old.sequence += 1
    old.start, old.end, old.place, old.status = w["start"], w["end"], w["place"], w["status"]
    old.removed, old.modified = False, at
    old.people_hash, old.content_hash, old.data = people_hash, content_hash, data
    old.save()
    return True


def _moved(old: FeedEvent, w: dict, people_hash: str) -> bool:
    """Time, place, status or people differ from what was sent (they are not all in the data)."""
    return (old.start, old.end, old.place, old.status, old.removed, old.people_hash) != (
        w["start"],
        w["end"],
        w["place"],
        w["status"],
        False,
        people_hash,
    )


def _event_withdraw(old: FeedEvent, at) -> None:
    """Gone from the programme: it stays in feeds as cancelled, one sequence higher."""
    old.removed, old.status, old.sequence, old.modified = (
        True,
        FeedStatus.CANCELLED,
        (old.sequence + 1),
        at,
    )
    old.save(update_fields=["removed", "status", "sequence", "modified"])


def _feed_stamp(programme: Programme, visit: Visit, changed: bool, at) -> ProgrammeFeed:
    """The programme's feed row: a new stamp (so polls see new bytes) when anything changed."""
    known = ProgrammeFeed.objects.filter(programme=programme).first()
    if known is not None and not changed:
        # Cancelled events drop out of feeds once they have passed: that is a change too.
        changed = FeedEvent.objects.filter(
            programme=programme,
            status=FeedStatus.CANCELLED,
            end__gt=known.synced_at,
            end__lte=at,
        ).exists()
    feed, created = ProgrammeFeed.objects.get_or_create(
        programme=programme,
        defaults={
            "version": programme.current_version,
            "synced_at": at,
            "first_date": visit.start_date,
            "last_date": visit.end_date,
        },
    )
    dates = _covered_dates(programme, visit)
    if created or changed or (feed.first_date, feed.last_date) != dates:
        feed.version_id = programme.current_version_id
        feed.stamp += 0 if created else 1
        feed.synced_at = at
        feed.first_date, feed.last_date = dates
        feed.save()
    return feed


def _covered_dates(programme: Programme, visit: Visit) -> tuple[dt.date, dt.date]:
    """The visit's days widened to every event still in the feed (a VTIMEZONE must cover all)."""
    zone = ZoneInfo(visit.time_zone)
    span = FeedEvent.objects.filter(programme=programme).aggregate(
        first=models.Min("start"), last=models.Max("end")
    )
    first, last = visit.start_date, visit.end_date
    if span["first"] is not None:
        first = min(first, span["first"].astimezone(zone).date())
        last = max(last, span["last"].astimezone(zone).date())
    return first, last


def programme_feed_ensure(*, programme: Programme) -> ProgrammeFeed | None:
    """The feed state of a published programme, built on first use (versions published before
    feeds existed); None while nothing is published."""
    feed = getattr(programme, "feed", None) if programme.pk else None
    if feed is not None:
        return feed
    if programme.current_version_id is None:
        return None
    return programme_feed_sync(programme=programme)


def programme_feed_refresh(*, visit: Visit) -> None:
    """Something a feed shows besides its events changed (a host's answer link made anew or
    withdrawn): the next poll of every feed of the visit renders again; Last-Modified moves
    only for the feeds whose bytes did (``FeedBody``)."""
    ProgrammeFeed.objects.filter(programme__visit=visit).update(stamp=models.F("stamp") + 1)


def visit_feeds_sync(*, visit: Visit) -> ProgrammeFeed | None:
    """After a change the feeds show outside the version (a guest's journey): the published
    programme's feed state follows; nothing while the visit has no published programme."""
    programme = Programme.objects.filter(visit=visit, current_version__isnull=False).first()
    if programme is None:
        return None
    return programme_feed_sync(programme=programme)
