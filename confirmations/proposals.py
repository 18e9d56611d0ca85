"""Proposals and reminders: the email that sends a host their slots of the published
version with their personal link (the calendar invitations follow on `proposal_sent`)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from confirmations import signals
from confirmations.links import host_link_get, host_url
from confirmations.models import HostAnswer, HostLink, Proposal
from confirmations.wording import language_of, when
from events.models import Person, Visit
from notifications import services as notify
from notifications.models import OutgoingEmail
from planner import i18n
from scheduling.models import Programme, ProgrammeVersion, Slot


class SendRefused(Exception):
    """Proposals cannot be sent (nothing published); the message is for the organiser."""


def _host_slots(version: ProgrammeVersion, person: Person) -> list[Slot]:
    return list(
        version.slots.filter(activity__host_links__person=person)
        .exclude(status=Slot.Status.CANCELLED)
        .select_related("activity", "venue")
        .order_by("start")
        .distinct()
    )


def _host_email(
    *, visit: Visit, version: ProgrammeVersion, person: Person, link: HostLink, key: str, kind: str
) -> OutgoingEmail:
    language = language_of(person)
    zone = ZoneInfo(visit.time_zone)
    slots = _host_slots(version, person)
    with translation.override(language):
        lines = [
            {"title": s.activity.local_title, "when": when(s, zone=zone), "venue": s.venue.name}
            for s in slots
        ]
        context = {
            "name": person.full_name,
            "visit": visit,
            "dates": i18n.date_range(visit.start_date, visit.end_date),
            "slots": lines,
            "link": host_url(key),
            "reminder": kind == OutgoingEmail.Kind.REMINDER,
            # The link's own expiry (at least HOST_LINK_MIN_DAYS away), not the visit's end.
            "expires": i18n.full_date(
                (link.token.expires_at.astimezone(zone) - dt.timedelta(microseconds=1)).date()
            ),
        }
        if kind == OutgoingEmail.Kind.REMINDER:
            subject = _("Reminder: your answer for %(visit)s") % {"visit": visit.title}
        else:
            subject = _("Times proposed for your meetings: %(visit)s") % {"visit": visit.title}
        text = render_to_string("confirmations/email/proposal.txt", context)
        html = render_to_string("confirmations/email/proposal.html", context)
    # No calendar file here: each slot follows as a calendar invitation of its own (the
    # invitations app, on `proposal_sent`), which a move or a cancellation updates.
    return notify.email_queue(
        recipient=notify.Recipient(person.email, language, person.full_name),
        subject=subject,
        text=text,
        html=html,
        kind=kind,
        visit=visit,
    )


def _published(visit: Visit) -> tuple[Programme, ProgrammeVersion]:
    programme = Programme.objects.select_related("current_version", "visit").filter(visit=visit)
    programme = programme.first()
    if programme is None or programme.current_version is None:
        raise SendRefused(_("Publish a version of the programme before sending it to hosts."))
    return programme, programme.current_version


def hosts_of(version: ProgrammeVersion) -> list[Person]:
    ids = (
        Slot.objects.filter(version=version)
        .exclude(status=Slot.Status.CANCELLED)
        .values("activity__host_links__person")
    )
    return list(Person.objects.filter(pk__in=ids).order_by("full_name"))


@transaction.atomic
def proposal_send(
    *, visit: Visit, person: Person, user=None, kind: str = Proposal.Kind.FIRST
) -> Proposal | None:
    """Email one host their slots of the published version with their personal link."""
    _programme, version = _published(visit)
    if not person.email:
        return None
    if not _host_slots(version, person):
        return None
    link, key = host_link_get(visit=visit, person=person, user=user)
    email = _host_email(
        visit=visit,
        version=version,
        person=person,
        link=link,
        key=key,
        kind=OutgoingEmail.Kind.PROPOSAL,
    )
    proposal = Proposal.objects.create(
        visit=visit,
        version=version,
        person=person,
        kind=kind,
        email=email,
        sent_by=user if user is not None and user.is_authenticated else None,
        sent_at=timezone.now(),
    )
    signals.proposal_sent.send(sender=Proposal, proposal=proposal)
    return proposal


def proposals_send(*, visit: Visit, user=None, person_ids=None) -> list[Proposal]:
    """Send the published version to its hosts (all, or those named); one email each."""
    _programme, version = _published(visit)
    sent = []
    for person in hosts_of(version):
        if person_ids is not None and person.pk not in person_ids:
            continue
        proposal = proposal_send(visit=visit, person=person, user=user)
        if proposal is not None:
            sent.append(proposal)
    return sent


def _unanswered(programme: Programme, version: ProgrammeVersion, person: Person) -> list[Slot]:
    answered = {
        (a.activity_id, a.start)
        for a in HostAnswer.objects.filter(programme=programme, person=person, current=True)
    }
    return [s for s in _host_slots(version, person) if (s.activity_id, s.start) not in answered]


def host_reminders_send(*, now=None) -> int:
    """Remind hosts who were sent a proposal and have left slots unanswered for a while."""
    now = now or timezone.now()
    wait = dt.timedelta(hours=settings.HOST_REMINDER_AFTER_H)
    latest: dict[tuple[int, int], Proposal] = {}
    candidates = (
        Proposal.objects.filter(sent_at__lte=now - wait, visit__end_date__gte=now.date())
        .select_related("visit", "person")
        .order_by("sent_at", "pk")
    )
    for proposal in candidates:
        latest[(proposal.visit_id, proposal.person_id)] = proposal
    sent = 0
    for proposal in latest.values():
        if proposal.reminders >= settings.HOST_REMINDER_MAX:
            continue
        if proposal.reminded_at is not None and proposal.reminded_at > now - wait:
            continue
        if Proposal.objects.filter(
            visit=proposal.visit, person=proposal.person, sent_at__gt=now - wait
        ).exists():
            continue  # a newer proposal went out meanwhile
        with transaction.atomic():
            try:
                programme, version = _published(proposal.visit)
            except SendRefused:
                continue
            person = proposal.person
            if not person.email or not _unanswered(programme, version, person):
                continue
            link, key = host_link_get(visit=proposal.visit, person=person)
            _host_email(
                visit=proposal.visit,
                version=version,
                person=person,
                link=link,
                key=key,
                kind=OutgoingEmail.Kind.REMINDER,
            )
            Proposal.objects.filter(pk=proposal.pk).update(
                reminders=proposal.reminders + 1, reminded_at=now
            )
            sent += 1
    return sent
