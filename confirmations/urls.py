"""Pages of the confirmations app: the host's page (the key in the address is the only
credential) and the organiser's dashboard."""

from django.urls import path

from confirmations import views

app_name = "confirmations"
urlpatterns = [
    path("host/<str:key>/", views.host_page, name="host"),
    path("host/<str:key>/calendar/", views.host_calendar, name="host-calendar"),
    path("visits/<int:visit_id>/confirmations/", views.dashboard, name="dashboard"),
    path("visits/<int:visit_id>/confirmations/send/", views.send, name="send"),
    path(
        "visits/<int:visit_id>/confirmations/hosts/<int:person_id>/resend/",
        views.resend,
        name="resend",
    ),
    path(
        "visits/<int:visit_id>/confirmations/slots/<int:slot_id>/fix/",
        views.fix,
        name="fix",
    ),
    path(
        "visits/<int:visit_id>/confirmations/hosts/<int:person_id>/revoke/",
        views.revoke,
        name="revoke",
    ),
]
