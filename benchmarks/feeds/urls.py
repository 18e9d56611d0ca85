"""Benchmark URLs: the project's, the feeds (if the project does not mount them yet), an
uncached feed path, and the django-ical peer."""

from django.core.cache import cache
from django.urls import include, path

from benchmarks.feeds.django_ical_peer import ProgrammeICalFeed
from feeds.views import feed_ics
from web.urls import urlpatterns as project_urls


def feed_uncached(request, key):
    # Every request renders: what a feed costs without the render cache.
    cache.clear()
    return feed_ics(request, key)


urlpatterns = list(project_urls)
if not any(getattr(p, "namespace", None) == "feeds" for p in project_urls):
    urlpatterns.append(path("", include("feeds.urls")))
urlpatterns += [
    path("bench/uncached/<str:key>.ics", feed_uncached),
    path("bench/django-ical/<int:visit_id>.ics", ProgrammeICalFeed()),
]
