"""The organiser's account pages, beside Django's sign-in and password pages."""

from django.urls import path

from web import account_views as views

app_name = "accounts"
urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/invite/", views.invite, name="invite"),
    path(
        "team/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("team/members/<int:organiser_id>/role/", views.member_role, name="member-role"),
    path("team/members/<int:organiser_id>/remove/", views.member_remove, name="member-remove"),
    path("invitation/<str:key>/", views.invitation_accept, name="invitation"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
