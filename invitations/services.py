"""Writes of the invitations app: the calendar invitation of each host and interpreter to
each of their slots, kept in step with the published programme.

``invitations_sync`` compares what each person should have been invited to (the published
version's live slots) with what was last sent to them (``Invitation.content``): a new slot
sends a REQUEST, a changed one an update (same UID, SEQUENCE + 1), a slot gone or cancelled a
CANCEL. It runs in the caller's transaction (the proposal's, the publication's), and every
email is an outbox row of notifications, written in that transaction: nothing is lost when a
worker dies, nothing leaves when the caller rolls back.

Hosts are invited once they have been sent a proposal (the organiser decides when hosts
hear of a programme); interpreters as soon as a version assigning them is published.
"""

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import secrets
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from confirmations.links import host_link_get, host_url
from confirmations.models import Proposal
from confirmations.wording import language_of, when
from events.models import Activity, Person, Visit
from invitations import conf
from invitations.ical import CANCEL, REQUEST, Message, Party, message_render
from invitations.models import Invitation, PendingSync
from notifications import services as notify
from notifications.models import OutgoingEmail
from scheduling.models import Programme, Slot

log = logging.getLogger("invitations")

ATTACHMENT = "invite.ics"


def uid_new(visit: Visit) -> str:
    """A UID for one person's invitation to one activity, made once and kept on the row.

    Random, not derived from ids: it differs from the feed's UID of the same slot (a host
    who both subscribes to their feed and accepts the invitation gets two events that the
    client keeps apart, instead of one event whose data two sources overwrite in turn, with
    the feed's copy losing the attendee's answer), it is per person (co-hosts' clients do not
    merge their answers), it survives moves (the row keeps it), it cannot collide with an
    invitation from another database (a demo reloaded reuses ids), and a REPLY naming it
    proves the sender saw the invitation (with the attendee's address checked too)."""
    return f"{secrets.token_hex(16)}@{visit.slug or 'visit'}.invitations.planner"


@dataclasses.dataclass(frozen=True)
class Wanted:
    activity: Activity
    person: Person
    role: str
    slot: Slot


def _wanted(programme: Programme, visit: Visit) -> dict[tuple[int, int], Wanted]:
    """Who should hold an invitation to which activity of the published version."""
    version = programme.current_version
    if version is None:
        return {}
    told = set(Proposal.objects.filter(visit=visit).values_list("person_id", flat=True))
    wanted: dict[tuple[int, int], Wanted] = {}
    slots = (
        version.slots.exclude(status=Slot.Status.CANCELLED)
        .select_related("activity", "venue")
        .prefetch_related("activity__host_links__person", "assignments__interpreter__person")
        .order_by("start", "pk")
    )
    for slot in slots:
        for link in slot.activity.host_links.all():
            person = link.person
            if person.email and person.pk in told:
                wanted[(slot.activity_id, person.pk)] = Wanted(
                    slot.activity, person, Invitation.Role.HOST, slot
                )
        for assignment in slot.assignments.all():
            person = assignment.interpreter.person
            if person.email:
                wanted.setdefault(
                    (slot.activity_id, person.pk),
                    Wanted(slot.activity, person, Invitation.Role.INTERPRETER, slot),
                )
    return wanted


def _location(slot: Slot) -> str:
    venue = slot.venue
    if venue is None:
        return ""
    parts = [venue.name, venue.address]
    if venue.city and venue.city not in venue.address:
        parts.append(venue.city)
    return ", ".join(p for p in parts if p)


