"""Throttling that cannot lock out the rightful user (issue #16): host-link attempts are
counted per key tried and, for keys that open nothing, per address; guesses at unknown keys
never block a valid key, from the same address or from behind the same proxy."""

import secrets

from django.test import Client

from confirmations import ratelimit
from tests.cache_keys import stored_cache_keys


def page(key: str, client=None):
    return (client or Client()).get(f"/host/{key}/")


def guess() -> str:
    return secrets.token_urlsafe(32)


def test_sixty_guesses_do_not_lock_out_the_valid_host_on_the_same_address(published):
    _link, key = published.link(published.mayor)
    codes = {page(guess()).status_code for _ in range(60)}
    assert codes == {404, 429}
    assert page(key).status_code == 200


def test_behind_a_proxy_one_guesser_locks_out_no_host(published, settings):
    settings.HOST_LINK_GUESSES_PER_MIN = 5
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(10):
        page(guess(), client=proxy)
    assert page(guess(), client=proxy).status_code == 429
    # Both hosts open their pages through the same proxy, the mayor for the first time.
    _link, mayor = published.link(published.mayor)
    _link, bookseller = published.link(published.bookseller)
    assert page(mayor, client=proxy).status_code == 200
    assert page(bookseller, client=proxy).status_code == 200


def test_a_host_whose_key_was_opened_before_is_not_held_back(published, settings):
    settings.HOST_LINK_GUESSES_PER_MIN = 3
    _link, key = published.link(published.mayor)
    assert page(key).status_code == 200
    for _ in range(5):
        page(guess())
    assert page(key).status_code == 200


def test_guesses_are_counted_per_address(published, settings):
    settings.HOST_LINK_GUESSES_PER_MIN = 3
    codes = [page(guess()).status_code for _ in range(5)]
    assert codes == [404, 404, 404, 429, 429]
    # Another address guesses on its own count.
    assert page(guess(), client=Client(REMOTE_ADDR="10.0.0.9")).status_code == 404


def test_one_key_is_counted_whichever_address_sends_it(published, settings):
    settings.HOST_LINK_RATE_PER_MIN = 4
    _link, key = published.link(published.mayor)
    codes = [page(key, client=Client(REMOTE_ADDR=f"10.0.0.{i}")).status_code for i in range(6)]
    assert codes == [200, 200, 200, 200, 429, 429]


def test_the_cache_holds_no_key(published):
    _link, key = published.link(published.mayor)
    page(key)
    stored = stored_cache_keys()
    assert key not in stored
    assert ratelimit._digest(key) in stored


def test_the_host_api_counts_per_key_too(published, settings):
    settings.HOST_LINK_RATE_PER_MIN = 2
    _link, mayor = published.link(published.mayor)
    _link, bookseller = published.link(published.bookseller)
    client = Client()
    codes = [client.get(f"/api/v1/host/{k}").status_code for k in (mayor, mayor, bookseller)]
    assert codes == [200, 200, 200]
    assert client.get(f"/api/v1/host/{mayor}").status_code == 429
