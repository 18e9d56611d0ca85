"""What each calendar event of a programme looked like when it was last sent out.

Calendar clients only replace an event they already hold when its SEQUENCE grows, and they
only learn of a cancellation when the event is still in the feed with STATUS:CANCELLED. So
feeds cannot be rendered from the published version alone: this module keeps, per event of a
programme, its stable UID, its SEQUENCE, when it last changed, and a snapshot of its content
(also after it left the programme), and updates them each time a version is published or a
host answers. Feeds are then rendered from these rows only (one query).
"""

import datetime as dt
import hashlib
import json
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import ReadingGridQuestion, Venue
from planner.codes import in_language
from scheduling.models import Programme, ProgrammeVersion, Slot
from scheduling.selectors import travel_matrix

# A leg this long gets its own event: shorter ones are part of the gap between activities.
LONG_TRAVEL_MINUTES = 45
# Guests in no sub-group follow the activities meant for the whole delegation.
WHOLE_DELEGATION = 0


class FeedStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    TENTATIVE = "tentative", _("tentative")
    CANCELLED = "cancelled", _("cancelled")


SLOT_TO_FEED = {
    Slot.Status.PROPOSED: FeedStatus.TENTATIVE,
    Slot.Status.CONFIRMED: FeedStatus.CONFIRMED,
    Slot.Status.DECLINED: FeedStatus.CANCELLED,
    Slot.Status.CANCELLED: FeedStatus.CANCELLED,
}


