"""The ways to follow a personal calendar feed (``feeds.views.feed_links``): webcal (Apple,
Thunderbird), Google Calendar, Outlook.com, the https address to copy, and, on pages, a QR
code for a second device."""

from feeds.pages import link_with_qr
from feeds.views import feed_links, feed_name
from personal.links import feed_key
from personal.models import PersonalLink


def subscribe_links(link: PersonalLink, *, qr: bool = True) -> dict | None:
    """The addresses of the link's own feed, or None when that feed no longer works."""
    token = link.feed_token
    if token is None or token.state() != "active":
        return None
    name = feed_name(token)
    key = feed_key(link)
    return link_with_qr(key, name) if qr else feed_links(key, name)
