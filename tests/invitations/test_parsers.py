"""Invitations, updates and cancellations as icalendar, vobject and ical.js (Thunderbird's
parser) read them: the METHOD, UID and SEQUENCE each must see (no mail server needed)."""

from django.core import mail
from django_q.models import Schedule

from confirmations import proposals
from invitations.models import Invitation
from tests.confirmations.conftest import FIRST, TUESDAY, at
from tests.invitations.conftest import invitations_in
from tests.invitations.itip import method_and_sequence, parse_itip_js


def _mayor_meeting(found):
    return next(
        f
        for f in found
        if "maire@example.org" in f["to"] and b"Rencontre avec le maire" in f["ics"]
    )


def test_request_update_and_cancel_read_the_same_in_three_parsers(
    published, q_sync, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposals_send(visit=published.visit)
    row = Invitation.objects.get(person=published.mayor, activity=published.meeting)
    steps = [
        ({published.meeting: (at(TUESDAY, 14), at(TUESDAY, 16))}, "REQUEST", 1, "CONFIRMED"),
        ({}, "CANCEL", 2, "CANCELLED"),
    ]
    bodies = [(_mayor_meeting(invitations_in())["ics"], "REQUEST", 0, "CONFIRMED")]
    for slots, method, sequence, status in steps:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            published.publish(
                {published.council: FIRST["council"], **slots},
                assignments=[(published.meeting, published.interpreter)] if slots else (),
            )
        bodies.append((_mayor_meeting(invitations_in())["ics"], method, sequence, status))
    for body, method, sequence, status in bodies:
        seen = method_and_sequence(body)
        assert set(seen.values()) == {(method, row.uid, sequence, status)}, seen
        # What Thunderbird's invitation handling needs: the attendee asked to answer (not in a
        # cancellation), and the organiser to answer to.
        (event,) = parse_itip_js(body)["events"]
        assert event["organizer"] == "mailto:rencontres@example.org"
        (attendee,) = event["attendees"]
        assert attendee["address"] == "mailto:maire@example.org"
        assert attendee["partstat"] == "NEEDS-ACTION"
        assert attendee["rsvp"] == ("TRUE" if method == "REQUEST" else None)
        assert event["tzid"] == "Europe/Paris"


def test_the_replies_are_polled_every_minute(db):
    poll = Schedule.objects.get(name="invitations: read calendar replies")
    assert (poll.func, poll.schedule_type, poll.minutes, poll.repeats) == (
        "invitations.tasks.replies_poll_task",
        Schedule.MINUTES,
        1,
        -1,
    )
