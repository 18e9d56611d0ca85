"""Django's Redis cache, made to degrade instead of fail.

The cache only ever holds copies (rendered feeds, their validators) and counters (the host
links' rate limit): the database has everything a page needs. So when Redis is unreachable a
read is a miss, a write is skipped, and the request goes on from the database. The outage is
logged once when it starts and once when Redis answers again; for ``RETRY_AFTER_S`` after a
failure the cache is not even asked, so a dead Redis costs no connection attempt per request.

``incr``/``decr`` are the exception: a counter that cannot count raises ``CacheUnavailable``,
so that the caller (the rate limiter) knows it is failing open rather than reading a count.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# After a failure, Redis is left alone for this long (then one request tries again).
RETRY_AFTER_S = 5.0


class CacheUnavailable(Exception):
    """The cache could not be reached for an operation that has no harmless default."""


class _Outage:
    """Process-wide (Django keeps one cache object per thread): when Redis last failed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down = False

    def skipping(self) -> bool:
        return self.down and time.monotonic() < self.down_until

    def failed(self, operation: str, exc: Exception) -> None:
        with self.lock:
            self.down_until = time.monotonic() + RETRY_AFTER_S
            if not self.down:
                self.down = True
                log.warning(
                    "cache: Redis unreachable (%s: %s); serving from the database",
                    operation,
                    exc,
                )

    def answered(self) -> None:
        if self.down:
            with self.lock:
                if self.down:
                    self.down = False
                    log.warning("cache: Redis answers again")


outage = _Outage()


class TolerantRedisCache(RedisCache):
    """RedisCache whose reads miss and whose writes are skipped while Redis is unreachable."""

    def _try(self, operation: str, call, default):
        if outage.skipping():
            return default
        try:
            value = call()
        except RedisError as exc:
            outage.failed(operation, exc)
            return default
        outage.answered()
        return value

    def get(self, key, default=None, version=None):
        return self._try(
            "get", lambda: super(TolerantRedisCache, self).get(key, default, version), default
        )

    def get_many(self, keys, version=None):
        return self._try(
            "get_many", lambda: super(TolerantRedisCache, self).get_many(keys, version), {}
        )

    def has_key(self, key, version=None):
        return self._try(
            "has_key", lambda: super(TolerantRedisCache, self).has_key(key, version), False
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._try(
            "set", lambda: super(TolerantRedisCache, self).set(key, value, timeout, version), None
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that could not be set.
        failed = list(data)
        return self._try(
            "set_many",
            lambda: super(TolerantRedisCache, self).set_many(data, timeout, version),
            failed,
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(
            "add", lambda: super(TolerantRedisCache, self).add(key, value, timeout, version), False
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(
            "touch", lambda: super(TolerantRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self._try(
            "delete", lambda: super(TolerantRedisCache, self).delete(key, version), False
        )

    def delete_many(self, keys, version=None):
        self._try(
            "delete_many", lambda: super(TolerantRedisCache, self).delete_many(keys, version), None
        )

    def incr(self, key, delta=1, version=None):
        if outage.skipping():
            raise CacheUnavailable("Redis unreachable")
        try:
            value = super().incr(key, delta, version)
        except RedisError as exc:
            outage.failed("incr", exc)
            raise CacheUnavailable(str(exc)) from exc
        outage.answered()
        return value