def _content(visit: Visit, wanted: Wanted, language: str) -> dict:
    """What the invitation says, in the person's language (the hash is taken over it)."""
    activity, slot = wanted.activity, wanted.slot
    with translation.override(language):
        description = "\n\n".join(
            p
            for p in (
                _("Visit: %(visit)s") % {"visit": visit.title},
                activity.description_in(language),
                _("Your interpreting assignment.")
                if wanted.role != Invitation.Role.HOST
                # Only when replies are read: else an Accept would reach nobody.
                else _("Accept or decline this invitation in your calendar.")
                if conf.imap() is not None
                else "",
            )
            if p
        )
    return {
        "start": slot.start.isoformat(),
        "end": slot.end.isoformat(),
        "time_zone": visit.time_zone,
        "summary": activity.title_in(language),
        "location": _location(slot),
        "description": description,
        "language": language,
        "role": wanted.role,
        "attendee": [wanted.person.email, wanted.person.full_name],
        "organizer": [conf.organizer_email(), visit.owner.name],
    }


def _digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def _message(invitation: Invitation, method: str, content: dict, now) -> Message:
    return Message(
        method=method,
        uid=invitation.uid,
        sequence=invitation.sequence,
        stamp=now,
        start=dt.datetime.fromisoformat(content["start"]),
        end=dt.datetime.fromisoformat(content["end"]),
        time_zone=content["time_zone"],
        summary=content["summary"],
        location=content["location"],
        description=content["description"],
        language=content["language"],
        organizer=Party(*content["organizer"]),
        attendee=Party(*content["attendee"]),
        rsvp=conf.imap() is not None,
    )


def _email_text(visit: Visit, invitation: Invitation, method: str, content: dict, update: bool):
    """Subject and text of the email carrying the invitation, in the active language."""
    zone = ZoneInfo(content["time_zone"])
    start = dt.datetime.fromisoformat(content["start"])
    end = dt.datetime.fromisoformat(content["end"])
    names = {"title": content["summary"], "when": when(start, end, zone=zone)}
    if method == CANCEL:
        subject = _("Cancelled: %(title)s, %(when)s") % names
        body = _("“%(title)s” (%(when)s) no longer takes place at this time.") % names
    elif update:
        subject = _("Updated invitation: %(title)s, %(when)s") % names
        body = _("“%(title)s” has changed: %(when)s.") % names
    else:
        subject = _("Invitation: %(title)s, %(when)s") % names
        body = _("You are invited to “%(title)s”, %(when)s.") % names
    lines = [_("Hello %(name)s,") % {"name": invitation.person.full_name}, "", body]
    if content["location"]:
        lines.append(_("Place: %(place)s") % {"place": content["location"]})
    lines += ["", _("Visit: %(visit)s") % {"visit": visit.title}]
    if method != CANCEL and invitation.role == Invitation.Role.HOST:
        _link, key = host_link_get(visit=visit, person=invitation.person)
        ask = (
            _("Accept or decline in your calendar, or answer on your page:")
            if conf.imap() is not None
            else _("Answer on your page:")
        )
        lines += ["", ask, host_url(key)]
    return subject, "\n".join(lines) + "\n"


def _send(visit: Visit, invitation: Invitation, method: str, content: dict, update: bool, now):
    """Queue the email of one iTIP message: the text, the calendar as an alternative part
    (text/calendar; method=...), and the same calendar attached as invite.ics."""
    ics = message_render(_message(invitation, method, content, now)).decode()
    mimetype = f"text/calendar; method={method}"
    with translation.override(content["language"]):
        subject, text = _email_text(visit, invitation, method, content, update)
    email = notify.email_queue(
        recipient=notify.Recipient(
            invitation.person.email, content["language"], invitation.person.full_name
        ),
        subject=subject,
        text=text,
        kind=OutgoingEmail.Kind.OTHER,
        attachments=(
            notify.Attachment("", mimetype, ics),  # the alternative part (see email_send)
            notify.Attachment(ATTACHMENT, mimetype, ics),
        ),
        visit=visit,
    )
    invitation.email, invitation.sent_at = email, now
    log.info(
        "invitation sent: %s SEQUENCE:%d to %s (%s, %s)",
        method,
        invitation.sequence,
        invitation.person.email,
        invitation.uid,
        content["start"],
    )
    return email


