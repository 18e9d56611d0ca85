"""Calendar replies (iTIP METHOD:REPLY over email) read from the organiser's mailbox.

``replies_poll`` (a django-q2 schedule, every minute) opens the IMAP mailbox of
``invitations.conf.imap`` and takes each unread message in turn: its REPLY is matched to an
invitation by UID, the attendee and the sender must both be the invited person, and its
SEQUENCE the invitation's latest; then ACCEPTED / DECLINED become the host's answer, through
the same service as the host page (``confirmations.answers.host_answer_record``: a
confirmation locks the slot, a decline re-plans). A tentative answer is noted, not answered.

Each message is handled in a transaction of its own and flagged \\Seen only after it
committed: a poll that dies midway leaves the messages it did not finish unread, for the
next poll (an answer taken twice changes nothing). A message that is not a usable reply
(no calendar, malformed, unknown UID, wrong sender, older SEQUENCE) is logged and flagged
read; a failure of ours (the database down) leaves it unread and is logged.
"""

import dataclasses
import email
import email.policy
import imaplib
import logging
from email.utils import getaddresses

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from confirmations.answers import AnswerRefused, host_answer_record
from confirmations.models import HostAnswer, HostLink
from invitations import conf
from invitations.models import Invitation
from scheduling.models import Programme, Slot

log = logging.getLogger("invitations")

CALENDAR_TYPES = {"text/calendar", "application/ics", "text/x-vcalendar"}
ANSWERS = {
    Invitation.PartStat.ACCEPTED: HostAnswer.Answer.CONFIRMED,
    Invitation.PartStat.DECLINED: HostAnswer.Answer.DECLINED,
}


class NotAReply(Exception):
    """The message holds no usable REPLY (the reason is logged)."""


@dataclasses.dataclass(frozen=True)
class Reply:
    uid: str
    sequence: int
    attendee: str  # the address, without mailto:
    partstat: str


def _mailto(value) -> str:
    text = str(value or "").strip()
    return text[7:].strip() if text.lower().startswith("mailto:") else text


def _calendars(message) -> list[bytes]:
    """Every calendar part of the message (inline text/calendar or an .ics attachment)."""
    found = []
    for part in message.walk():
        if part.is_multipart():
            continue
        name = (part.get_filename() or "").lower()
        if part.get_content_type() in CALENDAR_TYPES or name.endswith(".ics"):
            payload = part.get_payload(decode=True)
            if payload:
                found.append(payload)
    return found


def replies_read(raw: bytes) -> tuple[str, list[Reply]]:
    """The sender's address and the REPLY events of one email; NotAReply when it has none."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    senders = [address for _name, address in getaddresses(message.get_all("From", []))]
    sender = senders[0] if len(senders) == 1 else ""
    parts = _calendars(message)
    if not parts:
        raise NotAReply("no calendar in the message")
    replies: dict[str, Reply] = {}
    errors = []
    for body in parts:
        try:
            cal = Calendar.from_ical(body)
        except Exception as exc:  # icalendar raises ValueError and friends on bad input
            errors.append(f"malformed iCalendar: {type(exc).__name__}: {exc}"[:300])
            continue
        method = str(cal.get("METHOD", "")).upper()
        if method != "REPLY":
            errors.append(f"METHOD is {method or 'missing'}, not REPLY")
            continue
        for event in cal.walk("VEVENT"):
            attendees = event.get("ATTENDEE")
            attendees = attendees if isinstance(attendees, list) else [attendees]
            attendees = [a for a in attendees if a is not None]
            if not event.get("UID") or len(attendees) != 1:
                errors.append("a REPLY needs a UID and exactly one ATTENDEE")
                continue
            try:
                sequence = int(event.get("SEQUENCE", 0))
            except (TypeError, ValueError):
                errors.append("SEQUENCE is not a number")
                continue
            attendee = attendees[0]
            partstat = str(attendee.params.get("PARTSTAT", "")).upper()
            reply = Reply(str(event["UID"]), sequence, _mailto(attendee), partstat)
            replies.setdefault(reply.uid, reply)  # the inline part and the attachment
    if not replies:
        raise NotAReply("; ".join(errors) or "no VEVENT in the REPLY")
    return sender, list(replies.values())


def _answer(invitation: Invitation, reply: Reply) -> str:
    """The host's answer from the calendar, as on the host page."""
    answer = ANSWERS[reply.partstat]
    link = HostLink.objects.select_related("token").filter(
        visit_id=invitation.visit_id, person_id=invitation.person_id
    )
    link = link.first()
    if link is None or link.token.state() != "active":
        log.warning("reply ignored: %s has no working host link (%s)", reply.attendee, reply.uid)
        return "no_link"
    programme = Programme.objects.filter(visit_id=invitation.visit_id).first()
    slot = Slot.objects.filter(
        version_id=programme.current_version_id if programme else None,
        activity_id=invitation.activity_id,
    ).first()
    if slot is None:
        log.warning("reply ignored: the activity is no longer published (%s)", reply.uid)
        return "gone"
    try:
        outcome = host_answer_record(link=link, slot_id=slot.pk, answer=answer)
    except AnswerRefused as refused:
        log.warning("reply refused (%s): %s (%s)", refused.code, refused, reply.uid)
        return "refused"
    log.info(
        "answered: %s %s slot %s from %s (%s)",
        answer,
        "recorded" if outcome.changed else "already recorded",
        slot.pk,
        reply.attendee,
        reply.uid,
    )
    return "answered"


