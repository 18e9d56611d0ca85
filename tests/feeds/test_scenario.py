"""A subscriber's view over the life of a programme: subscribe, move, decline, re-plan."""

import datetime as dt

import pytest
from django.test import Client

from feeds.sync import programme_feed_sync
from scheduling import services
from scheduling.access import AccessToken, access_token_create
from scheduling.models import Slot, SolveJob
from tests.feeds.conftest import SATURDAY, SUNDAY, at
from tests.feeds.parsers import check_all

MONDAY = SUNDAY + dt.timedelta(days=1)


def fetch(key: str, etag: str | None = None):
    headers = {"if_none_match": etag} if etag else {}
    return Client().get(f"/feeds/{key}.ics", headers=headers)


def events(response) -> dict[str, dict]:
    _cal, js = check_all(response.content)
    return {e["uid"].split("@")[0]: e for e in js["events"]}


def test_scenario_move_decline_replan_across_summer_time(published):
    plan = published
    key = plan.feed_key("guest", plan.guest_en.pk)
    workshop, bookshop = f"activity-{plan.workshop.pk}", f"activity-{plan.bookshop.pk}"

    first = fetch(key)
    seen = events(first)
    # Sunday 31 March 2030 is the first day of summer time: 9:00 there is 7:00 UTC.
    assert (seen[workshop]["start_local"], seen[workshop]["start_utc"]) == (
        "2030-03-31T09:00:00",
        "2030-03-31T07:00:00.000Z",
    )
    assert fetch(key, first["ETag"]).status_code == 304

    # The organiser moves the workshop to Saturday afternoon (winter time) and publishes.
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12)),
            plan.workshop: (at(SATURDAY, 15), at(SATURDAY, 16, 30)),
            plan.bookshop: (at(SUNDAY, 14), at(SUNDAY, 16), Slot.Status.CONFIRMED),
        },
        assignments=[(plan.meeting, plan.interpreter)],
    )
    moved = fetch(key, first["ETag"])
    assert moved.status_code == 200
    seen = events(moved)
    assert (seen[workshop]["sequence"], seen[workshop]["status"]) == (1, "TENTATIVE")
    assert seen[workshop]["start_utc"] == "2030-03-30T14:00:00.000Z"
    assert seen[f"activity-{plan.meeting.pk}"]["sequence"] == 0

    # The bookseller declines: the feed says so before any re-plan.
    Slot.objects.filter(version=plan.programme.current_version, activity=plan.bookshop).update(
        status=Slot.Status.DECLINED
    )
    programme_feed_sync(programme=plan.programme)
    seen = events(fetch(key))
    assert (seen[bookshop]["sequence"], seen[bookshop]["status"]) == (1, "CANCELLED")

    # The re-plan puts the bookshop on Monday morning (summer time) and is published.
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12)),
            plan.workshop: (at(SATURDAY, 15), at(SATURDAY, 16, 30)),
            plan.bookshop: (at(MONDAY, 10), at(MONDAY, 12)),
        },
        assignments=[(plan.meeting, plan.interpreter)],
    )
    seen = events(fetch(key))
    assert (seen[bookshop]["sequence"], seen[bookshop]["status"]) == (2, "TENTATIVE")
    assert (seen[bookshop]["start_local"], seen[bookshop]["start_utc"]) == (
        "2030-04-01T10:00:00",
        "2030-04-01T08:00:00.000Z",
    )

    # The organiser drops the workshop: it stays, cancelled, one sequence higher.
    plan.publish(
        {
            plan.meeting: (at(SATURDAY, 10), at(SATURDAY, 12)),
            plan.bookshop: (at(MONDAY, 10), at(MONDAY, 12)),
        },
        assignments=[(plan.meeting, plan.interpreter)],
    )
    seen = events(fetch(key))
    assert (seen[workshop]["sequence"], seen[workshop]["status"]) == (2, "CANCELLED")
    assert seen[workshop]["start_utc"] == "2030-03-30T14:00:00.000Z"


@pytest.mark.slow
def test_scenario_aude_programme_move_then_decline_and_replan(aude):
    job = services.programme_solve(job_id=services.solve_start(visit=aude, time_limit_s=20).pk)
    services.version_publish(version=job.result_version)
    guest = aude.delegations.get().guests.order_by("pk").first()
    key = access_token_create(
        visit=aude, purpose=AccessToken.Purpose.FEED, subject="guest", subject_id=guest.pk
    )[1]
    before = events(fetch(key))
    assert before and all(e["sequence"] == 0 for e in before.values())

    # A hand move, forced, half an hour later; then published.
    current = job.result_version
    slot = current.slots.filter(locked=False).order_by("start").first()
    moved = services.slot_move(slot=slot, start=slot.start + dt.timedelta(minutes=30), force=True)
    services.version_publish(version=moved)
    after_move = events(fetch(key))
    uid = f"activity-{slot.activity_id}"
    assert after_move[uid]["sequence"] == 1
    assert after_move[uid]["start_utc"] == (slot.start + dt.timedelta(minutes=30)).astimezone(
        dt.UTC
    ).strftime("%Y-%m-%dT%H:%M:%S.000Z")

    # The council declines; the re-plan moves its meeting; publish; re-fetch.
    declined = moved.slots.get(activity__title__startswith="Rencontre au Conseil général")
    Slot.objects.filter(pk=declined.pk).update(status=Slot.Status.DECLINED)
    replan = services.programme_solve(
        job_id=services.solve_start(visit=aude, kind=SolveJob.Kind.REPLAN, time_limit_s=20).pk
    )
    assert replan.state == SolveJob.State.DONE
    services.version_publish(version=replan.result_version)
    final = events(fetch(key))
    council = f"activity-{declined.activity_id}"
    new_slot = replan.result_version.slots.get(activity_id=declined.activity_id)
    # Activities keep their UIDs; travel legs follow the new order (the old ones, cancelled,
    # are already past in 2009 and so leave the feed).
    assert {u for u in before if u.startswith("activity-")} <= set(final)
    assert final[council]["sequence"] > after_move[council]["sequence"]
    assert final[council]["start_utc"] == new_slot.start.astimezone(dt.UTC).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z"
    )
    assert all(
        final[u]["sequence"] >= after_move[u]["sequence"] for u in final.keys() & after_move.keys()
    )
