"""Sign-in throttling: failed passwords are counted per account and per client address in
Django's cache (Redis, shared by every worker, in production), in windows of
LOGIN_WINDOW_S seconds.

Past LOGIN_FAILURES_PER_ACCOUNT failures for one account, or LOGIN_FAILURES_PER_ADDRESS
from one address, sign-in with a password waits until the window ends, even with the right
password: guessing stops there. The rightful organiser is never shut out for good: the
window passes, and "Forgotten your password?" mails a link that signs them in without a
password (web.account_views.PasswordSetView). A successful sign-in clears the account's
count. Only hashes of the account's name reach the cache. When the cache cannot count
(Redis down) sign-in goes on unthrottled and a line is logged: the cache holds no data."""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

from planner.client import client_address

log = logging.getLogger(__name__)

THROTTLED_ATTR = "_signin_throttled"


def _keys(request, username: str) -> tuple[str, str]:
    window = int(time.time() // settings.LOGIN_WINDOW_S)
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    address = client_address(request) if request is not None else "unknown"
    return f"signin:account:{account}:{window}", f"signin:address:{address}:{window}"


def _over(request, username: str) -> bool:
    account, address = _keys(request, username)
    counts = cache.get_many([account, address])
    return (
        counts.get(account, 0) >= settings.LOGIN_FAILURES_PER_ACCOUNT
        or counts.get(address, 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
    )


def _failed(request, username: str) -> None:
    for key in _keys(request, username):
        if not cache.add(key, 1, timeout=settings.LOGIN_WINDOW_S + 60):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=settings.LOGIN_WINDOW_S + 60)


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing (PermissionDenied: no later backend is tried) while the
    account or the address has too many failures, and counting each failure."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username if username is not None else kwargs.get("email", "")
        name = str(name or "")
        try:
            if _over(request, name):
                if request is not None:
                    setattr(request, THROTTLED_ATTR, True)
                raise PermissionDenied
        except PermissionDenied:
            raise
        except Exception as exc:  # the cache cannot count: sign-in goes on
            log.warning("sign-in throttle not checked (cache unavailable: %s)", exc)
            return super().authenticate(request, username, password, **kwargs)
        user = super().authenticate(request, username, password, **kwargs)
        try:
            if user is None:
                _failed(request, name)
            else:
                cache.delete(_keys(request, name)[0])
        except Exception as exc:
            log.warning("sign-in throttle not counted (cache unavailable: %s)", exc)
        return user


def forget_account(request, username: str) -> None:
    """The account signed in another way (a password reset link): its failures are over."""
    try:
        cache.delete(_keys(request, username)[0])
    except Exception as exc:
        log.warning("sign-in throttle not cleared (cache unavailable: %s)", exc)
