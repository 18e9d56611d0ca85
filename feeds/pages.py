"""The organiser's page of calendar feeds: make a link (shown once, with a QR code for a
phone), see every link's state, reset or revoke one. The same services as the feed API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delegations.models import Guest
from events.pages import page_visit
from feeds.views import feed_links, feed_name
from planner.qr import qr_svg
from scheduling import selectors
from scheduling.access import (
    AccessToken,
    access_token_create,
    access_token_list,
    access_token_reset,
    access_token_revoke,
)


def _page(request, visit, new_link: dict | None = None, status: int = 200):
    context = {
        "visit": visit,
        "feeds": list(access_token_list(visit=visit, purpose=AccessToken.Purpose.FEED)),
        "people": selectors.visit_people(visit=visit),
        "guests": list(
            Guest.objects.filter(delegation__visit=visit)
            .order_by("full_name")
            .values_list("pk", "full_name")
        ),
        "new_link": new_link,
    }
    return render(request, "feeds/page.html", context, status=status)


def link_with_qr(key: str, name: str = "") -> dict:
    """The feed's addresses (see ``feed_links``) and a QR code of the webcal one."""
    links = feed_links(key, name)
    return {**links, "qr_svg": qr_svg(links["webcal_url"])}


@login_required
def feed_page(request, visit_id: int):
    return _page(request, page_visit(request, visit_id))


@login_required
@require_POST
def feed_create(request, visit_id: int):
    visit = page_visit(request, visit_id)
    subject, _sep, raw_id = request.POST.get("who", "programme:").partition(":")
    subject_id = int(raw_id) if raw_id.isdigit() and len(raw_id) < 10 else None
    try:
        token, key = access_token_create(
            visit=visit,
            purpose=AccessToken.Purpose.FEED,
            subject=subject,
            subject_id=subject_id,
            language=request.POST.get("language", "")[:12],
            user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return _page(request, visit, status=422)
    return _page(request, visit, new_link=link_with_qr(key, feed_name(token)))


@login_required
@require_POST
def feed_change(request, visit_id: int, feed_id: int):
    visit = page_visit(request, visit_id)
    token = get_object_or_404(
        access_token_list(visit=visit, purpose=AccessToken.Purpose.FEED), pk=feed_id
    )
    if request.POST.get("action") == "reset":
        new, key = access_token_reset(token=token, user=request.user)
        messages.info(request, _("The old link now answers “gone”; share the new one."))
        return _page(request, visit, new_link=link_with_qr(key, feed_name(new)))
    access_token_revoke(token=token)
    messages.info(request, _("The link is revoked: calendars subscribed to it stop updating."))
    return redirect("feeds:page", visit_id=visit.pk)
