"""A small per-address counter on what a host link opens (pages and API), in Django's cache:
locmem on one machine, Redis (shared by every web worker) when REDIS_URL is set."""

import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request, scope: str = "host") -> bool:
    """Count this request; True once the address made more than the limit this minute."""
    limit = settings.HOST_LINK_RATE_PER_MIN
    if limit <= 0:
        return False
    minute = int(time.time() // 60)
    key = f"ratelimit:{scope}:{client_address(request)}:{minute}"
    if cache.add(key, 1, timeout=70):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=70)
        return False
    return count > limit
