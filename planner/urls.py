from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from planner.account_forms import EmailAuthenticationForm, OrganiserPasswordResetForm
from planner.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("feeds/", include("scheduling.feed_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OrganiserPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("planner.account_urls")),
    path("", include("orga.urls")),
    path("", include("events.urls")),
    path("", include("scheduling.urls")),
    path("", include("confirmations.urls")),
    path("", include("notifications.urls")),
    path("", include("logistics.urls")),
]
