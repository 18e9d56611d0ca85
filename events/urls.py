from django.urls import path

from events import edit_views, import_views

app_name = "events"
urlpatterns = [
    path("visits/<int:visit_id>/windows/", edit_views.host_windows, name="windows"),
    path(
        "visits/<int:visit_id>/windows/<int:window_id>/delete/",
        edit_views.host_window_delete,
        name="window-delete",
    ),
    path("visits/<int:visit_id>/import/", import_views.visit_import_page, name="import"),
    path(
        "visits/<int:visit_id>/import/template/<str:kind>.<str:fmt>",
        import_views.import_template,
        name="import-template",
    ),
]
