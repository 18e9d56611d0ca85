"""Serving feeds: find the token, answer 304 or the cached bytes, render only on a miss.

A calendar client polls every feed every 30 minutes or so, for weeks: the common answers
(304, or the same bytes again) cost one query and a cache read; the calendar is rendered
once per (subscriber, published state, language).
"""

import datetime as dt
import functools
import gzip
import hashlib
import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from delegations.models import Guest, Interpreter
from events.models import Person, Visit
from feeds import providers, render
from feeds.models import FeedBody, FeedFetch, ProgrammeFeed
from feeds.selectors import feed_contents
from feeds.sync import programme_feed_ensure
from planner.languages import text_language
from scheduling.access import (
    KEY_PATTERN,
    AccessToken,
    TokenGone,
    TokenUnknown,
    access_token_reset,
    access_token_resolve,
)
from scheduling.attendance import WHOLE
from scheduling.models import Programme

CONTENT_TYPE = "text/calendar; charset=utf-8"
GOOGLE_ADD = "https://calendar.google.com/calendar/render"
OUTLOOK_ADD = "https://outlook.live.com/calendar/0/addfromweb"
NO_FEED = _("No calendar feed at this address.")
GONE = _("This calendar link was replaced or withdrawn; ask for a new one.")
SHARED = _(
    "This calendar is shared by several people: only the organisers can replace its link. "
    "Ask them for a personal link."
)
# Bumped when the rendering changes, so cached feeds of the previous code are not served.
RENDER_REVISION = 3
CACHE_SECONDS = 7 * 24 * 3600
# How often a link's last fetch is written down (the organiser's "subscribed" needs no more).
FETCH_RECORD_S = 600
# Private data: no shared cache may keep it; clients revalidate with the ETag.
CACHE_CONTROL = "private, no-cache"


class CalendarResponse(HttpResponse):
    def __init__(
        self,
        body: bytes,
        *,
        etag: str,
        last_modified: int | None,
        filename: str = "programme.ics",
        gzipped: bool = False,
        status: int = 200,
    ):
        super().__init__(body, content_type=CONTENT_TYPE, status=status)
        _validators(self, etag, last_modified)
        if gzipped:
            self["Content-Encoding"] = "gzip"
        self["Content-Disposition"] = f'inline; filename="{filename}"'
        self["X-Robots-Tag"] = "noindex"


def _validators(response: HttpResponse, etag: str, last_modified: int | None) -> None:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    # The body (and its ETag) depends on whether the client takes gzip.
    response["Vary"] = "Accept-Encoding"


def _accepts_gzip(request) -> bool:
    """Whether Accept-Encoding names gzip (or *) without q=0. No header: plain bytes."""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        if coding.lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = next((p[2:] for p in params if p.lower().startswith("q=")), "1")
        try:
            return float(q) > 0
        except ValueError:
            return False
    return False


def _gzip_etag(etag: str) -> str:
    """A gzip body is another representation: its own strong ETag (RFC 9110 8.8.3)."""
    return etag[:-1] + '-gz"'


def feed_filename(visit_slug: str, subject: str, subject_name: str) -> str:
    """The file name a calendar or browser saves the feed under: the visit and the person,
    ASCII letters, digits and dashes only (no quoting in Content-Disposition to get wrong)."""
    visit = slugify(visit_slug)[:60].strip("-") or "programme"
    if subject == AccessToken.Subject.PROGRAMME:
        return f"{visit}.ics"
    person = slugify(subject_name)[:60].strip("-")
    return f"{visit}-{person}.ics" if person else f"{visit}-{subject}.ics"


def _plain(request, status: int, message) -> HttpResponse:
    """A short reason in the reader's browser language. Feed addresses skip LocaleMiddleware
    (see feeds.middleware), so the language is chosen here, only when there is an error."""
    with translation.override(translation.get_language_from_request(request)):
        text = str(message)
    return HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")


def feed_links(key: str, name: str = "") -> dict:
    """The addresses of a feed key: https, webcal (opens the subscribe dialog of the system's
    calendar app), and the one-click subscribe pages of Google Calendar (``cid=`` the webcal
    address) and Outlook.com (``url=`` the https address, ``name=`` the calendar's name)."""
    https = settings.SITE_URL + reverse("feeds:feed", kwargs={"key": key})
    webcal = "webcal://" + https.split("://", 1)[1]
    outlook = {"url": https, **({"name": name} if name else {})}
    return {
        "https_url": https,
        "webcal_url": webcal,
        "google_url": GOOGLE_ADD + "?" + urlencode({"cid": webcal}, quote_via=quote),
        "outlook_url": OUTLOOK_ADD + "?" + urlencode(outlook, quote_via=quote),
    }