class ProgrammeFeed(models.Model):
    """The feed-side state of one programme; ``stamp`` changes whenever any event changes."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="feed", verbose_name=_("programme")
    )
    version = models.ForeignKey(
        ProgrammeVersion,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("version sent out"),
    )
    stamp = models.PositiveIntegerField(_("stamp"), default=0)
    synced_at = models.DateTimeField(_("synced at"))
    first_date = models.DateField(_("first day covered"))
    last_date = models.DateField(_("last day covered"))

    class Meta:
        verbose_name = _("programme feed")
        verbose_name_plural = _("programme feeds")

    def __str__(self) -> str:
        return f"{self.programme} #{self.stamp}"


class FeedEvent(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activity")
        TRAVEL = "travel", _("travel")
        JOURNEY = "journey", _("arrival or departure")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="feed_events",
        verbose_name=_("programme"),
    )
    # What the event is about ("activity-12", "travel-a12-a15"); the UID is fixed at creation
    # from it, so renaming the visit never changes a UID a calendar already holds.
    key = models.CharField(_("key"), max_length=100)
    uid = models.CharField(_("UID"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.CharField(_("place key"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=FeedStatus.choices)
    removed = models.BooleanField(_("no longer in the programme"), default=False)
    sequence = models.PositiveIntegerField(_("sequence"), default=0)
    created = models.DateTimeField(_("first sent"))
    modified = models.DateTimeField(_("last changed"))
    # Who is in the event (hosts, interpreters, audience groups): a change raises SEQUENCE, as
    # for those who leave it the event is cancelled.
    people_hash = models.CharField(_("people hash"), max_length=64)
    content_hash = models.CharField(_("content hash"), max_length=64)
    data = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("feed event")
        verbose_name_plural = _("feed events")
        ordering = ["programme", "start", "uid"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="feed_event_unique_key"),
            models.UniqueConstraint(fields=["uid"], name="feed_event_unique_uid"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="feed_event_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.uid} #{self.sequence}"


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _venue_data(venue: Venue | None) -> dict | None:
    if venue is None:
        return None
    return {
        "id": venue.pk,
        "name": venue.name,
        "address": venue.address,
        "city": venue.city,
        "country": venue.country,
        "latitude": float(venue.latitude) if venue.latitude is not None else None,
        "longitude": float(venue.longitude) if venue.longitude is not None else None,
    }


def _groups_of(visit) -> list[int]:
    from delegations.models import SubGroup

    return sorted(SubGroup.objects.filter(delegation__visit=visit).values_list("pk", flat=True))


def _activity_events(version: ProgrammeVersion, all_groups: list[int]) -> dict[str, dict]:
    slots = (
        version.slots.select_related("activity__phase", "venue")
        .prefetch_related(
            "activity__host_links__person", "activity__audience", "assignments__interpreter__person"
        )
        .order_by("start", "activity_id")
    )
    phases = {s.activity.phase_id for s in slots if s.activity.phase_id}
    questions = defaultdict(list)
    for q in ReadingGridQuestion.objects.filter(phase_id__in=phases).order_by("order"):
        questions[q.phase_id].append(q.text)
    events = {}
    for slot in slots:
        activity = slot.activity
        audience = sorted(g.pk for g in activity.audience.all())
        interpreters: dict[int, dict] = {}
        for a in sorted(slot.assignments.all(), key=lambda a: (a.interpreter_id, a.source)):
            entry = interpreters.setdefault(
                a.interpreter_id,
                {"id": a.interpreter_id, "name": a.interpreter.person.full_name, "directions": []},
            )
            entry["directions"].append([a.source, a.target])
        events[f"activity-{activity.pk}"] = {
            "kind": FeedEvent.Kind.ACTIVITY,
            "activity": activity.pk,
            "start": slot.start,
            "end": slot.end,
            "place": f"venue-{slot.venue_id}",
            "status": SLOT_TO_FEED[slot.status],
            "people": {
                "hosts": sorted(h.person_id for h in activity.host_links.all()),
                "interpreters": sorted(interpreters),
                "groups": audience or [*all_groups, WHOLE_DELEGATION],
            },
            "data": {
                "title": activity.title,
                "titles": dict(activity.titles),
                "texts": dict(activity.descriptions),
                "activity_kind": activity.kind,
                "text": activity.description,
                "slot_status": slot.status,
                "venue": _venue_data(slot.venue),
                "hosts": [
                    {"id": h.person_id, "name": h.person.full_name, "position": h.person.position}
                    for h in sorted(activity.host_links.all(), key=lambda h: h.person.full_name)
                ],
                "interpreters": list(interpreters.values()),
                "languages": list(activity.languages),
                # The solver's choice, when the version has one (older events keep their data).
                **({"chosen": slot.languages} if slot.languages else {}),
                "phase": activity.phase.name if activity.phase_id else "",
                "questions": questions.get(activity.phase_id, []),
            },
        }
    return events


def _travel_events(visit, activity_events: dict[str, dict], all_groups: list[int]) -> dict:
    """Long legs of each group's day: lodging → first activity, between activities, → lodging."""
    from delegations.models import SubGroup

    zone = ZoneInfo(visit.time_zone)
    minutes = travel_matrix(visit=visit)
    lodging = {WHOLE_DELEGATION: visit.lodging_id}
    for sg in SubGroup.objects.filter(delegation__visit=visit):
        lodging[sg.pk] = sg.lodging_id or visit.lodging_id
    venues = {v.pk: v for v in visit.venues.all()}
    live = [e for e in activity_events.values() if e["status"] != FeedStatus.CANCELLED]
    legs: dict[str, dict] = {}

    def leg(key, origin, destination, start, group):
        m = minutes.get((origin, destination), 0)
        if origin == destination or m < LONG_TRAVEL_MINUTES:
            return
        if key not in legs:
            end = start + dt.timedelta(minutes=m)
            legs[key] = {
                "kind": FeedEvent.Kind.TRAVEL,
                "activity": None,
                "start": start,
                "end": end,
                "place": f"travel-{origin}-{destination}",
                "status": FeedStatus.CONFIRMED,
                "people": {"hosts": [], "interpreters": [], "groups": []},
                "data": {
                    "origin": _venue_data(venues.get(origin)),
                    "destination": _venue_data(venues.get(destination)),
                    "minutes": m,
                },
            }
        legs[key]["people"]["groups"] = sorted({*legs[key]["people"]["groups"], group})

    for group in [*all_groups, WHOLE_DELEGATION]:
        days = defaultdict(list)
        for e in live:
            if group in e["people"]["groups"]:
                days[e["start"].astimezone(zone).date()].append(e)
        home = lodging.get(group)
        for day_events in days.values():
            day_events.sort(key=lambda e: e["start"])
            places = [int(e["place"].split("-")[1]) for e in day_events]
            first, last = day_events[0], day_events[-1]
            if home:
                m = minutes.get((home, places[0]), 0)
                leg(
                    f"travel-v{home}-a{first['activity']}",
                    home,
                    places[0],
                    first["start"] - dt.timedelta(minutes=m),
                    group,
                )
            for (a, pa), (b, pb) in zip(
                zip(day_events, places, strict=True),
                zip(day_events[1:], places[1:], strict=True),
                strict=False,
            ):
                leg(f"travel-a{a['activity']}-a{b['activity']}", pa, pb, a["end"], group)
            if home:
                leg(f"travel-a{last['activity']}-v{home}", places[-1], home, last["end"], group)
    return legs


def _wanted(programme: Programme) -> dict[str, dict]:
    version = programme.current_version
    groups = _groups_of(programme.visit)
    events = _activity_events(version, groups)
    events.update(_travel_events(programme.visit, events, groups))
    events.update(_journey_events(programme.visit))
    return events


# An arrival or departure shows as a half-hour event at its time.
JOURNEY_MINUTES = 30