def _request(visit, invitation: Invitation | None, wanted: Wanted, resend: bool, now) -> str:
    content = _content(visit, wanted, language_of(wanted.person))
    digest = _digest(content)
    if invitation is None:
        invitation = Invitation(
            visit=visit,
            activity=wanted.activity,
            person=wanted.person,
            role=wanted.role,
            uid=uid_new(visit),
            sequence=0,
        )
        update = False
    elif invitation.state == Invitation.State.CANCELLED or invitation.content_hash != digest:
        invitation.sequence += 1  # a change (or a come-back): the attendee answers anew
        invitation.partstat = Invitation.PartStat.NEEDS_ACTION
        update = True
    elif resend:
        update = False  # the same message again, same SEQUENCE
    else:
        return "unchanged"
    invitation.role, invitation.content, invitation.content_hash = wanted.role, content, digest
    invitation.state = Invitation.State.SENT
    _send(visit, invitation, REQUEST, content, update, now)
    invitation.save()
    return "updated" if update else "sent"


def _cancel(visit, invitation: Invitation, now) -> str:
    invitation.sequence += 1
    invitation.state = Invitation.State.CANCELLED
    content = invitation.content  # what was last sent (kept: a come-back is compared to it)
    with translation.override(content["language"]):
        said = _("Cancelled: this no longer takes place at this time.")
        said += "\n\n" + _("Visit: %(visit)s") % {"visit": visit.title}
    _send(visit, invitation, CANCEL, {**content, "description": said}, True, now)
    invitation.save()
    return "cancelled"


@transaction.atomic
def invitations_sync(
    *, programme: Programme, person_ids=None, resend: bool = False, now=None
) -> dict[str, int]:
    """Bring every invitation of the programme's visit (of the people named, or everyone) in
    step with the published version; returns how many were sent, updated, cancelled."""
    now = now or timezone.now()
    # The programme row locked, as ``version_publish`` locks it: a publication committing
    # meanwhile is waited for and read, never half seen (nor missed by a sync already running).
    programme = (
        Programme.objects.select_for_update(of=("self",))
        .select_related("visit__owner", "current_version")
        .get(pk=programme.pk)
    )
    visit = programme.visit
    wanted = _wanted(programme, visit)
    held = Invitation.objects.select_for_update().filter(visit=visit).select_related("person")
    if person_ids is not None:
        person_ids = set(person_ids)
        wanted = {k: w for k, w in wanted.items() if k[1] in person_ids}
        held = held.filter(person_id__in=person_ids)
    existing = {(i.activity_id, i.person_id): i for i in held}
    counts = {"sent": 0, "updated": 0, "cancelled": 0, "unchanged": 0}
    for key, one in wanted.items():
        counts[_request(visit, existing.get(key), one, resend, now)] += 1
    for key, invitation in existing.items():
        if key not in wanted and invitation.state == Invitation.State.SENT:
            counts[_cancel(visit, invitation, now)] += 1
    return counts


def syncs_run_due(*, now=None) -> int:
    """Run every sync that is due, each in its own transaction with its row (a worker killed
    midway leaves the row, run again whole); also the outbox's sweeper for this app."""
    now = now or timezone.now()
    done = 0
    for pk in PendingSync.objects.filter(due_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            wanted = PendingSync.objects.select_for_update().filter(pk=pk).first()
            if wanted is None:
                continue  # another worker took it
            person_ids = wanted.person_ids
            if person_ids is None:
                # Everyone's: the rows due for single people are part of it.
                PendingSync.objects.filter(
                    programme_id=wanted.programme_id, due_at__lte=now, resend=False
                ).exclude(pk=pk).delete()
            invitations_sync(
                programme=wanted.programme,
                person_ids=person_ids,
                resend=wanted.resend,
                now=now,
            )
            wanted.delete()
            done += 1
    return done
