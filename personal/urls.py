from django.urls import path

from personal import organiser, views

app_name = "personal"
PERSON = "visits/<int:visit_id>/people-links/<str:kind>/<int:person_id>/"
urlpatterns = [
    path("me/<str:key>/", views.page, name="page"),
    path("visits/<int:visit_id>/people-links/", organiser.people_links, name="people-links"),
    path("visits/<int:visit_id>/people-links/send/", organiser.send_all, name="send-all"),
    path(PERSON + "send/", organiser.send_one, name="send"),
    path(PERSON + "revoke/", organiser.revoke, name="revoke"),
    path(PERSON + "handover/", organiser.handover, name="handover"),
]
