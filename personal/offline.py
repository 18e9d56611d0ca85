"""A person's page read offline: the web app manifest and the service worker of a personal
link, both under the link's own path (``/p/<key>/manifest.webmanifest``, ``/p/<key>/sw.js``)
so the worker's scope is that link and nothing else, and the "last brought up to date" line
the page and its printed version carry (rendered here, kept as is in the cached copy).

The worker's code is ``static/personal/offline-sw.js``; this view puts its configuration
first (the static files' prefix and the pages to keep: the page and its printed version).
An unknown, revoked or expired link answers the same 404 as the page."""

import json
from functools import lru_cache, wraps
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from confirmations import ratelimit
from personal import links, views
from planner import i18n

SERVICE_WORKER = Path(__file__).resolve().parent / "static" / "personal" / "offline-sw.js"
# Under the link: the page itself and its printed version.
PAGES = ("", "print/")
THEME = "#0b5cad"
ICONS = ((192, "personal/icons/icon-192.png"), (512, "personal/icons/icon-512.png"))


class Refused(Exception):
    """The answer to give instead (the page's own 404 or 429)."""

    def __init__(self, response):
        self.response = response


def link_or_refuse(request, key: str):
    """The person's link, under the page's rules: the same rate limit (``ratelimit``'s
    "personal" scope) and the same 404 for an unknown, revoked or expired key."""
    if ratelimit.over_limit(request, scope=views.RATE_SCOPE, key=key):
        raise Refused(views.too_many(request))
    try:
        link = links.personal_link_resolve(key=key)
    except links.LinkInvalid:
        raise Refused(views.not_found(request)) from None
    ratelimit.remember_key(key)
    return link


def guarded(view):
    """A view of ``(request, key, link)`` called with the link, or answered the refusal."""

    @wraps(view)
    def wrapper(request, key: str):
        try:
            link = link_or_refuse(request, key)
        except Refused as refused:
            return refused.response
        return view(request, key, link)

    return wrapper


def scope(key: str) -> str:
    """The link's path, the worker's scope: /p/<key>/."""
    return reverse("personal:page", kwargs={"key": key})


def offline_context(*, key: str, link, now=None) -> dict:
    """What the page's and the printed version's templates need (``personal/_offline_head.html``
    and ``personal/_offline_status.html``), in the active language."""
    now = now or timezone.now()
    zone = ZoneInfo(link.visit.time_zone)
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "scope": scope(key),
        "manifest_url": reverse("personal:manifest", kwargs={"key": key}) + f"?lang={language[:2]}",
        "worker_url": reverse("personal:service-worker", kwargs={"key": key}),
        "updated_iso": now.isoformat(timespec="seconds"),
        "updated": _("Last brought up to date: %(when)s") % {"when": i18n.day_time(now, zone=zone)},
    }


def private(response):
    # The key is in the address: no shared cache keeps these, no referrer carries them.
    response["Cache-Control"] = "private, no-cache"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@guarded
def manifest(request, key: str, link):
    """The web app manifest: the page installed on a phone opens on this person's link."""
    language = views.page_language(request, link)
    root = scope(key)
    with translation.override(language):
        name = _("%(visit)s: programme of %(person)s") % {
            "visit": link.visit.title,
            "person": link.person_name,
        }
        data = {
            "id": root,
            "name": name,
            "short_name": link.visit.title[:30],
            "description": _("Your programme, readable without a network."),
            "lang": language,
            "dir": "ltr",
            "start_url": f"{root}?lang={language}",
            "scope": root,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": THEME,
            "icons": [
                {"src": static(path), "sizes": f"{size}x{size}", "type": "image/png"}
                for size, path in ICONS
            ]
            + [
                {
                    "src": static(ICONS[-1][1]),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                }
            ],
        }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return private(response)


@lru_cache(maxsize=1)
def _worker_source() -> str:
    return SERVICE_WORKER.read_text(encoding="utf-8")


def worker_script() -> str:
    prefix = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"
    )
    config = {"static": prefix, "pages": list(PAGES)}
    return f"self.PERSONAL_OFFLINE = {json.dumps(config)};\n{_worker_source()}"


@require_safe
@guarded
def service_worker(request, key: str, link):
    """The worker of this link only; its scope is the link's path (the script's own folder,
    said again in Service-Worker-Allowed so no wider scope can be asked for)."""
    response = HttpResponse(worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope(key)
    return private(response)
