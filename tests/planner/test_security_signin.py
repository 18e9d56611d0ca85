"""Sign-in throttling (issue #16): failed passwords are counted per account and per address;
past the limit even the right password waits, and a password reset link still signs in."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from planner import login_throttle
from tests import factories
from tests.cache_keys import stored_cache_keys

RIGHT = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def sign_in(username, password, client=None):
    return (client or Client()).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def signed_in(response) -> bool:
    return response.status_code == 302


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(organiser):
    client = Client()
    for i in range(40):
        assert sign_in(organiser.username, f"wrong-{i}", client).status_code in {200, 429}
    response = sign_in(organiser.username, RIGHT, client)
    assert not signed_in(response)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_an_account_is_throttled_from_every_address(organiser, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for i in range(3):
        sign_in(organiser.username, "wrong", Client(REMOTE_ADDR=f"10.1.0.{i}"))
    assert sign_in(organiser.username, RIGHT, Client(REMOTE_ADDR="10.1.1.1")).status_code == 429


def test_an_address_is_throttled_across_accounts(org, organiser, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4
    client = Client(REMOTE_ADDR="10.2.0.1")
    for i in range(4):
        sign_in(f"nobody{i}@example.org", "wrong", client)
    assert sign_in(organiser.username, RIGHT, client).status_code == 429
    # The organiser on another address signs in.
    assert signed_in(sign_in(organiser.username, RIGHT, Client(REMOTE_ADDR="10.2.0.2")))


def test_below_the_limit_the_right_password_signs_in_and_clears_the_count(organiser, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for _ in range(2):
        sign_in(organiser.username, "wrong")
    assert signed_in(sign_in(organiser.username, RIGHT))
    for _ in range(2):
        sign_in(organiser.username, "wrong")
    assert signed_in(sign_in(organiser.username, RIGHT))


def test_a_throttled_organiser_still_gets_in_with_a_reset_link(org, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    user = factories.organiser(org, username="anne@example.org")
    user.email = "anne@example.org"
    user.save()
    for _ in range(3):
        sign_in(user.username, "wrong")
    assert sign_in(user.username, RIGHT).status_code == 429
    client = Client()
    client.post("/accounts/password_reset/", {"email": user.email})
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    form = client.get(path, follow=True)
    new = "A-new-pw-for-tests-9"
    done = client.post(form.request["PATH_INFO"], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.get("/accounts/tokens/").status_code == 200
    assert signed_in(sign_in(user.username, new))


def test_the_admin_sign_in_is_throttled_too(org, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 2
    get_user_model().objects.create_superuser("root", "root@example.org", RIGHT)
    client = Client()
    for _ in range(2):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})
    client.post("/admin/login/", {"username": "root", "password": RIGHT})
    assert client.get("/admin/").status_code == 302  # still the sign-in page


def test_the_cache_holds_no_account_name(organiser):
    sign_in(organiser.username, "wrong")
    stored = stored_cache_keys()
    assert "signin:account:" in stored and organiser.username not in stored
    assert login_throttle.THROTTLED_ATTR


def test_behind_the_proxy_each_client_is_counted_apart(organiser, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for i in range(5):
        sign_in(f"nobody{i}@example.org", "wrong", attacker)
    # The proxy appended the organiser's own address: not the attacker's count.
    organisers = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert signed_in(sign_in(organiser.username, RIGHT, organisers))
    # A client that is no proxy cannot choose its address by the header.
    direct = Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="198.51.100.8")
    for i in range(3):
        sign_in(f"nobody{i}@example.org", "wrong", direct)
    assert sign_in(organiser.username, RIGHT, direct).status_code == 429
