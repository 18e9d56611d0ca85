"""The round trip through real mail servers: invitations leave by SMTP (aiosmtpd, on a port
of its own), replies built by vobject are put into a dovecot mailbox by IMAP APPEND, the
django-q2 job's poll reads them, and the slots are confirmed or declined (re-planned).

The log of the round trip and a sample invitation, its update and its cancellation as they
were sent are written to $ITIP_SAMPLES_DIR (default: a folder of this run under the system's
temporary directory; its path is logged), for the issue's closing note."""

import email
import email.policy
import imaplib
import logging
import os
import tempfile
from pathlib import Path

import pytest
from icalendar import Calendar

from confirmations import proposals
from invitations import replies
from invitations.models import Invitation
from invitations.tasks import replies_poll_task
from scheduling.models import Slot, SolveJob
from tests.confirmations.conftest import FIRST, TUESDAY, at
from tests.invitations.itip import method_and_sequence, reply_email
from tests.invitations.mailservers import dovecot, smtp_receiver

# One folder per run and process: two runs on one machine never overwrite each other's.
SAMPLES = Path(os.environ.get("ITIP_SAMPLES_DIR") or tempfile.mkdtemp(prefix="itip-samples-"))
log = logging.getLogger("invitations.roundtrip")


@pytest.fixture
def servers(settings):
    with smtp_receiver() as smtp, dovecot() as imap:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = False
        settings.INVITATIONS_IMAP_HOST, settings.INVITATIONS_IMAP_PORT = imap.host, imap.port
        settings.INVITATIONS_IMAP_USER = imap.user
        settings.INVITATIONS_IMAP_PASSWORD = imap.password
        settings.INVITATIONS_IMAP_SSL = "false"
        settings.INVITATIONS_IMAP_FOLDER = "INBOX"
        yield smtp, imap


@pytest.fixture
def journal(caplog):
    """The round trip's log lines (the app's "invitations" logger and the test's own)."""
    caplog.set_level(logging.INFO, logger="invitations")
    yield caplog
    SAMPLES.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{r.levelname:7} {r.name}: {r.getMessage()}"
        for r in caplog.get_records("setup") + caplog.get_records("call")
        if r.name.startswith("invitations")
    ]
    (SAMPLES / "roundtrip.log").write_text("\n".join(lines) + "\n")


def received(smtp, address: str, summary: str) -> tuple[bytes, bytes, Calendar]:
    """The last message the SMTP server received for an address about an activity: the
    whole email, its text/calendar part, and that calendar parsed."""
    for message in reversed(smtp.messages):
        if address not in message["to"]:
            continue
        parsed = email.message_from_bytes(message["data"], policy=email.policy.default)
        part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
        body = part.get_payload(decode=True)
        cal = Calendar.from_ical(body)
        if summary in str(cal.walk("VEVENT")[0]["SUMMARY"]):
            return message["data"], body, cal
    raise AssertionError(f"no invitation to {address} about {summary} arrived")


def sample(name: str, raw: bytes, body: bytes) -> None:
    SAMPLES.mkdir(parents=True, exist_ok=True)
    (SAMPLES / f"{name}.eml").write_bytes(raw)
    (SAMPLES / f"{name}.ics").write_bytes(body)


def append(imap, raw: bytes) -> None:
    client = imaplib.IMAP4(imap.host, imap.port)
    try:
        client.login(imap.user, imap.password)
        status, data = client.append("INBOX", None, None, raw)
        assert status == "OK", data
    finally:
        client.logout()


def unread(imap) -> int:
    client = imaplib.IMAP4(imap.host, imap.port)
    try:
        client.login(imap.user, imap.password)
        client.select("INBOX")
        _status, data = client.uid("SEARCH", None, "UNSEEN")
        return len(data[0].split())
    finally:
        client.logout()


def poll(capture) -> dict:
    with capture(execute=True):
        counts = replies_poll_task()
    log.info("poll done: %s", counts)
    return counts


def reply_for(row: Invitation, partstat: str, start) -> bytes:
    return reply_email(
        uid=row.uid,
        sequence=row.sequence,
        attendee=row.person.email,
        partstat=partstat,
        start=start,
    )


