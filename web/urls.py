from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from planner import csp
from web import account_views
from web.account_forms import OrganiserPasswordResetForm
from web.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("csp-report/", csp.report, name="csp-report"),
    path("", include("feeds.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/login/",
        account_views.SignInView.as_view(),  # throttled (planner/login_throttle.py)
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OrganiserPasswordResetForm),
        name="password_reset",
    ),
    # The link that sets a first password (an operator's, a reset's) signs the person in and
    # leads to their visits, instead of asking for the password just chosen.
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordSetView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("web.account_urls")),
    path("", include("orga.urls")),
    path("", include("events.urls")),
    path("", include("scheduling.urls")),
    path("", include("confirmations.urls")),
    path("", include("notifications.urls")),
    path("", include("logistics.urls")),
    path("", include("invitations.urls")),
    path("", include("personal.urls")),
]
