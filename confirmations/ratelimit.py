"""Small counters on what a host link opens (pages and API), in Django's cache: locmem on one
machine, Redis (shared by every web worker and machine) when REDIS_URL is set. Counted per
key tried and, for keys that open nothing, per address; a valid key is never held back by
somebody else's guesses (see ``over_limit``).

The limit guards against guessing and abuse; it is not what keeps the data right. So when the
cache cannot count (Redis down) it fails open: the request is served and a line is logged (at
most once a minute per process), never a 500."""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache

from planner.client import client_address

log = logging.getLogger(__name__)

_last_logged = 0.0
# How long a key that opened stays known to the limiter (a host comes back within days).
KNOWN_SECONDS = 7 * 24 * 3600


def _failing_open(exc: Exception) -> bool:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= 60:
        _last_logged = now
        log.warning("rate limit not counted (cache unavailable: %s); requests let through", exc)
    return False


def _hit(key: str, timeout: int = 70) -> int:
    """Count one more in the shared cache; the count so far (1 for the first)."""
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def _digest(key: str) -> str:
    # Keys are secrets: the cache (and whoever reads Redis) sees only their hash.
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def remember_key(key: str) -> None:
    """A key that opened a link (or was just made): guesses at other keys never block it."""
    try:
        cache.set(f"ratelimit:known:{_digest(key)}", 1, timeout=KNOWN_SECONDS)
    except Exception as exc:
        _failing_open(exc)


def _request_key(request) -> str:
    match = getattr(request, "resolver_match", None)
    return str((match.kwargs if match else {}).get("key", ""))


def over_limit(request, scope: str = "host", key: str | None = None) -> bool:
    """Count this request; True when it must wait (429). Two counters, each a minute long:

    - per key tried: more than HOST_LINK_RATE_PER_MIN requests with one key (a link that
      leaked and is hammered) wait, whoever sends them;
    - per address, of the keys that opened nothing: past HOST_LINK_GUESSES_PER_MIN misses,
      the address's further unknown keys wait.

    A key known to open a link (it did, or it was just made) is never held back by the
    misses: an attacker guessing from the same address, or from behind the same proxy,
    cannot lock a host out of their page."""
    limit = settings.HOST_LINK_RATE_PER_MIN
    if limit <= 0:
        return False
    key = _request_key(request) if key is None else key
    minute = int(time.time() // 60)
    digest = _digest(key)
    misses = f"ratelimit:{scope}:miss:{client_address(request)}:{minute}"
    try:
        if _hit(f"ratelimit:{scope}:key:{digest}:{minute}") > limit:
            return True
        if cache.get(f"ratelimit:known:{digest}"):
            return False
        if (cache.get(misses) or 0) >= settings.HOST_LINK_GUESSES_PER_MIN:
            return True
    except Exception as exc:  # any cache failure: serve, log, never 500
        return _failing_open(exc)
    from confirmations.links import LinkInvalid, host_link_resolve  # links uses this module

    try:
        host_link_resolve(key=key)
    except LinkInvalid:
        try:
            _hit(misses)
        except Exception as exc:
            return _failing_open(exc)
        return False  # the view answers its 404
    remember_key(key)
    return False