def test_invitation_accepted_and_declined_in_a_mail_client_answer_the_slots(
    servers, published, journal, q_sync, django_capture_on_commit_callbacks
):
    smtp, imap = servers
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposals_send(visit=published.visit)
    raw, body, cal = received(smtp, "maire@example.org", "Rencontre avec le maire")
    event = cal.walk("VEVENT")[0]
    assert (str(cal["METHOD"]), int(event["SEQUENCE"])) == ("REQUEST", 0)
    log.info(
        "received by SMTP: %s SEQUENCE:%s for %s (%d messages in all)",
        cal["METHOD"],
        event["SEQUENCE"],
        event["ATTENDEE"],
        len(smtp.messages),
    )
    sample("1-invitation", raw, body)

    # The mayor accepts in their mail client: a REPLY (vobject) reaches the organiser's mailbox.
    meeting = Invitation.objects.get(person=published.mayor, activity=published.meeting)
    assert str(event["UID"]) == meeting.uid
    append(imap, reply_for(meeting, "ACCEPTED", FIRST["meeting"][0]))
    log.info("appended to dovecot INBOX: REPLY ACCEPTED from %s", meeting.person.email)
    assert poll(django_capture_on_commit_callbacks) == {"answered": 1}
    slot = published.slot(published.meeting)
    assert (slot.status, slot.locked) == (Slot.Status.CONFIRMED, True)
    log.info("slot %s: %s, locked", slot.pk, slot.status)
    assert unread(imap) == 0

    # The bookseller declines: the slot is declined and a re-plan is made.
    bookshop = Invitation.objects.get(person=published.bookseller)
    append(imap, reply_for(bookshop, "DECLINED", FIRST["bookshop"][0]))
    log.info("appended to dovecot INBOX: REPLY DECLINED from %s", bookshop.person.email)
    assert poll(django_capture_on_commit_callbacks) == {"answered": 1}
    assert published.slot(published.bookshop).status == Slot.Status.DECLINED
    job = SolveJob.objects.get(kind="replan")
    log.info("slot declined; re-plan %s: %s", job.pk, job.state)

    # A forged reply (right UID, another sender) and a second poll with nothing new.
    append(
        imap,
        reply_email(
            uid=meeting.uid,
            sequence=0,
            attendee="maire@example.org",
            partstat="DECLINED",
            start=FIRST["meeting"][0],
            sender="intrus@example.org",
        ),
    )
    assert poll(django_capture_on_commit_callbacks) == {"wrong_sender": 1}
    assert published.slot(published.meeting).status == Slot.Status.CONFIRMED
    assert poll(django_capture_on_commit_callbacks) == {}

    # The meeting moves (an update, SEQUENCE 1), then leaves the programme (CANCEL, 2).
    moved = (at(TUESDAY, 14), at(TUESDAY, 16))
    with django_capture_on_commit_callbacks(execute=True):
        published.publish(
            {published.meeting: moved, published.council: FIRST["council"]},
            assignments=[(published.meeting, published.interpreter)],
        )
    raw, body, cal = received(smtp, "maire@example.org", "Rencontre avec le maire")
    event = cal.walk("VEVENT")[0]
    assert (str(cal["METHOD"]), int(event["SEQUENCE"]), str(event["UID"])) == (
        "REQUEST",
        1,
        meeting.uid,
    )
    assert event["DTSTART"].dt == moved[0]
    log.info("received by SMTP: update SEQUENCE:%s, %s", event["SEQUENCE"], event["DTSTART"].dt)
    sample("2-update", raw, body)
    # A reply to the old time is stale now.
    append(imap, reply_for(meeting, "DECLINED", FIRST["meeting"][0]))
    assert poll(django_capture_on_commit_callbacks) == {"stale": 1}

    with django_capture_on_commit_callbacks(execute=True):
        published.publish({published.council: FIRST["council"]})
    raw, body, cal = received(smtp, "maire@example.org", "Rencontre avec le maire")
    event = cal.walk("VEVENT")[0]
    assert (str(cal["METHOD"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
        "CANCEL",
        2,
        "CANCELLED",
    )
    log.info("received by SMTP: %s SEQUENCE:%s", cal["METHOD"], event["SEQUENCE"])
    sample("3-cancellation", raw, body)
    for name, method, sequence in (
        ("1-invitation", "REQUEST", 0),
        ("2-update", "REQUEST", 1),
        ("3-cancellation", "CANCEL", 2),
    ):
        seen = method_and_sequence((SAMPLES / f"{name}.ics").read_bytes())
        assert {v[:3] for v in seen.values()} == {(method, meeting.uid, sequence)}, seen


def test_a_poll_that_dies_midway_leaves_the_rest_unread_for_the_next(
    servers, published, q_sync, django_capture_on_commit_callbacks, monkeypatch
):
    _smtp, imap = servers
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposals_send(visit=published.visit)
    rows = [
        Invitation.objects.get(person=published.mayor, activity=published.meeting),
        Invitation.objects.get(person=published.mayor, activity=published.council),
        Invitation.objects.get(person=published.bookseller),
    ]
    for row in rows:
        append(imap, reply_for(row, "ACCEPTED", published.slot(row.activity).start))
    real = replies.message_take
    calls = []

    def dies_on_the_second(raw):
        calls.append(raw)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the worker killed: nothing of ours catches it
        return real(raw)

    monkeypatch.setattr(replies, "message_take", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        poll(django_capture_on_commit_callbacks)
    assert unread(imap) == 2
    monkeypatch.setattr(replies, "message_take", real)
    assert poll(django_capture_on_commit_callbacks) == {"answered": 2}
    assert unread(imap) == 0
    statuses = {published.slot(row.activity).status for row in rows}
    assert statuses == {Slot.Status.CONFIRMED}


def test_a_failure_of_ours_leaves_the_message_unread_and_goes_on(
    servers, published, q_sync, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    _smtp, imap = servers
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposals_send(visit=published.visit)
    first, second = (
        Invitation.objects.get(person=published.mayor, activity=published.meeting),
        Invitation.objects.get(person=published.bookseller),
    )
    append(imap, reply_for(first, "ACCEPTED", FIRST["meeting"][0]))
    append(imap, reply_for(second, "ACCEPTED", FIRST["bookshop"][0]))
    real = replies.reply_take

    def database_down_for_the_mayor(reply, sender):
        if reply.attendee == "maire@example.org":
            raise ConnectionError("database is not answering")
        return real(reply, sender)

    monkeypatch.setattr(replies, "reply_take", database_down_for_the_mayor)
    assert poll(django_capture_on_commit_callbacks) == {"left": 1, "answered": 1}
    assert "left unread" in caplog.text
    assert unread(imap) == 1
    monkeypatch.setattr(replies, "reply_take", real)
    assert poll(django_capture_on_commit_callbacks) == {"answered": 1}
    assert published.slot(published.meeting).status == Slot.Status.CONFIRMED


def test_the_poll_is_off_without_a_mailbox(settings):
    settings.INVITATIONS_IMAP_HOST = ""
    assert replies_poll_task() == {"off": 1}
