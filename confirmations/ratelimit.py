"""A small per-address counter on what a host link opens (pages and API), in Django's cache:
locmem on one machine, Redis (shared by every web worker and machine) when REDIS_URL is set.

The limit guards against guessing and abuse; it is not what keeps the data right. So when the
cache cannot count (Redis down) it fails open: the request is served and a line is logged (at
most once a minute per process), never a 500."""

import logging
import time

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

_last_logged = 0.0


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _failing_open(exc: Exception) -> bool:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= 60:
        _last_logged = now
        log.warning("rate limit not counted (cache unavailable: %s); requests let through", exc)
    return False


def over_limit(request, scope: str = "host") -> bool:
    """Count this request; True once the address made more than the limit this minute."""
    limit = settings.HOST_LINK_RATE_PER_MIN
    if limit <= 0:
        return False
    minute = int(time.time() // 60)
    key = f"ratelimit:{scope}:{client_address(request)}:{minute}"
    try:
        if cache.add(key, 1, timeout=70):
            return False
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=70)
            return False
    except Exception as exc:  # any cache failure: serve, log, never 500
        return _failing_open(exc)
    return count > limit
