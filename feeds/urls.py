"""Mounted at the site's root. Under /feeds/ the key in the address is the only credential
(answered early by ``feeds.middleware``); the organiser's page sits with the visit's."""

from django.urls import path

from feeds import pages, views

app_name = "feeds"

urlpatterns = [
    path("feeds/<str:key>.ics", views.feed_ics, name="feed"),
    path("feeds/<str:key>/reset", views.feed_reset, name="reset"),
    path("visits/<int:visit_id>/feeds/", pages.feed_page, name="page"),
    path("visits/<int:visit_id>/feeds/new/", pages.feed_create, name="create"),
    path("visits/<int:visit_id>/feeds/<int:feed_id>/", pages.feed_change, name="change"),
]
