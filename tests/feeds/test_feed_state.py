"""The per-event feed history kept as versions are published."""

import datetime as dt

from feeds.models import FeedEvent, FeedStatus
from feeds.selectors import feed_items
from feeds.sync import programme_feed_sync
from scheduling import services
from scheduling.models import Slot
from tests.feeds.conftest import SATURDAY, SUNDAY, at


def event(plan, key: str) -> FeedEvent:
    return FeedEvent.objects.get(programme=plan.programme, key=key)


def base(plan, **changes):
    slots = {
        plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12)),
        plan.bookshop: (at(SUNDAY, 14), at(SUNDAY, 16), Slot.Status.CONFIRMED),
        plan.workshop: (at(SUNDAY, 9), at(SUNDAY, 10, 30)),
    }
    slots.update(changes)
    return {k: v for k, v in slots.items() if v is not None}


def test_sync_first_publish_gives_stable_uids_and_sequence_zero(published):
    plan = published
    meeting = event(plan, f"activity-{plan.meeting.pk}")
    assert meeting.uid == f"activity-{plan.meeting.pk}@etape-mars-2030.planner"
    assert (meeting.sequence, meeting.status) == (0, FeedStatus.TENTATIVE)
    assert event(plan, f"activity-{plan.bookshop.pk}").status == FeedStatus.CONFIRMED
    first = plan.programme.current_version.published_at
    assert (meeting.created, meeting.modified) == (first, first)


def test_sync_same_slots_republished_change_nothing(published):
    plan = published
    before = {e.key: (e.sequence, e.modified) for e in FeedEvent.objects.all()}
    stamp = plan.programme.feed.stamp
    plan.publish(base(plan), assignments=[(plan.meeting, plan.interpreter)])
    assert {e.key: (e.sequence, e.modified) for e in FeedEvent.objects.all()} == before
    plan.programme.feed.refresh_from_db()
    assert plan.programme.feed.stamp == stamp


def test_sync_move_raises_sequence_and_last_modified(published):
    plan = published
    version = plan.publish(
        base(plan) | {plan.meeting: (at(SATURDAY, 14), at(SATURDAY, 16))},
        assignments=[(plan.meeting, plan.interpreter)],
    )
    meeting = event(plan, f"activity-{plan.meeting.pk}")
    assert (meeting.sequence, meeting.modified) == (1, version.published_at)
    assert event(plan, f"activity-{plan.workshop.pk}").sequence == 0


def test_sync_confirmation_raises_sequence(published):
    plan = published
    plan.publish(
        base(plan) | {plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12), Slot.Status.CONFIRMED)},
        assignments=[(plan.meeting, plan.interpreter)],
    )
    meeting = event(plan, f"activity-{plan.meeting.pk}")
    assert (meeting.sequence, meeting.status) == (1, FeedStatus.CONFIRMED)


def test_sync_description_change_raises_sequence_and_last_modified(published):
    # Google does not refresh a subscribed event whose SEQUENCE stayed (#19).
    plan = published
    plan.meeting.description = "Ordre du jour : budget participatif."
    plan.meeting.save()
    version = plan.publish(base(plan), assignments=[(plan.meeting, plan.interpreter)])
    meeting = event(plan, f"activity-{plan.meeting.pk}")
    assert (meeting.sequence, meeting.modified) == (1, version.published_at)
    assert meeting.data["text"] == "Ordre du jour : budget participatif."
    assert event(plan, f"activity-{plan.workshop.pk}").sequence == 0


def test_sync_title_change_raises_sequence(published):
    plan = published
    plan.meeting.title = "Rencontre avec le maire et son adjointe"
    plan.meeting.save()
    plan.publish(base(plan), assignments=[(plan.meeting, plan.interpreter)])
    assert event(plan, f"activity-{plan.meeting.pk}").sequence == 1
    assert event(plan, f"activity-{plan.bookshop.pk}").sequence == 0


def test_sync_address_change_raises_sequence(published):
    plan = published
    plan.hall.address = "2 place de la République, 11190 Couiza"
    plan.hall.save()
    plan.publish(base(plan), assignments=[(plan.meeting, plan.interpreter)])
    # Both events at the hall show the new LOCATION; the bookshop at the farm does not move.
    assert event(plan, f"activity-{plan.meeting.pk}").sequence == 1
    assert event(plan, f"activity-{plan.workshop.pk}").sequence == 1
    assert event(plan, f"activity-{plan.bookshop.pk}").sequence == 0


def test_sync_removed_slot_stays_cancelled_one_sequence_higher(published):
    plan = published
    plan.publish({k: v for k, v in base(plan).items() if k != plan.workshop})
    workshop = event(plan, f"activity-{plan.workshop.pk}")
    assert (workshop.removed, workshop.status, workshop.sequence) == (
        True,
        FeedStatus.CANCELLED,
        1,
    )
    # Published again unchanged: the cancellation is not counted twice.
    plan.publish({k: v for k, v in base(plan).items() if k != plan.workshop})
    assert event(plan, f"activity-{plan.workshop.pk}").sequence == 1


def test_sync_removed_then_restored_keeps_uid_and_sequence_grows(published):
    plan = published
    plan.publish({k: v for k, v in base(plan).items() if k != plan.workshop})
    plan.publish(base(plan))
    workshop = event(plan, f"activity-{plan.workshop.pk}")
    assert (workshop.removed, workshop.status, workshop.sequence) == (
        False,
        FeedStatus.TENTATIVE,
        2,
    )


