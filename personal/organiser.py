"""The organiser's page of personal links (``/visits/<id>/people-links/``): each guest and
interpreter, sent or not, opened or not, calendar subscribed or not; send to all, send or
resend to one, revoke, and a printable hand-over sheet (link and QR codes) for people without
an email address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.models import Visit
from events.pages import page_visit
from personal import links, sending, status
from personal.people import link_of, person_of
from personal.selectors import published
from personal.subscribe import subscribe_links
from planner import i18n
from planner.qr import qr_svg


@login_required
def people_links(request, visit_id: int):
    visit = page_visit(request, visit_id)
    rows = status.people_states(visit=visit)
    for row in rows:
        row.sent_label = i18n.day_time(row.sent_at) if row.sent_at else ""
        row.opened_label = (
            _("first %(first)s, last %(last)s")
            % {
                "first": i18n.day_time(row.first_opened_at),
                "last": i18n.day_time(row.last_opened_at),
            }
            if row.first_opened_at
            else ""
        )
        row.subscribed_label = i18n.day_time(row.subscribed_at) if row.subscribed_at else ""
        row.language_name = i18n.language_name(row.language) if row.language else ""
    context = {
        "visit": visit,
        "visit_dates": i18n.date_range(visit.start_date, visit.end_date),
        "rows": rows,
        "counts": status.counts(rows),
        "published": published(visit) is not None,
    }
    return render(request, "personal/people_links.html", context)


def _back(visit: Visit):
    return redirect("personal:people-links", visit_id=visit.pk)


@login_required
@require_POST
def send_all(request, visit_id: int):
    visit = page_visit(request, visit_id, edit=True)
    try:
        report = sending.personal_send_all(visit=visit, user=request.user)
    except sending.SendRefused as refused:
        messages.error(request, str(refused))
        return _back(visit)
    messages.success(request, _("Links sent to %(n)d people.") % {"n": len(report.sent)})
    if report.without_email:
        names = i18n.names([link.person_name for link in report.without_email])
        messages.warning(
            request,
            _("No email address for %(names)s: print their sheet and hand it over.")
            % {"names": names},
        )
    return _back(visit)


@login_required
@require_POST
def send_one(request, visit_id: int, kind: str, person_id: int):
    visit = page_visit(request, visit_id, edit=True)
    person = person_of(visit, kind, person_id)
    try:
        link, sent = sending.personal_send(visit=visit, user=request.user, **person)
    except (sending.SendRefused, ValidationError) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
        return _back(visit)
    if sent:
        messages.success(request, _("Sent to %(name)s.") % {"name": link.person_name})
    else:
        messages.warning(
            request,
            _("%(name)s has no email address: print their sheet and hand it over.")
            % {"name": link.person_name},
        )
    return _back(visit)


@login_required
@require_POST
def revoke(request, visit_id: int, kind: str, person_id: int):
    visit = page_visit(request, visit_id, edit=True)
    link = link_of(visit, kind, person_id)
    if link is None:
        raise Http404
    links.personal_link_revoke(link=link)
    messages.success(
        request,
        _("%(name)s's link and calendar no longer work; “Send” makes and sends new ones.")
        % {"name": link.person_name},
    )
    return _back(visit)


@login_required
@require_POST
def handover(request, visit_id: int, kind: str, person_id: int):
    """A sheet to print or show: the person's link and its QR code, and their calendar's."""
    visit = page_visit(request, visit_id, edit=True)
    person = person_of(visit, kind, person_id)
    try:
        link, key = links.personal_link_get(visit=visit, user=request.user, **person)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return _back(visit)
    url = links.page_url(key)
    context = {
        "visit": visit,
        "name": link.person_name,
        "lang": links.link_language(link),  # the sheet is for the person: their language
        "url": url,
        "qr_svg": qr_svg(url),
        "calendar": subscribe_links(link),
    }
    return render(request, "personal/handover.html", context)
