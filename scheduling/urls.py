from django.urls import path

from scheduling import views

app_name = "scheduling"
urlpatterns = [
    path("", views.visit_list, name="visits"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit"),
    path("visits/<int:visit_id>/versions/<int:number>/", views.visit_detail, name="version"),
    path("visits/<int:visit_id>/solve/", views.visit_solve, name="solve"),
    path("visits/<int:visit_id>/booklet/", views.visit_booklet, name="booklet"),
    path("visits/<int:visit_id>/jobs/<int:job_id>/cancel/", views.job_cancel, name="job-cancel"),
    path(
        "visits/<int:visit_id>/versions/<int:number>/publish/",
        views.version_publish,
        name="publish",
    ),
    path("visits/<int:visit_id>/diff/<int:old>/<int:new>/", views.version_diff, name="diff"),
    path("visits/<int:visit_id>/slots/<int:slot_id>/lock/", views.slot_lock, name="slot-lock"),
    path("visits/<int:visit_id>/slots/<int:slot_id>/move/", views.slot_move, name="slot-move"),
]
