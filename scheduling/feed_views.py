"""Serving feeds: find the token, answer 304 or the cached bytes, render only on a miss.

A calendar client polls every feed every 30 minutes or so, for weeks: the common answers
(304, or the same bytes again) cost one query and a cache read; the calendar is rendered
once per (subscriber, published state, language).
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from scheduling import feed_state, feeds
from scheduling.access import (
    AccessToken,
    TokenGone,
    TokenUnknown,
    access_token_reset,
    access_token_resolve,
)

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Bumped when the rendering changes, so cached feeds of the previous code are not served.
RENDER_REVISION = 1
CACHE_SECONDS = 7 * 24 * 3600
RELATED = ("visit__programme__feed", "guest", "person", "interpreter__person")


class CalendarResponse(HttpResponse):
    def __init__(self, body: bytes, *, etag: str, last_modified: int, status: int = 200):
        super().__init__(body, content_type=CONTENT_TYPE, status=status)
        self["ETag"] = etag
        self["Last-Modified"] = http_date(last_modified)
        # Private data: no shared cache may keep it; clients revalidate with ETag.
        self["Cache-Control"] = "private, no-cache"
        self["Content-Disposition"] = 'inline; filename="programme.ics"'
        self["X-Robots-Tag"] = "noindex"


def _plain(status: int, message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def feed_links(key: str) -> dict:
    """The https and webcal addresses of a feed key (webcal opens the subscribe dialog)."""
    https = settings.SITE_URL + reverse("feeds:feed", kwargs={"key": key})
    return {"https_url": https, "webcal_url": "webcal://" + https.split("://", 1)[1]}


def _language(token: AccessToken) -> str:
    if token.language:
        return token.language
    if token.subject == AccessToken.Subject.GUEST:
        return token.guest.preferred_language
    if token.subject == AccessToken.Subject.PERSON:
        return token.person.preferred_language
    if token.subject == AccessToken.Subject.INTERPRETER:
        return token.interpreter.person.preferred_language
    langs = token.visit.working_languages
    return langs[0] if langs else settings.LANGUAGE_CODE


def _who(token: AccessToken) -> int | None:
    if token.subject == AccessToken.Subject.GUEST:
        return token.guest.subgroup_id or feed_state.WHOLE_DELEGATION
    return None if token.subject == AccessToken.Subject.PROGRAMME else token.subject_id


def _cache_key(token, feed, lang: str, who) -> str:
    # Everything the bytes depend on: who and in which language, the published state, and
    # the names in the calendar's title.
    parts = [
        RENDER_REVISION,
        token.subject,
        token.subject_id,
        who,
        feeds.feed_language(lang),
        feed.programme_id,
        feed.version_id,
        feed.stamp,
        token.visit.title,
        token.subject_label,
    ]
    return "feed:" + hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _render(token, feed, lang: str, who) -> tuple[str, int, bytes]:
    visit = token.visit
    items = feed_state.feed_items(feed=feed, subject=token.subject, who=who)
    body = feeds.feed_render(
        feeds.Feed(
            uid=f"feed-{token.subject}-{token.subject_id}@{visit.slug}.planner",
            audience=token.subject,
            visit_title=visit.title,
            subject_name=token.subject_label,
            language=lang,
            time_zone=visit.time_zone,
            first_date=feed.first_date,
            last_date=feed.last_date,
            items=items,
        )
    )
    modified = max([feed.synced_at, *(i.modified for i in items)])
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    return etag, int(modified.timestamp()), body


def _not_modified(request, etag: str, last_modified: int) -> bool:
    match = request.headers.get("If-None-Match")
    if match is not None:
        # Weak comparison (RFC 9110 13.1.2): a proxy may have weakened our tag.
        wanted = {t.strip().removeprefix("W/") for t in match.split(",")}
        return etag in wanted or "*" in wanted
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified <= since


@require_GET
def feed_ics(request, key: str):
    try:
        token = access_token_resolve(key=key, purpose=AccessToken.Purpose.FEED, related=RELATED)
    except TokenUnknown:
        return _plain(404, _("No calendar feed at this address."))
    except TokenGone:
        return _plain(410, _("This calendar link was replaced or withdrawn; ask for a new one."))
    programme = getattr(token.visit, "programme", None)
    if programme is None or programme.current_version_id is None:
        return _plain(404, _("This programme has not been published yet; try again later."))
    feed = getattr(programme, "feed", None) or feed_state.programme_feed_ensure(programme=programme)
    lang, who = _language(token), _who(token)
    key = _cache_key(token, feed, lang, who)
    cached = cache.get(key)
    if cached is None:
        cached = _render(token, feed, lang, who)
        cache.set(key, cached, CACHE_SECONDS)
    etag, last_modified, body = cached
    if _not_modified(request, etag, last_modified):
        return CalendarResponse(b"", etag=etag, last_modified=last_modified, status=304)
    return CalendarResponse(body, etag=etag, last_modified=last_modified)


@csrf_exempt  # the key in the address is the credential; there is no session to forge
@require_POST
def feed_reset(request, key: str):
    """The subscriber replaces their own link (e.g. it was forwarded): the old one gets 410."""
    try:
        token = access_token_resolve(key=key, purpose=AccessToken.Purpose.FEED)
    except TokenUnknown:
        return _plain(404, _("No calendar feed at this address."))
    except TokenGone:
        return _plain(410, _("This calendar link was replaced or withdrawn; ask for a new one."))
    _new, new_key = access_token_reset(token=token)
    return JsonResponse(feed_links(new_key), status=201)
