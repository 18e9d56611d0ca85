"""Sending each guest and interpreter their personal link and subscribe links, by email in
their language (through the email log: ``notifications.services.email_queue``). People
without an email address are returned for the organiser to hand the link over."""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from delegations.models import Guest, Interpreter
from events.models import Visit
from notifications import services as notify
from personal import links
from personal.models import PersonalLink
from personal.people import visit_guests, visit_interpreters
from personal.subscribe import subscribe_links
from planner import i18n


class SendRefused(Exception):
    """Nothing to send yet (no published programme); the message is for the organiser."""


@dataclass
class SendReport:
    sent: list[PersonalLink] = field(default_factory=list)
    without_email: list[PersonalLink] = field(default_factory=list)


def _check_published(visit: Visit) -> None:
    programme = getattr(visit, "programme", None)
    if programme is None or programme.current_version_id is None:
        raise SendRefused(
            _(
                "Publish a version of the programme before sending guests and interpreters "
                "their links."
            )
        )


def _address(link: PersonalLink) -> tuple[str, str, str]:
    """Email, language and name of the link's person."""
    if link.guest_id:
        return link.guest.email, links.link_language(link), link.guest.full_name
    person = link.interpreter.person
    return person.email, links.link_language(link), person.full_name


def _email(link: PersonalLink, key: str):
    email, language, name = _address(link)
    visit = link.visit
    zone = ZoneInfo(visit.time_zone)
    with translation.override(language):
        context = {
            "name": name,
            "visit": visit,
            "dates": i18n.date_range(visit.start_date, visit.end_date),
            "link": links.page_url(key),
            "calendar": subscribe_links(link, qr=False),
            "interpreter": bool(link.interpreter_id),
            "expires": i18n.full_date(
                (link.token.expires_at.astimezone(zone) - dt.timedelta(microseconds=1)).date()
            ),
        }
        subject = _("Your programme: %(visit)s") % {"visit": visit.title}
        text = render_to_string("personal/email/link.txt", context)
        html = render_to_string("personal/email/link.html", context)
    return notify.email_queue(
        recipient=notify.Recipient(email, language, name),
        subject=subject,
        text=text,
        html=html,
        visit=visit,
    )


@transaction.atomic
def personal_send(
    *, visit: Visit, guest: Guest | None = None, interpreter: Interpreter | None = None, user=None
) -> tuple[PersonalLink, bool]:
    """Email one person their link (made if needed); False when they have no address (the
    link is made all the same, for the organiser to hand over)."""
    _check_published(visit)
    link, key = links.personal_link_get(
        visit=visit, guest=guest, interpreter=interpreter, user=user
    )
    email, _language, _name = _address(link)
    if not email:
        return link, False
    outgoing = _email(link, key)
    PersonalLink.objects.filter(pk=link.pk).update(
        sent_at=timezone.now(), sent_count=F("sent_count") + 1, email=outgoing
    )
    link.refresh_from_db()
    return link, True


def personal_send_all(*, visit: Visit, user=None) -> SendReport:
    """Email every guest and interpreter of the visit their link."""
    _check_published(visit)
    report = SendReport()
    people = [{"guest": g} for g in visit_guests(visit)]
    people += [{"interpreter": i} for i in visit_interpreters(visit)]
    for person in people:
        link, sent = personal_send(visit=visit, user=user, **person)
        (report.sent if sent else report.without_email).append(link)
    return report