def feed_name(token: AccessToken) -> str:
    """The calendar's name (NAME, X-WR-CALNAME) of a token's feed, in its language."""
    with translation.override(text_language(_language(token))):
        return render.feed_name(token.subject, token.visit.title, token.subject_label)


def _language(token: AccessToken) -> str:
    preferred = {
        AccessToken.Subject.GUEST: lambda: token.guest.preferred_language,
        AccessToken.Subject.PERSON: lambda: token.person.preferred_language,
        AccessToken.Subject.INTERPRETER: lambda: token.interpreter.person.preferred_language,
    }.get(token.subject)
    return _reader_language(
        token.language, preferred() if preferred else None, token.visit.working_languages
    )


def _reader_language(own: str, preferred: str | None, working: list | None) -> str:
    """The feed's language: the link's own, else the subscriber's (a guest, host or
    interpreter), else the visit's first working language (the whole programme's feed)."""
    if own:
        return own
    if preferred is not None:
        return preferred
    return working[0] if working else settings.LANGUAGE_CODE


def _who(subject: str, subject_id: int | None, subgroup: int | None) -> int | None:
    if subject == AccessToken.Subject.GUEST:
        return subgroup or WHOLE
    return None if subject == AccessToken.Subject.PROGRAMME else subject_id


@dataclass(frozen=True)
class FeedState:
    """What rendering reads of a programme's feed row (``ProgrammeFeed`` has the same)."""

    programme_id: int
    synced_at: dt.datetime
    first_date: dt.date
    last_date: dt.date


@dataclass(frozen=True)
class Subscriber:
    """Whom a feed link is for, and what its bytes depend on besides its events: all read
    by the poll's one query, so that a render after a cache miss reads only the events."""

    token_id: int
    subject: str
    subject_id: int
    name: str  # the calendar's name's second half: the guest, host or interpreter
    guest_id: int | None
    who: int | None  # what feeds.selectors.feed_contents calls `who`
    language: str
    visit_id: int
    visit_slug: str
    visit_title: str
    time_zone: str
    start_date: dt.date
    end_date: dt.date
    programme_id: int | None
    feed: FeedState | None  # None: nothing published, or published before feeds existed


def _render(sub: Subscriber, feed) -> tuple:
    """(etag, last modified, body, gzip body, file name) of a subscriber's feed; ``feed`` None
    (nothing published yet) gives the empty calendar, with its name and time zone."""
    if feed is None:
        items, changed = (), None
        first, last = sub.start_date, sub.end_date
    else:
        items, changed = feed_contents(
            feed=feed,
            subject=sub.subject,
            who=sub.who,
            language=sub.language,
            guest=sub.guest_id,
        )
        first, last = feed.first_date, feed.last_date
    body = render.feed_render(
        render.Feed(
            uid=f"feed-{sub.subject}-{sub.subject_id}@{sub.visit_slug}.planner",
            audience=sub.subject,
            visit_title=sub.visit_title,
            subject_name=sub.name,
            language=sub.language,
            time_zone=sub.time_zone,
            first_date=first,
            last_date=last,
            items=items,
            url=providers.page_url(
                subject=sub.subject, visit_id=sub.visit_id, subject_id=sub.subject_id
            ),
        )
    )
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    # mtime=0: the same body always gives the same gzip bytes.
    gz = gzip.compress(body, compresslevel=6, mtime=0)
    modified = _bytes_since(sub, etag, changed) if feed is not None else None
    filename = feed_filename(sub.visit_slug, sub.subject, sub.name)
    return etag, modified, body, gz, filename


@functools.cache
def _body_sql() -> str:
    table = connection.ops.quote_name(FeedBody._meta.db_table)
    return (
        f"SELECT etag, modified_at FROM {table}"
        " WHERE visit_id = %s AND subject = %s AND subject_id = %s AND language = %s"
    )


def _bytes_since(sub: Subscriber, etag: str, changed) -> int:
    """Last-Modified of these bytes (``FeedBody``): the time the subscriber's bytes last
    changed. First served: the last change of their events. Changed since: that change when
    it is newer, else now (a rename, a new answer link), always after the time before."""
    who = [sub.visit_id, sub.subject, sub.subject_id or 0, sub.language]
    with connection.cursor() as cursor:
        cursor.execute(_body_sql(), who)
        known = cursor.fetchone()
    if known is not None and known[0] == etag:
        return int(_aware(known[1]).timestamp())
    since = changed or timezone.now()
    if known is not None and int(since.timestamp()) <= int(_aware(known[1]).timestamp()):
        since = max(timezone.now(), _aware(known[1]) + dt.timedelta(seconds=1))
    fields = dict(zip(("visit_id", "subject", "subject_id", "language"), who, strict=True))
    try:
        with transaction.atomic():
            FeedBody.objects.update_or_create(
                **fields, defaults={"etag": etag, "modified_at": since}
            )
    except IntegrityError:
        pass  # another process wrote the same bytes' row first
    return int(since.timestamp())


