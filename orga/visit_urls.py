"""URL list of one organiser area (see orga/urls.py): a visit's settings, venues and travel
times, and activities."""

from django.urls import path

from orga import activities, venues, visits

urlpatterns = [
    path("visits/new/", visits.visit_new, name="visit-new"),
    path("visits/<int:visit_id>/settings/", visits.visit_edit, name="visit-edit"),
    path("visits/<int:visit_id>/duplicate/", visits.visit_copy, name="visit-duplicate"),
    path("visits/<int:visit_id>/archive/", visits.visit_archive, name="visit-archive"),
    path("visits/<int:visit_id>/venues/", venues.venue_list, name="venues"),
    path("visits/<int:visit_id>/venues/new/", venues.venue_edit, name="venue-new"),
    path("visits/<int:visit_id>/venues/<int:venue_id>/", venues.venue_edit, name="venue-edit"),
    path(
        "visits/<int:visit_id>/venues/<int:venue_id>/delete/",
        venues.venue_delete,
        name="venue-delete",
    ),
    path("visits/<int:visit_id>/travel/", venues.travel, name="travel"),
    path("visits/<int:visit_id>/activities/", activities.activity_list, name="activities"),
    # The address of the page it replaces (events' "Add an activity"), kept for bookmarks.
    path("visits/<int:visit_id>/activities/new/", activities.activity_edit, name="activity-new"),
    path(
        "visits/<int:visit_id>/activities/<int:activity_id>/",
        activities.activity_edit,
        name="activity-edit",
    ),
    path(
        "visits/<int:visit_id>/activities/<int:activity_id>/delete/",
        activities.activity_delete,
        name="activity-delete",
    ),
]
