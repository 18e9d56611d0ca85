from django.urls import path

from personal import offline, organiser, print_views, views

app_name = "personal"
PERSON = "visits/<int:visit_id>/people-links/<str:kind>/<int:person_id>/"
urlpatterns = [
    path("me/<str:key>/", views.page, name="page"),
    path("me/<str:key>/print/", print_views.print_page, name="print"),
    path("me/<str:key>/manifest.webmanifest", offline.manifest, name="manifest"),
    path("me/<str:key>/sw.js", offline.service_worker, name="service-worker"),
    path("visits/<int:visit_id>/people-links/", organiser.people_links, name="people-links"),
    path("visits/<int:visit_id>/people-links/send/", organiser.send_all, name="send-all"),
    path(PERSON + "send/", organiser.send_one, name="send"),
    path(PERSON + "revoke/", organiser.revoke, name="revoke"),
    path(PERSON + "handover/", organiser.handover, name="handover"),
]