def _conditional(request, etag: str, last_modified: int) -> HttpResponse | None:
    """Django's answer to the request's preconditions (RFC 9110 13.2.2, weak ETag comparison)
    against the feed's validators: a 304 (or 412) instead of the calendar, or None."""
    if _accepts_gzip(request):
        etag = _gzip_etag(etag)
    answer = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if answer is not None:
        # As Django's ``condition`` decorator does: the answer names the validators it was
        # checked against, so the client keeps them.
        _validators(answer, etag, last_modified)
    return answer


# The one query of every poll, written once as plain SQL: compiling the equivalent ORM query
# (seven joined tables) cost ten times more than running it. Columns are read by position.
_POLL_COLUMNS = (
    "t.id, t.purpose, t.subject, t.revoked_at, t.expires_at, t.language,"
    " t.guest_id, t.person_id, t.interpreter_id,"
    " v.title, v.updated_at, pr.id, pr.current_version_id, f.version_id, f.stamp,"
    " g.subgroup_id, g.full_name, p.full_name, ip.full_name,"
    " g.preferred_language, p.preferred_language, ip.preferred_language,"
    " v.slug, v.time_zone, v.start_date, v.end_date, v.working_languages,"
    " f.synced_at, f.first_date, f.last_date, v.id"
)


@functools.cache
def _poll_sql() -> str:
    t = {
        "token": AccessToken._meta.db_table,
        "visit": Visit._meta.db_table,
        "programme": Programme._meta.db_table,
        "feed": ProgrammeFeed._meta.db_table,
        "guest": Guest._meta.db_table,
        "person": Person._meta.db_table,
        "interpreter": Interpreter._meta.db_table,
    }
    return (
        f"SELECT {_POLL_COLUMNS} FROM {t['token']} t"
        f" JOIN {t['visit']} v ON v.id = t.visit_id"
        f" LEFT JOIN {t['programme']} pr ON pr.visit_id = v.id"
        f" LEFT JOIN {t['feed']} f ON f.programme_id = pr.id"
        f" LEFT JOIN {t['guest']} g ON g.id = t.guest_id"
        f" LEFT JOIN {t['person']} p ON p.id = t.person_id"
        f" LEFT JOIN {t['interpreter']} i ON i.id = t.interpreter_id"
        f" LEFT JOIN {t['person']} ip ON ip.id = i.person_id"
        " WHERE t.key_hash = %s"
    )


def _aware(value):
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)
    return _aware(parse_datetime(value))  # SQLite hands back text


@dataclass(frozen=True)
class Poll:
    """What a poll needs to answer from the cache: whether the link works, and the key of the
    rendered feed (everything the bytes depend on)."""

    state: str  # "unknown", "gone", "unpublished" or "ok"
    cache_key: str = ""
    token_id: int = 0
    row: tuple = ()  # the poll query's row: ``_subscriber`` reads it after a cache miss only


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)  # SQLite: text


def _poll(key: str) -> Poll:
    if not KEY_PATTERN.fullmatch(key):
        return Poll("unknown")
    with connection.cursor() as cursor:
        cursor.execute(_poll_sql(), [AccessToken.hash_key(key)])
        row = cursor.fetchone()
    if row is None or row[1] != AccessToken.Purpose.FEED:
        return Poll("unknown")
    (_id, _purpose, subject, revoked_at, expires_at, language, guest, person, interp) = row[:9]
    title, updated, programme, current, version, stamp = row[9:15]
    subgroup, *people = row[15:22]
    expires_at = _aware(expires_at)
    subject_id = {"guest": guest, "person": person, "interpreter": interp}.get(subject, 0)
    if revoked_at is not None or (expires_at is not None and expires_at <= timezone.now()):
        return Poll("gone")
    if subject_id is None:
        return Poll("gone")  # the guest, host or interpreter was deleted
    if current is None:
        return Poll("unpublished", token_id=_id, row=row)
    if version is None:
        # Published before feeds: the slow path builds the state.
        return Poll("ok", token_id=_id, row=row)
    parts = [
        RENDER_REVISION,
        subject,
        subject_id,
        subgroup,
        language,
        programme,
        version,
        stamp,
        title,
        str(updated),
        *people,
    ]
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()
    return Poll("ok", "feed:" + digest, _id, row)


