"""URL list of the people pages (see orga/urls.py): hosts and their windows, guests,
interpreters, delegations and sub-groups of one visit."""

from django.urls import path

from orga import people

V = "visits/<int:visit_id>"
urlpatterns = [
    path(f"{V}/hosts/", people.host_list, name="hosts"),
    path(f"{V}/hosts/new/", people.host_edit, name="host-new"),
    path(f"{V}/hosts/<int:person_id>/", people.host_edit, name="host-edit"),
    path(f"{V}/hosts/<int:person_id>/delete/", people.host_delete, name="host-delete"),
    path(f"{V}/availability/", people.availability, name="availability"),
    path(f"{V}/people/<int:person_id>/windows/", people.person_windows, name="person-windows"),
    path(
        f"{V}/people/<int:person_id>/windows/<int:window_id>/delete/",
        people.window_delete,
        name="person-window-delete",
    ),
    path(f"{V}/guests/", people.guest_list, name="guests"),
    path(f"{V}/guests/new/", people.guest_edit, name="guest-new"),
    path(f"{V}/guests/<int:guest_id>/", people.guest_edit, name="guest-edit"),
    path(f"{V}/guests/<int:guest_id>/delete/", people.guest_delete, name="guest-delete"),
    path(f"{V}/interpreters/", people.interpreter_list, name="interpreters"),
    path(f"{V}/interpreters/new/", people.interpreter_edit, name="interpreter-new"),
    path(f"{V}/interpreters/join/", people.interpreter_join, name="interpreter-join"),
    path(
        f"{V}/interpreters/<int:interpreter_id>/", people.interpreter_edit, name="interpreter-edit"
    ),
    path(
        f"{V}/interpreters/<int:interpreter_id>/leave/",
        people.interpreter_leave,
        name="interpreter-leave",
    ),
    path(
        f"{V}/interpreters/<int:interpreter_id>/delete/",
        people.interpreter_delete,
        name="interpreter-delete",
    ),
    path(f"{V}/delegations/", people.delegation_list, name="delegations"),
    path(f"{V}/delegations/new/", people.delegation_edit, name="delegation-new"),
    path(f"{V}/delegations/<int:delegation_id>/", people.delegation_edit, name="delegation-edit"),
    path(
        f"{V}/delegations/<int:delegation_id>/delete/",
        people.delegation_delete,
        name="delegation-delete",
    ),
    path(f"{V}/subgroups/new/", people.subgroup_edit, name="subgroup-new"),
    path(f"{V}/subgroups/<int:subgroup_id>/", people.subgroup_edit, name="subgroup-edit"),
    path(
        f"{V}/subgroups/<int:subgroup_id>/delete/", people.subgroup_delete, name="subgroup-delete"
    ),
]
