"""The keys the cache holds now, on either backend the suite runs with (local memory on the
embedded default, Redis when REDIS_URL is set): for tests that check what is stored."""

from django.core.cache import cache


def stored_cache_keys() -> str:
    local = getattr(cache, "_cache", None)
    if isinstance(local, dict):  # LocMemCache
        return " ".join(str(key) for key in local)
    client = cache._cache.get_client(None, write=False)  # Django's RedisCacheClient
    return " ".join(key.decode() for key in client.scan_iter(count=1000))
