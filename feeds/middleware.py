"""Calendar polls answered before the session, locale, CSRF, auth and message layers.

Calendar clients poll every feed for weeks, so polls are most of the site's requests, and most
of them end in a 304. A feed's key in the address is its only credential: sessions, CSRF
tokens, users and flash messages have nothing to do with it, yet each layer costs as much as
the poll itself. This middleware sits right after WhiteNoise (static files are answered the
same way) and hands feed addresses straight to the feed view; everything else passes on.
"""

from django.urls import reverse

from feeds import views

_SAMPLE_KEY = "K" * 43


class FeedPollMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._prefix: str | None = None

    def _feed_prefix(self) -> str:
        # Read from the URLconf once, so the feeds can be mounted anywhere.
        if self._prefix is None:
            sample = reverse("feeds:feed", kwargs={"key": _SAMPLE_KEY})
            self._prefix = sample.removesuffix(_SAMPLE_KEY + ".ics")
        return self._prefix

    def __call__(self, request):
        path = request.path_info
        if path.endswith(".ics") and request.method in ("GET", "HEAD"):
            prefix = self._feed_prefix()
            if path.startswith(prefix) and "/" not in path[len(prefix) :]:
                # No language is activated: the calendar speaks the subscriber's language
                # stored with the token, and error messages pick the browser's themselves.
                return views.feed_ics(request, path[len(prefix) : -len(".ics")])
        return self.get_response(request)