def test_sync_replaced_interpreter_is_kept_as_former(published):
    plan = published
    plan.publish(base(plan), assignments=[(plan.meeting, plan.other_interpreter)])
    meeting = event(plan, f"activity-{plan.meeting.pk}")
    assert meeting.sequence == 1
    assert meeting.data["people"]["interpreters"] == [plan.other_interpreter.pk]
    assert meeting.data["former"]["interpreters"] == [plan.interpreter.pk]


def test_sync_long_travel_becomes_an_event_and_short_does_not(plan):
    # Saturday: the mayor in Couiza, then the bookshop two hours away.
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 9), at(SATURDAY, 10)),
            plan.bookshop: (at(SATURDAY, 14), at(SATURDAY, 15)),
        }
    )
    legs = FeedEvent.objects.filter(kind=FeedEvent.Kind.TRAVEL)
    (leg,) = legs
    # Named by the group (0: the whole delegation), the day and the venues.
    assert leg.key == f"travel-g0-20300330-v{plan.hall.pk}-v{plan.farm.pk}"
    assert (leg.start, leg.end) == (at(SATURDAY, 10), at(SATURDAY, 12))
    assert leg.data["minutes"] == 120
    plan.visit.travel_times.update(minutes=30)
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 9), at(SATURDAY, 10)),
            plan.bookshop: (at(SATURDAY, 14), at(SATURDAY, 15)),
        }
    )
    leg.refresh_from_db()
    assert (leg.status, leg.removed) == (FeedStatus.CANCELLED, True)


def test_sync_travel_from_lodging_for_the_first_activity(plan):
    plan.visit.lodging = plan.farm
    plan.visit.save()
    plan.publish({plan.meeting: (at(SATURDAY, 13), at(SATURDAY, 14))})
    keys = sorted(FeedEvent.objects.filter(kind="travel").values_list("key", flat=True))
    assert keys == sorted(
        [
            f"travel-g0-20300330-v{plan.farm.pk}-v{plan.hall.pk}",
            f"travel-g0-20300330-v{plan.hall.pk}-v{plan.farm.pk}",
        ]
    )


def test_feed_items_drop_cancelled_events_once_passed(published):
    plan = published
    later = dt.datetime(2030, 3, 31, 11, tzinfo=dt.UTC)
    # The workshop (Sunday 9:00-10:30) is removed in a version synced after it ended.
    services.version_publish(
        version=plan.version({k: v for k, v in base(plan).items() if k != plan.workshop})
    )
    feed = programme_feed_sync(programme=plan.programme, at=later)
    uids = {i.uid for i in feed_items(feed=feed, subject="programme", who=None)}
    assert f"activity-{plan.workshop.pk}@etape-mars-2030.planner" not in uids
    assert f"activity-{plan.meeting.pk}@etape-mars-2030.planner" in uids


def test_sync_leg_keeps_its_uid_when_a_neighbouring_activity_moves(plan):
    # The bookshop (farm) after the meeting (hall); the workshop at the hall moves around
    # the meeting: the hall → farm leg of the afternoon is the same trip, and keeps its UID.
    plan.workshop.audience.clear()
    plan.publish(
        {
            plan.workshop: (at(SATURDAY, 8), at(SATURDAY, 9)),
            plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 11)),
            plan.bookshop: (at(SATURDAY, 14), at(SATURDAY, 15)),
        },
        assignments=[(plan.meeting, plan.interpreter), (plan.bookshop, plan.interpreter)],
    )
    (leg,) = FeedEvent.objects.filter(kind=FeedEvent.Kind.TRAVEL)
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 8), at(SATURDAY, 9)),
            plan.workshop: (at(SATURDAY, 10), at(SATURDAY, 11)),
            plan.bookshop: (at(SATURDAY, 14), at(SATURDAY, 15)),
        },
        assignments=[(plan.meeting, plan.interpreter), (plan.bookshop, plan.interpreter)],
    )
    (after,) = FeedEvent.objects.filter(kind=FeedEvent.Kind.TRAVEL, removed=False)
    assert (after.uid, after.start, after.end) == (leg.uid, at(SATURDAY, 11), at(SATURDAY, 13))
    assert not FeedEvent.objects.filter(kind=FeedEvent.Kind.TRAVEL, removed=True).exists()


def test_sync_interpreter_at_both_ends_travels_with_the_leg(plan):
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 9), at(SATURDAY, 10)),
            plan.bookshop: (at(SATURDAY, 14), at(SATURDAY, 15)),
        },
        assignments=[
            (plan.meeting, plan.interpreter),
            (plan.bookshop, plan.interpreter),
            (plan.bookshop, plan.other_interpreter),
        ],
    )
    (leg,) = FeedEvent.objects.filter(kind=FeedEvent.Kind.TRAVEL)
    assert leg.data["people"]["interpreters"] == [plan.interpreter.pk]
    feed = plan.programme.feed
    mine = feed_items(feed=feed, subject="interpreter", who=plan.interpreter.pk)
    assert [i.kind for i in mine] == ["activity", "travel", "activity"]
    other = feed_items(feed=feed, subject="interpreter", who=plan.other_interpreter.pk)
    assert [i.kind for i in other] == ["activity"]
    host = feed_items(feed=feed, subject="person", who=plan.mayor.pk)
    assert [i.kind for i in host] == ["activity"]
