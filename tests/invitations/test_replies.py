"""Replies turned into answers, or logged and ignored (the messages as a client writes them,
read without a mailbox: the round trip through dovecot is test_roundtrip.py)."""

import logging

import pytest

from confirmations import proposals
from confirmations.models import HostAnswer
from invitations.models import Invitation
from invitations.replies import message_take
from scheduling.models import Slot, SolveJob
from tests.invitations.itip import reply_email, reply_ics


@pytest.fixture
def invited(published, q_sync, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposals_send(visit=published.visit)
    return published


def invitation(stage, person, activity) -> Invitation:
    return Invitation.objects.get(person=person, activity=activity)


def reply_to(stage, row: Invitation, partstat: str, **kw) -> bytes:
    options = {
        "uid": row.uid,
        "sequence": row.sequence,
        "attendee": row.person.email,
        "partstat": partstat,
        "start": stage.slot(row.activity).start,
    }
    return reply_email(**{**options, **kw})


def take(capture, raw: bytes) -> list[str]:
    with capture(execute=True):
        return message_take(raw)


def test_accepted_confirms_and_locks_the_slot(invited, django_capture_on_commit_callbacks):
    row = invitation(invited, invited.mayor, invited.meeting)
    raw = reply_to(invited, row, "ACCEPTED", sender="MAIRE@Example.ORG")  # any case
    assert take(django_capture_on_commit_callbacks, raw) == ["answered"]
    slot = invited.slot(invited.meeting)
    assert (slot.status, slot.locked) == (Slot.Status.CONFIRMED, True)
    assert HostAnswer.objects.get(current=True).answer == "confirmed"
    row.refresh_from_db()
    assert row.partstat == "ACCEPTED" and row.replied_at is not None
    # The same reply again (a poll that died before flagging it read): nothing changes.
    assert take(django_capture_on_commit_callbacks, raw) == ["answered"]
    assert HostAnswer.objects.count() == 1


def test_declined_as_an_attachment_declines_and_replans(
    invited, django_capture_on_commit_callbacks
):
    row = invitation(invited, invited.bookseller, invited.bookshop)
    raw = reply_to(invited, row, "DECLINED", attached=True)
    assert take(django_capture_on_commit_callbacks, raw) == ["answered"]
    assert invited.slot(invited.bookshop).status == Slot.Status.DECLINED
    assert SolveJob.objects.filter(kind="replan").exists()


def test_tentative_gives_no_answer(invited, django_capture_on_commit_callbacks, caplog):
    row = invitation(invited, invited.mayor, invited.council)
    with caplog.at_level(logging.INFO, logger="invitations"):
        outcome = take(django_capture_on_commit_callbacks, reply_to(invited, row, "TENTATIVE"))
    assert outcome == ["noted"]
    assert not HostAnswer.objects.exists()
    assert invitation(invited, invited.mayor, invited.council).partstat == "TENTATIVE"
    assert "TENTATIVE, no answer given" in caplog.text


@pytest.mark.parametrize(
    "change, outcome, logged",
    [
        ({"uid": "nobody@elsewhere"}, "unknown", "no invitation has UID"),
        ({"sender": "intrus@example.org"}, "wrong_sender", "but maire@example.org was invited"),
        ({"attendee": "intrus@example.org", "sender": "maire@example.org"}, "wrong_sender", ""),
        ({"partstat": "DELEGATED"}, "malformed", "PARTSTAT"),
    ],
)
def test_replies_that_match_no_invitation_of_their_sender_are_ignored(
    invited, django_capture_on_commit_callbacks, caplog, change, outcome, logged
):
    row = invitation(invited, invited.mayor, invited.meeting)
    partstat = change.pop("partstat", "ACCEPTED")
    with caplog.at_level(logging.INFO, logger="invitations"):
        got = take(django_capture_on_commit_callbacks, reply_to(invited, row, partstat, **change))
    assert got == [outcome]
    assert logged in caplog.text
    assert not HostAnswer.objects.exists()
    assert invited.slot(invited.meeting).status == Slot.Status.PROPOSED


def test_a_reply_to_an_older_sequence_is_ignored(
    invited, django_capture_on_commit_callbacks, caplog
):
    row = invitation(invited, invited.mayor, invited.meeting)
    Invitation.objects.filter(pk=row.pk).update(sequence=3)  # moved three times since
    with caplog.at_level(logging.INFO, logger="invitations"):
        got = take(django_capture_on_commit_callbacks, reply_to(invited, row, "ACCEPTED"))
    assert got == ["stale"] and "SEQUENCE 0, the invitation is at 3" in caplog.text
    assert not HostAnswer.objects.exists()


@pytest.mark.parametrize(
    "ics, logged",
    [
        ("BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x\r\n", "malformed iCalendar"),
        ("not a calendar at all", "malformed iCalendar"),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "not REPLY"),
    ],
)
def test_malformed_calendars_are_logged_and_ignored(
    invited, django_capture_on_commit_callbacks, caplog, ics, logged
):
    row = invitation(invited, invited.mayor, invited.meeting)
    with caplog.at_level(logging.INFO, logger="invitations"):
        got = take(django_capture_on_commit_callbacks, reply_to(invited, row, "ACCEPTED", ics=ics))
    assert got == ["not_a_reply"] and logged in caplog.text
    assert not HostAnswer.objects.exists()


def test_a_message_without_a_calendar_is_ignored(invited, caplog):
    with caplog.at_level(logging.INFO, logger="invitations"):
        assert message_take(b"From: a@example.org\r\nSubject: hello\r\n\r\nhi\r\n") == [
            "not_a_reply"
        ]
    assert "no calendar in the message" in caplog.text


def test_the_reply_ics_is_read_by_icalendar_too(invited):
    # The vobject REPLY the tests send is a valid calendar for the app's own parser.
    from icalendar import Calendar

    row = invitation(invited, invited.mayor, invited.meeting)
    body = reply_ics(
        uid=row.uid,
        sequence=0,
        attendee="maire@example.org",
        partstat="ACCEPTED",
        start=invited.slot(invited.meeting).start,
    )
    assert str(Calendar.from_ical(body)["METHOD"]) == "REPLY"