def _journey_events(visit) -> dict:
    """Each guest's own arrival and departure (logistics), seen only in that guest's feed:
    flight numbers and times are personal."""
    from logistics.models import Journey

    journeys = Journey.objects.filter(guest__delegation__visit=visit).select_related("place")
    return {
        f"journey-{j.pk}": {
            "kind": FeedEvent.Kind.JOURNEY,
            "start": j.time,
            "end": j.time + dt.timedelta(minutes=JOURNEY_MINUTES),
            "place": f"venue-{j.place_id}",
            "status": FeedStatus.CONFIRMED,
            "people": {"guests": [j.guest_id]},
            "data": {
                "direction": j.direction,
                "reference": j.reference,
                "text": j.note,
                "venue": _venue_data(j.place),
            },
        }
        for j in journeys
    }


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

    Call it after publishing and after any change of a published slot's status."""
    programme = Programme.objects.select_for_update().select_related("visit").get(pk=programme.pk)
    if programme.current_version_id is None:
        raise ValueError("programme has no published version")
    at = at or timezone.now()
    visit = programme.visit
    wanted = _wanted(programme)
    existing = {e.key: e for e in FeedEvent.objects.filter(programme=programme)}
    changed = False
    for key, w in wanted.items():
        old = existing.get(key)
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
            changed = True
            continue
        significant = (old.start, old.end, old.place, old.status, old.removed, old.people_hash) != (
            w["start"],
            w["end"],
            w["place"],
            w["status"],
            False,
            people_hash,
        )
        if not significant and old.content_hash == content_hash:
            continue
        old.sequence += 1 if significant else 0
        old.start, old.end, old.place, old.status = w["start"], w["end"], w["place"], w["status"]
        old.removed, old.modified = False, at
        old.people_hash, old.content_hash, old.data = people_hash, content_hash, data
        old.save()
        changed = True
    for key, old in existing.items():
        if key in wanted or old.removed:
            continue
        # Gone from the programme: it stays in feeds as cancelled, one sequence higher.
        old.removed, old.status, old.sequence, old.modified = (
            True,
            FeedStatus.CANCELLED,
            (old.sequence + 1),
            at,
        )
        old.save(update_fields=["removed", "status", "sequence", "modified"])
        changed = True
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


def _covered_dates(programme: Programme, visit) -> tuple[dt.date, dt.date]:
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


def feed_events(*, programme_id: int) -> list[FeedEvent]:
    return list(FeedEvent.objects.filter(programme_id=programme_id).order_by("start", "uid"))


def _place(data: dict | None):
    from scheduling import feeds

    if not data:
        return None
    return feeds.Place(
        name=data["name"],
        address=data.get("address", ""),
        city=data.get("city", ""),
        country=data.get("country", ""),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
    )


def _seen_by(
    event: FeedEvent, role: str | None, who: int | None, guest: int | None = None
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
    if role != "groups" and event.kind != FeedEvent.Kind.ACTIVITY:
        return None  # hosts and interpreters do not travel with the delegation
    if who in event.data.get("people", {}).get(role, []):
        return event.status
    if who in event.data.get("former", {}).get(role, []):
        return FeedStatus.CANCELLED
    return None


ROLE_OF_SUBJECT = {
    "programme": None,
    "guest": "groups",
    "person": "hosts",
    "interpreter": "interpreters",
}


def _in_language(data: dict, field: str, language: str | None) -> str:
    """``field`` ("title", "text") in the reader's language, from the ``<field>s`` mapping."""
    return in_language(data.get(field + "s") or {}, language) or data.get(field, "")


def feed_items(
    *,
    feed: ProgrammeFeed,
    subject: str,
    who: int | None,
    language: str | None = None,
    guest: int | None = None,
) -> tuple:
    """The events one subscriber sees, as plain data for ``feeds.feed_render``.

    Cancelled events stay until they have passed (by the feed's own clock, so the same data
    always gives the same feed)."""
    from scheduling import feeds

    role = ROLE_OF_SUBJECT[subject]
    items = []
    for event in feed_events(programme_id=feed.programme_id):
        status = _seen_by(event, role, who, guest)
        if status is None:
            continue
        if status == FeedStatus.CANCELLED and event.end <= feed.synced_at:
            continue
        data = event.data
        items.append(
            feeds.Item(
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
                slot_status=data.get("slot_status", ""),
                venue=_place(data.get("venue")),
                origin=_place(data.get("origin")),
                destination=_place(data.get("destination")),
                minutes=data.get("minutes", 0),
                direction=data.get("direction", ""),
                reference=data.get("reference", ""),
                hosts=tuple((h["name"], h["position"]) for h in data.get("hosts", [])),
                interpreters=tuple(
                    feeds.Interpreting(i["name"], tuple(tuple(d) for d in i["directions"]))
                    for i in data.get("interpreters", [])
                ),
                languages=tuple(data.get("languages", [])),
                spoken=data.get("chosen", {}).get("spoken", ""),
                listening=tuple(
                    (str(code), int(n))
                    for _g, code, n in data.get("chosen", {}).get("listening", [])
                ),
                phase=data.get("phase", ""),
                questions=tuple(data.get("questions", [])),
            )
        )
    return tuple(items)
