from django.urls import path  # noqa: F401 - the import pages add their routes here

app_name = "events"
urlpatterns: list = []