def reply_take(reply: Reply, sender: str) -> str:
    """One REPLY matched to its invitation and turned into an answer; returns what became
    of it (logged)."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("person")
        .filter(uid=reply.uid)
        .first()
    )
    if invitation is None:
        log.warning("reply ignored: no invitation has UID %s (from %s)", reply.uid, sender)
        return "unknown"
    invited = invitation.person.email.strip().lower()
    if reply.attendee.lower() != invited or sender.lower() != invited:
        log.warning(
            "reply ignored: from %s for attendee %s, but %s was invited (%s)",
            sender,
            reply.attendee,
            invited,
            reply.uid,
        )
        return "wrong_sender"
    if invitation.state != Invitation.State.SENT:
        log.warning("reply ignored: the invitation was cancelled (%s)", reply.uid)
        return "cancelled"
    if reply.sequence != invitation.sequence:
        log.warning(
            "reply ignored: SEQUENCE %d, the invitation is at %d (%s)",
            reply.sequence,
            invitation.sequence,
            reply.uid,
        )
        return "stale"
    if reply.partstat not in Invitation.PartStat.values:
        log.warning("reply ignored: PARTSTAT %r (%s)", reply.partstat, reply.uid)
        return "malformed"
    invitation.partstat, invitation.replied_at = reply.partstat, timezone.now()
    invitation.save(update_fields=["partstat", "replied_at"])
    if reply.partstat not in ANSWERS:
        log.info("reply noted: %s, no answer given (%s)", reply.partstat, reply.uid)
        return "noted"
    if invitation.role != Invitation.Role.HOST:
        log.info("reply noted: %s from an interpreter (%s)", reply.partstat, reply.uid)
        return "noted"
    return _answer(invitation, reply)


def message_take(raw: bytes) -> list[str]:
    """Every REPLY of one email, in one transaction; what became of each. NotAReply is
    logged here; any other exception is the caller's (the message stays unread)."""
    try:
        sender, replies = replies_read(raw)
    except NotAReply as reason:
        log.warning("message ignored: %s", reason)
        return ["not_a_reply"]
    with transaction.atomic():
        return [reply_take(reply, sender) for reply in replies]


def _connect(imap: conf.Imap) -> imaplib.IMAP4:
    cls = imaplib.IMAP4_SSL if imap.ssl else imaplib.IMAP4
    client = cls(imap.host, imap.port, timeout=60)
    client.login(imap.user, imap.password)
    status, _data = client.select(imap.folder)
    if status != "OK":
        raise imaplib.IMAP4.error(f"cannot open folder {imap.folder!r}")
    return client


def replies_poll() -> dict[str, int]:
    """Read every unread message of the mailbox (off when no mailbox is set)."""
    imap = conf.imap()
    if imap is None:
        return {"off": 1}
    counts: dict[str, int] = {}
    client = _connect(imap)
    try:
        status, data = client.uid("SEARCH", None, "UNSEEN")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        log.info("polled %s@%s/%s: %d unread", imap.user, imap.host, imap.folder, len(uids))
        for uid in uids:
            status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in data or () if isinstance(p, tuple)), None)
            if status != "OK" or raw is None:
                log.warning("message %s could not be fetched; left unread", uid.decode())
                counts["left"] = counts.get("left", 0) + 1
                continue
            try:
                outcomes = message_take(raw)
            except Exception:  # ours (database down...): the message waits for the next poll
                log.exception("message %s left unread: it could not be handled", uid.decode())
                counts["left"] = counts.get("left", 0) + 1
                continue
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            for outcome in outcomes:
                counts[outcome] = counts.get(outcome, 0) + 1
    finally:
        try:
            client.logout()
        except Exception:  # the answers are committed; a failed goodbye changes nothing
            log.warning("IMAP logout failed", exc_info=True)
    return counts
