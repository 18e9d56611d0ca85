"""Degrade, don't fail: with Redis unreachable, feeds and host pages answer from the database,
the rate limiter lets requests through (and says so in the log), a cache write is skipped.
With Redis there, the rate limit's count is shared (every process reads the same counter)."""

import logging
import os
import socket

import pytest
from django.core.cache import cache, caches
from django.test import Client

from confirmations import ratelimit
from planner import cache as tolerant
from scheduling.access import AccessToken, access_token_create


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "planner.cache.TolerantRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "planner-faults",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture(autouse=True)
def _outage_forgotten(monkeypatch):
    monkeypatch.setattr(tolerant, "outage", tolerant._Outage())
    monkeypatch.setattr(ratelimit, "_last_logged", 0.0)


@pytest.fixture
def redis_down(settings):
    """The cache points at a port where nothing listens (Redis stopped)."""
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")
    settings.ROOT_URLCONF = "tests.feeds.urls"
    settings.HOST_LINK_RATE_PER_MIN = 3


@pytest.fixture
def redis_up(settings):
    import redis

    # A database of its own, one per xdist worker (cache.clear() is FLUSHDB); the app's are 5+N.
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    url = f"redis://127.0.0.1:6379/{14 - worker}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = redis_cache(url)
    cache.clear()
    yield url
    cache.clear()


def test_cache_reads_miss_and_writes_are_skipped_while_redis_is_down(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="planner.cache"):
        assert cache.get("k", "missed") == "missed"
        cache.set("k", 1)
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("k", 1) is False
        cache.delete("k")
        with pytest.raises(tolerant.CacheUnavailable):
            cache.incr("k")
    # One line for the outage, not one per call.
    assert [r.getMessage() for r in caplog.records].count(caplog.records[0].getMessage()) == 1
    assert len(caplog.records) == 1
    assert "Redis unreachable" in caplog.records[0].getMessage()


def test_feeds_and_host_pages_answer_from_the_database_while_redis_is_down(
    published, redis_down, caplog
):
    feed_key = access_token_create(
        visit=published.visit, purpose=AccessToken.Purpose.FEED, subject="programme"
    )[1]
    _link, host_key = published.link(published.mayor)
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            response = Client().get(f"/feeds/{feed_key}.ics")
            assert response.status_code == 200
            assert b"BEGIN:VCALENDAR" in response.content
        etag = response["ETag"]
        assert (
            Client().get(f"/feeds/{feed_key}.ics", headers={"if-none-match": etag}).status_code
            == 304
        )
        # More than the limit: the limiter cannot count, so it lets them through.
        codes = [Client().get(f"/host/{host_key}/").status_code for _ in range(5)]
    assert codes == [200] * 5
    messages = [r.getMessage() for r in caplog.records]
    assert any("rate limit not counted" in m for m in messages)


def test_rate_limit_count_is_shared_through_redis(redis_up, settings):
    """Two processes have two cache objects on the same Redis: the count is theirs together."""
    settings.HOST_LINK_RATE_PER_MIN = 4
    first = caches.create_connection("default")
    second = caches.create_connection("default")
    request = type("R", (), {"META": {"REMOTE_ADDR": "10.9.9.9"}})()
    seen = []
    for i in range(6):
        caches._connections.default = first if i % 2 == 0 else second
        seen.append(ratelimit.over_limit(request))
    assert seen == [False, False, False, False, True, True]
