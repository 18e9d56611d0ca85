"""A guest's or an interpreter's own page, opened from their personal link (the key in the
address is the only credential). Server-rendered, phone first, in their language with a
switch; no JavaScript needed. Unknown, revoked and expired links get the very same 404."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from confirmations import ratelimit
from personal import links, maps, offline, selectors
from personal.subscribe import subscribe_links

RATE_SCOPE = "personal"


def _private(response):
    # The key is in the address: never cached by a proxy, never sent on to the map site.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def not_found(request):
    return _private(render(request, "confirmations/host_gone.html", status=404))


def too_many(request):
    response = render(request, "confirmations/host_busy.html", status=429)
    response["Retry-After"] = "60"
    return _private(response)


def page_language(request, link) -> str:
    asked = request.GET.get("lang", "")
    if asked in {code for code, _name in settings.LANGUAGES}:
        return asked
    return links.link_language(link)


@never_cache
@require_safe
def page(request, key: str):
    if ratelimit.over_limit(request, scope=RATE_SCOPE, key=key):
        return too_many(request)
    try:
        link = links.personal_link_resolve(key=key)
    except links.LinkInvalid:
        return not_found(request)
    ratelimit.remember_key(key)
    version = selectors.published(link.visit)
    if request.method == "GET":
        links.personal_link_opened(link=link, version=version)
    lang = page_language(request, link)
    with translation.override(lang):
        view = selectors.page_view(link=link)
        maps.attach(view)
        context = {
            "view": view,
            "key": key,
            "lang": lang,
            "languages": settings.LANGUAGES,
            "calendar": subscribe_links(link),
            "offline": offline.offline_context(key=key, link=link),
        }
        response = render(request, "personal/page.html", context)
    return _private(response)
