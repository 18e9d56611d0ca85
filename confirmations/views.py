"""Pages of the confirmations app.

The host page is server-rendered and needs no JavaScript: one form per answer, POST with a
CSRF token, then a redirect back (a reload never answers twice). Unknown and expired links
get the very same 404, so a link cannot be guessed by watching the answers.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import to_locale
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from confirmations import answers, links, proposals, selectors, wording
from confirmations.models import HostAnswer
from confirmations.ratelimit import over_limit
from events.models import Person, Visit
from events.pages import page_visit
from feeds.pages import link_with_qr
from planner import i18n
from planner.languages import text_language

WINDOW_ROWS = 3


def _private(response: HttpResponse) -> HttpResponse:
    # The key is in the address: never cached by a proxy, never sent on to the map site.
    # (Not "no-referrer": browsers then send "Origin: null" and the CSRF check refuses.)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _not_found(request) -> HttpResponse:
    return _private(render(request, "confirmations/host_gone.html", status=404))


def _too_many(request) -> HttpResponse:
    response = render(request, "confirmations/host_busy.html", status=429)
    response["Retry-After"] = "60"
    return _private(response)


def host_language(request, link) -> str:
    asked = request.GET.get("lang", "") or request.POST.get("lang", "")
    if asked in {code for code, _name in settings.LANGUAGES}:
        return asked
    return text_language(link.token.language or link.person.preferred_language)


def _windows_from_post(post, visit: Visit) -> tuple[list, dict]:
    windows, errors = [], {}
    for i in range(WINDOW_ROWS):
        day, start, end = (post.get(f"w{i}_{part}", "").strip() for part in ("day", "from", "to"))
        if not (day or start or end):
            continue
        try:
            date = dt.date.fromisoformat(day)
            begin = dt.datetime.combine(date, dt.time.fromisoformat(start))
            finish = dt.datetime.combine(date, dt.time.fromisoformat(end))
        except ValueError:
            errors[f"windows.{len(windows)}.start"] = [_("Pick a day, a start and an end.")]
            continue
        windows.append((begin, finish))
    return windows, errors


def answered_message(outcome) -> str:
    if not outcome.changed:
        return _("Your answer was already recorded; nothing changed.")
    return {
        HostAnswer.Answer.CONFIRMED: _("Thank you: “%(title)s” is confirmed."),
        HostAnswer.Answer.DECLINED: _(
            "Your decline of “%(title)s” is recorded; the organisers will propose another time."
        ),
        HostAnswer.Answer.OFFERED: _(
            "Your times for “%(title)s” are recorded; the organisers will propose one of them."
        ),
    }[outcome.answer.answer] % {"title": outcome.slot.activity.local_title}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def host_page(request, key: str):
    if over_limit(request, key=key):
        return _too_many(request)
    try:
        link = links.host_link_resolve(key=key)
    except links.LinkInvalid:
        return _not_found(request)
    lang = host_language(request, link)
    visit = link.visit
    with translation.override(lang):
        status, notice, errors, posted = 200, "", {}, {}
        if request.method == "POST":
            posted = request.POST
            slot_id = posted.get("slot", "")
            answer = posted.get("answer", "")
            windows, errors = _windows_from_post(posted, visit)
            if not slot_id.isdigit() or len(slot_id) > 12:
                status, notice = 404, _("This is not one of your slots.")
            elif not errors:
                try:
                    outcome = answers.host_answer_record(
                        link=link,
                        slot_id=int(slot_id),
                        answer=answer,
                        reason=posted.get("reason", ""),
                        windows=windows,
                    )
                except answers.AnswerRefused as refused:
                    status, notice = refused.status, str(refused)
                except ValidationError as invalid:
                    errors = invalid.message_dict
                else:
                    messages.success(request, answered_message(outcome))
                    url = reverse("confirmations:host", kwargs={"key": key})
                    return _private(redirect(f"{url}?lang={lang}#slot-{outcome.slot.pk}"))
            if errors:
                status = 422
        view = selectors.host_view(link=link, locale=to_locale(lang))
        zone = ZoneInfo(visit.time_zone)
        days = [{"value": day.isoformat(), "label": i18n.full_date(day)} for day in visit.days]
        context = {
            "view": view,
            "key": key,
            "lang": lang,
            "languages": settings.LANGUAGES,
            "days": days,
            "window_rows": range(WINDOW_ROWS),
            "notice": notice,
            "errors": errors,
            "posted_slot": posted.get("slot", "") if posted else "",
            "posted_answer": posted.get("answer", "") if posted else "",
            "posted": posted,
            "zone": zone,
            "time_zone": visit.time_zone,
        }
        response = render(request, "confirmations/host_page.html", context, status=status)
    return _private(response)


@require_POST
def host_calendar(request, key: str):
    """The host asks for their slots in their own calendar app: a new feed link, shown once."""
    if over_limit(request, key=key):
        return _too_many(request)
    try:
        link = links.host_link_resolve(key=key)
    except links.LinkInvalid:
        return _not_found(request)
    lang = host_language(request, link)
    with translation.override(lang):
        feed_key = links.host_calendar_key(link=link, language=lang)
        context = {
            "visit": link.visit,
            "lang": lang,
            "calendar": link_with_qr(feed_key),
            "back": reverse("confirmations:host", kwargs={"key": key}) + f"?lang={lang}",
        }
        return _private(render(request, "confirmations/host_calendar.html", context, status=201))


# ---------------------------------------------------------------------------------------------
# The organiser's dashboard


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


@login_required
def dashboard(request, visit_id: int):
    visit = page_visit(request, visit_id)
    state = request.GET.get("state", "")
    state = state if state in selectors.STATES else ""
    host = _int(request.GET.get("host", ""))
    all_rows = selectors.dashboard_rows(visit=visit)
    rows = [
        r
        for r in all_rows
        if (not state or r.state == state) and (host is None or r.host_id == host)
    ]
    hosts = sorted({(r.host_id, r.host) for r in all_rows}, key=lambda h: h[1])
    counts = selectors.dashboard_counts(all_rows)
    context = {
        "visit": visit,
        "visit_dates": i18n.date_range(visit.start_date, visit.end_date),
        "rows": rows,
        "state": state,
        "host": host,
        "hosts": hosts,
        "states": [(s, selectors.state_label(s), counts[s]) for s in selectors.STATES],
        "published": _has_published(visit),
        "waiting": _waiting_version(visit),
    }
    zone = ZoneInfo(visit.time_zone)
    for row in rows:
        row.since = _since(row.since_sent_s)
        row.state_label = selectors.state_label(row.state)
        row.when = wording.when(row.start, row.end, zone=zone)
    return render(request, "confirmations/dashboard.html", context)


def _waiting_version(visit: Visit):
    """A version newer than the published one (a re-plan after declines), to look at and
    publish: hosts and feeds still see the published one."""
    programme = getattr(visit, "programme", None)
    if programme is None or programme.current_version_id is None:
        return None
    latest = programme.versions.order_by("-number").first()
    current = programme.current_version
    if latest is None or latest.number <= current.number:
        return None
    return {"version": latest, "current": current}


def _has_published(visit: Visit) -> bool:
    programme = getattr(visit, "programme", None)
    return programme is not None and programme.current_version_id is not None


def _since(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return i18n.duration(max(seconds // 60, 0))


@login_required
@require_POST
def send(request, visit_id: int):
    visit = page_visit(request, visit_id)
    try:
        sent = proposals.proposals_send(visit=visit, user=request.user)
    except proposals.SendRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Proposals sent to %(n)d hosts.") % {"n": len(sent)})
    return redirect("confirmations:dashboard", visit_id=visit.pk)


@login_required
@require_POST
def resend(request, visit_id: int, person_id: int):
    visit = page_visit(request, visit_id)
    person = get_object_or_404(Person, pk=person_id, owner=visit.owner)
    try:
        proposal = proposals.proposal_send(
            visit=visit, person=person, user=request.user, kind="resend"
        )
    except (proposals.SendRefused, ValidationError) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
    else:
        if proposal is None:
            messages.error(
                request, _("%(name)s has no email address or no slot.") % {"name": person.full_name}
            )
        else:
            messages.success(request, _("Sent again to %(name)s.") % {"name": person.full_name})
    return redirect("confirmations:dashboard", visit_id=visit.pk)


@login_required
@require_POST
def revoke(request, visit_id: int, person_id: int):
    """End a host's link (lost, forwarded by mistake); the next email carries a new one."""
    visit = page_visit(request, visit_id)
    person = get_object_or_404(Person, pk=person_id, owner=visit.owner)
    links.host_link_revoke(visit=visit, person=person)
    messages.success(
        request,
        _("%(name)s's link no longer works; “Resend” sends a new one.")
        % {"name": person.full_name},
    )
    return redirect("confirmations:dashboard", visit_id=visit.pk)


@login_required
@require_POST
def fix(request, visit_id: int, slot_id: int):
    """Fix a slot: its hosts can no longer change their answers."""
    from scheduling.models import Slot

    visit = page_visit(request, visit_id)
    slot = get_object_or_404(Slot, pk=slot_id, version__programme__visit=visit)
    try:
        answers.answers_fix(visit=visit, slot=slot)
    except proposals.SendRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("“%(title)s” is fixed: hosts can no longer change their answers.")
            % {"title": slot.activity.local_title},
        )
    return redirect("confirmations:dashboard", visit_id=visit.pk)
