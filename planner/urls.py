from django.contrib import admin
from django.urls import include, path

from planner.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("feeds/", include("scheduling.feed_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("orga.urls")),
    path("", include("events.urls")),
    path("", include("scheduling.urls")),
    path("", include("confirmations.urls")),
    path("", include("notifications.urls")),
    path("", include("logistics.urls")),
]
