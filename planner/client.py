"""The client's address, for the counters that throttle guessing (sign-in, host links).

Behind the reverse proxy (deploy/nginx.conf) every request comes from the proxy's address:
counted by it, one attacker would hold back everybody. When the request comes from a trusted
proxy (FORWARDED_ALLOW_IPS, the same list gunicorn trusts), the address is the last one of
X-Forwarded-For, the one that proxy appended (earlier entries are the client's own say)."""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded[:64]
    return remote
