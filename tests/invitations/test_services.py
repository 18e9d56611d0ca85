"""Invitations sent with proposals, updated by moves, withdrawn by cancellations."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from confirmations import proposals
from feeds.models import FeedEvent
from invitations import services
from invitations.models import Invitation, PendingSync
from tests.confirmations.conftest import FIRST, TUESDAY, WEDNESDAY, at
from tests.invitations.conftest import ORGANIZER, invitations_in


def send_proposals(stage, capture, **kw):
    with capture(execute=True):
        return proposals.proposals_send(visit=stage.visit, **kw)


def publish(stage, capture, **moves):
    slots = {getattr(stage, name): span for name, span in FIRST.items()}
    for name, span in moves.items():
        if span is None:
            del slots[getattr(stage, name)]
        else:
            slots[getattr(stage, name)] = span
    with capture(execute=True):
        stage.publish(slots, assignments=[(stage.meeting, stage.interpreter)])


def event_of(found: dict):
    cal = Calendar.from_ical(found["ics"])
    (event,) = cal.walk("VEVENT")
    return cal, event


def to(found: dict) -> str:
    return found["to"].addresses[0].addr_spec


def test_each_slot_of_each_host_comes_as_an_invitation_of_its_own(
    published, q_sync, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    send_proposals(published, django_capture_on_commit_callbacks)
    found = invitations_in()
    assert sorted(to(f) for f in found) == [
        "libreria@example.org",
        "maire@example.org",
        "maire@example.org",
    ]
    # The proposal itself carries no calendar file any more (its UIDs were the feed's).
    proposal_mail = [m for m in mail.outbox if "invite.ics" not in str(m.attachments)]
    assert len(proposal_mail) == 2 and all(not m.attachments for m in proposal_mail)
    bookshop = next(f for f in found if to(f) == "libreria@example.org")
    cal, event = event_of(bookshop)
    assert str(cal["METHOD"]) == "REQUEST"
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
    assert event["DTSTART"].dt == FIRST["bookshop"][0]
    organizer = event["ORGANIZER"]
    assert str(organizer) == f"mailto:{ORGANIZER}"
    assert organizer.params["CN"] == published.org.name
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:libreria@example.org"
    assert dict(attendee.params) == {
        "CN": "Lucía Ferrer",
        "CUTYPE": "INDIVIDUAL",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE",
    }
    # In her language (es): the text, the calendar's LANGUAGE=, the email's subject.
    assert event["SUMMARY"].params["LANGUAGE"] == "es"
    assert "lunes, 6 de mayo de 2030" in bookshop["subject"]
    # MIME as Outlook and Gmail send it: the calendar beside the text, and attached.
    message = bookshop["message"]
    assert message.get_content_type() == "multipart/mixed"
    alternative = next(p for p in message.walk() if p.get_content_type() == "multipart/alternative")
    assert [p.get_content_type() for p in alternative.iter_parts()] == [
        "text/plain",
        "text/calendar",
    ]
    assert bookshop["inline"].get_param("method") == "REQUEST"
    assert bookshop["attached"].get_filename() == "invite.ics"
    assert bookshop["attached"].get_param("method") == "REQUEST"
    inline = bookshop["inline"].get_payload(decode=True)
    assert bookshop["attached"].get_payload(decode=True) == inline
    assert inline.replace(b"\n", b"\r\n") == bookshop["ics"]  # CRLF as written
    # The host's answer page is in the text.
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert "/host/" in text.get_content()
    row = Invitation.objects.get(uid=str(event["UID"]))
    assert (row.person, row.role, row.sequence, row.state) == (
        published.bookseller,
        "host",
        0,
        "sent",
    )
    assert len(row.content_hash) == 64


def test_invitation_uids_are_per_person_and_not_the_feeds(
    published, q_sync, django_capture_on_commit_callbacks
):
    send_proposals(published, django_capture_on_commit_callbacks)
    uids = list(Invitation.objects.values_list("uid", flat=True))
    assert len(uids) == len(set(uids)) == 4  # three host slots and the interpreter's
    feed_uids = set(FeedEvent.objects.values_list("uid", flat=True))
    assert feed_uids and not feed_uids & set(uids)
    meeting = Invitation.objects.filter(activity=published.meeting)
    assert meeting.count() == 2  # the mayor and the interpreter: one UID each


def test_interpreters_are_invited_on_publication_hosts_only_with_their_proposal(published):
    (found,) = invitations_in()
    assert to(found) == "interprete@example.org"
    _cal, event = event_of(found)
    assert str(event["SUMMARY"]) == "Rencontre avec le maire"
    assert Invitation.objects.get().role == "interpreter"


def test_a_move_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    published, q_sync, django_capture_on_commit_callbacks
):
    send_proposals(published, django_capture_on_commit_callbacks)
    before = Invitation.objects.get(person=published.mayor, activity=published.meeting)
    mail.outbox.clear()
    publish(
        published, django_capture_on_commit_callbacks, meeting=(at(TUESDAY, 14), at(TUESDAY, 16))
    )
    found = invitations_in()
    # The mayor and the interpreter of the meeting; the council and the bookshop did not move.
    assert sorted(to(f) for f in found) == ["interprete@example.org", "maire@example.org"]
    mayor = next(f for f in found if to(f) == "maire@example.org")
    cal, event = event_of(mayor)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == before.uid
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt == at(TUESDAY, 14)
    # Publishing the same times again sends nothing; a second move raises SEQUENCE again.
    mail.outbox.clear()
    publish(
        published, django_capture_on_commit_callbacks, meeting=(at(TUESDAY, 14), at(TUESDAY, 16))
    )
    assert invitations_in() == []
    publish(
        published, django_capture_on_commit_callbacks, meeting=(at(WEDNESDAY, 9), at(WEDNESDAY, 11))
    )
    mayor = next(f for f in invitations_in() if to(f) == "maire@example.org")
    assert int(event_of(mayor)[1]["SEQUENCE"]) == 2
    assert Invitation.objects.get(pk=before.pk).sequence == 2


def test_a_cancellation_sends_cancel_with_status_cancelled(
    published, q_sync, django_capture_on_commit_callbacks
):
    send_proposals(published, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    publish(published, django_capture_on_commit_callbacks, council=None)
    (found,) = invitations_in()
    cal, event = event_of(found)
    assert to(found) == "maire@example.org"
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert found["inline"].get_param("method") == "CANCEL"
    assert str(event["DESCRIPTION"]).startswith("Annulé")  # in the mayor's language (fr)
    row = Invitation.objects.get(activity=published.council)
    assert (row.state, row.sequence, row.uid) == ("cancelled", 1, str(event["UID"]))
    # Back in the programme: invited again under the same UID, SEQUENCE higher still.
    mail.outbox.clear()
    publish(published, django_capture_on_commit_callbacks)
    (found,) = invitations_in()
    cal, event = event_of(found)
    assert (str(cal["METHOD"]), int(event["SEQUENCE"]), str(event["UID"])) == (
        "REQUEST",
        2,
        row.uid,
    )


def test_a_resent_proposal_sends_the_same_invitations_again(
    published, q_sync, django_capture_on_commit_callbacks
):
    send_proposals(published, django_capture_on_commit_callbacks)
    send_proposals(published, django_capture_on_commit_callbacks)  # nothing new: nothing sent
    assert len([f for f in invitations_in() if to(f) == "maire@example.org"]) == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposal_send(visit=published.visit, person=published.mayor, kind="resend")
    again = [f for f in invitations_in() if to(f) == "maire@example.org"]
    assert len(again) == 2 and {int(event_of(f)[1]["SEQUENCE"]) for f in again} == {0}


def test_a_burst_of_publications_makes_one_sync(
    published, settings, q_sync, django_capture_on_commit_callbacks
):
    settings.INVITATIONS_UPDATE_DELAY_S = 120
    send_proposals(published, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    for hour in (14, 15, 16):
        publish(
            published,
            django_capture_on_commit_callbacks,
            meeting=(at(TUESDAY, hour), at(TUESDAY, hour + 2)),
        )
    (waiting,) = PendingSync.objects.all()
    assert waiting.person_ids is None and waiting.due_at > timezone.now()
    assert invitations_in() == []  # not before it is due
    with django_capture_on_commit_callbacks(execute=True):
        assert services.syncs_run_due(now=waiting.due_at) == 1
    found = invitations_in()
    assert sorted(to(f) for f in found) == ["interprete@example.org", "maire@example.org"]
    assert {int(event_of(f)[1]["SEQUENCE"]) for f in found} == {1}  # one update, not three
    assert {event_of(f)[1]["DTSTART"].dt for f in found} == {at(TUESDAY, 16)}
    assert not PendingSync.objects.exists()


def test_the_outbox_sweep_runs_a_sync_whose_bell_was_lost(published, settings):
    from outbox.services import sweep

    settings.INVITATIONS_UPDATE_DELAY_S = 120
    published.publish({published.meeting: (at(TUESDAY, 14), at(TUESDAY, 16))})
    (waiting,) = PendingSync.objects.all()
    assert sweep(now=waiting.due_at)["invitations"] == 1
    assert Invitation.objects.get().sequence == 1  # the interpreter's meeting moved


def test_nothing_is_sent_when_the_publication_rolls_back(stage):
    with pytest.raises(RuntimeError), transaction.atomic():
        stage.publish({stage.meeting: FIRST["meeting"]})
        raise RuntimeError
    assert not PendingSync.objects.exists()


def test_without_a_replies_mailbox_no_answer_is_asked_for_in_the_calendar(
    published, q_sync, django_capture_on_commit_callbacks, settings
):
    # A reply would go to a mailbox nobody reads: RSVP=FALSE, and the email points to the page.
    settings.INVITATIONS_IMAP_HOST = ""
    mail.outbox.clear()
    send_proposals(published, django_capture_on_commit_callbacks)
    bookshop = next(f for f in invitations_in() if to(f) == "libreria@example.org")
    _cal, event = event_of(bookshop)
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    text = bookshop["message"].get_body(("plain",)).get_content()
    assert "/host/" in text and "calendar" not in text.split("/host/")[0].lower()
    assert "calendar" not in str(event["DESCRIPTION"]).lower()
