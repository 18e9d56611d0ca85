"""URL list of one organiser area (see orga/urls.py): the workbench on a visit."""

from django.urls import path

from orga import workbench

urlpatterns: list = [
    path("visits/<int:visit_id>/check/", workbench.visit_check, name="visit-check"),
]
