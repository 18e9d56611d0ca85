from django.urls import path

from events import import_views

app_name = "events"
urlpatterns = [
    path("visits/<int:visit_id>/import/", import_views.visit_import_page, name="import"),
    path(
        "visits/<int:visit_id>/import/template/<str:kind>.<str:fmt>",
        import_views.import_template,
        name="import-template",
    ),
]
