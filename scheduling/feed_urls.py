"""Mounted under /feeds/: the key in the address is the only credential."""

from django.urls import path

from scheduling import feed_views

app_name = "feeds"

urlpatterns = [
    path("<str:key>.ics", feed_views.feed_ics, name="feed"),
    path("<str:key>/reset", feed_views.feed_reset, name="reset"),
]
