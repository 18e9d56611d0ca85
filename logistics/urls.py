"""Pages of the logistics app."""

from django.urls import path

from logistics import views

app_name = "logistics"
urlpatterns = [
    path("visits/<int:visit_id>/logistics/", views.overview, name="overview"),
    path("visits/<int:visit_id>/logistics/rooming/", views.rooming, name="rooming"),
    path(
        "visits/<int:visit_id>/logistics/vehicles/<int:vehicle_id>/",
        views.vehicle_sheet,
        name="vehicle",
    ),
    path("visits/<int:visit_id>/logistics/meals/<int:venue_id>/", views.meal_sheet, name="meals"),
    path(
        "visits/<int:visit_id>/logistics/guests/<int:guest_id>/itinerary/",
        views.itinerary,
        name="itinerary",
    ),
    path(
        "visits/<int:visit_id>/logistics/guests/<int:guest_id>/letter/",
        views.letter,
        name="letter",
    ),
]