def _subscriber(row: tuple) -> Subscriber:
    """The subscriber of a working link, from the poll query's row (a cache miss: most polls
    are answered from the cache and never read more of the row than ``_poll`` does)."""
    (token_id, _purpose, subject, _revoked, _expires, language, guest, person, interp) = row[:9]
    title, _updated, programme, _current, version, _stamp = row[9:15]
    subgroup, *people = row[15:22]
    slug, zone, start, end, working, synced, first, last, visit_id = row[22:]
    kinds = ("guest", "person", "interpreter")
    names = dict(zip(kinds, people[:3], strict=True))
    preferred = dict(zip(kinds, people[3:], strict=True))
    subject_id = dict(zip(kinds, (guest, person, interp), strict=True)).get(subject, 0)
    working = json.loads(working) if isinstance(working, str) else working
    return Subscriber(
        token_id=token_id,
        subject=subject,
        subject_id=subject_id,
        name=names.get(subject, title),
        guest_id=guest if subject == AccessToken.Subject.GUEST else None,
        who=_who(subject, subject_id, subgroup),
        language=_reader_language(language, preferred.get(subject), working),
        visit_id=visit_id,
        visit_slug=slug,
        visit_title=title,
        time_zone=zone,
        start_date=_date(start),
        end_date=_date(end),
        programme_id=programme,
        feed=None
        if version is None
        else FeedState(programme, _aware(synced), _date(first), _date(last)),
    )


def _fetched(token_id: int) -> None:
    """Record that a calendar client fetched the feed (the organiser sees who subscribed): at
    most once every FETCH_RECORD_S per link, so the 304 of most polls stays one query. A
    cache that cannot count records nothing rather than fail the poll."""
    try:
        if not cache.add(f"feed:fetched:{token_id}", 1, timeout=FETCH_RECORD_S):
            return
    except Exception:
        return
    now = timezone.now()
    if not FeedFetch.objects.filter(token_id=token_id).update(last_fetched_at=now):
        FeedFetch.objects.get_or_create(
            token_id=token_id, defaults={"first_fetched_at": now, "last_fetched_at": now}
        )


@require_safe  # GET and HEAD
def feed_ics(request, key: str):
    poll = _poll(key)
    if poll.state == "unknown":
        return _plain(request, 404, NO_FEED)
    if poll.state == "gone":
        return _plain(request, 410, GONE)
    _fetched(poll.token_id)  # the organiser sees whose calendar is subscribed
    # Most polls end in a 304: the validators are cached apart from the body so that answer
    # never reads (or, with Redis, transfers) the 40 KB calendar.
    if poll.cache_key:
        validators = cache.get(poll.cache_key + ":validators")
        answer = _conditional(request, *validators) if validators is not None else None
        if answer is not None:
            return answer
    cached = cache.get(poll.cache_key) if poll.cache_key else None
    if cached is None:
        sub = _subscriber(poll.row)
        if poll.state == "unpublished":
            # Nothing published yet: an empty calendar with its name, not a 404, which calendar
            # apps refuse when the link is added (not cached: the first publication fills it).
            feed = None
        else:
            feed = sub.feed or programme_feed_ensure(
                programme=Programme.objects.get(pk=sub.programme_id)
            )
        cached = _render(sub, feed)
        if poll.cache_key:
            cache.set_many(
                {poll.cache_key: cached, poll.cache_key + ":validators": cached[:2]},
                CACHE_SECONDS,
            )
    etag, last_modified, body, gz, filename = cached
    answer = _conditional(request, etag, last_modified)
    if answer is not None:
        return answer
    if _accepts_gzip(request):
        return CalendarResponse(
            gz,
            etag=_gzip_etag(etag),
            last_modified=last_modified,
            filename=filename,
            gzipped=True,
        )
    return CalendarResponse(body, etag=etag, last_modified=last_modified, filename=filename)


@csrf_exempt  # the key in the address is the credential; there is no session to forge
@require_POST
def feed_reset(request, key: str):
    """The subscriber replaces their own link (e.g. it was forwarded): the old one gets 410.
    A whole-programme feed is shared by every subscriber: only an organiser resets it (feeds
    page or API), or one holder could cut all the others off."""
    try:
        token = access_token_resolve(key=key, purpose=AccessToken.Purpose.FEED)
    except TokenUnknown:
        return _plain(request, 404, NO_FEED)
    except TokenGone:
        return _plain(request, 410, GONE)
    if token.subject == AccessToken.Subject.PROGRAMME:
        return _plain(request, 403, SHARED)
    _new, new_key = access_token_reset(token=token)
    return JsonResponse(feed_links(new_key), status=201)
