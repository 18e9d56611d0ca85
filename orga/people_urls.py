"""URL list of the people pages (see orga/urls.py): hosts and their windows, guests,
interpreters, delegations and sub-groups of one visit."""

from django.urls import path

from orga import guests, hosts, interpreters

V = "visits/<int:visit_id>"
urlpatterns = [
    path(f"{V}/hosts/", hosts.host_list, name="hosts"),
    path(f"{V}/hosts/new/", hosts.host_edit, name="host-new"),
    path(f"{V}/hosts/<int:person_id>/", hosts.host_edit, name="host-edit"),
    path(f"{V}/hosts/<int:person_id>/delete/", hosts.host_delete, name="host-delete"),
    path(f"{V}/availability/", hosts.availability, name="availability"),
    path(f"{V}/people/<int:person_id>/windows/", hosts.person_windows, name="person-windows"),
    path(
        f"{V}/people/<int:person_id>/windows/<int:window_id>/delete/",
        hosts.window_delete,
        name="person-window-delete",
    ),
    path(f"{V}/guests/", guests.guest_list, name="guests"),
    path(f"{V}/guests/new/", guests.guest_edit, name="guest-new"),
    path(f"{V}/guests/<int:guest_id>/", guests.guest_edit, name="guest-edit"),
    path(f"{V}/guests/<int:guest_id>/delete/", guests.guest_delete, name="guest-delete"),
    path(f"{V}/interpreters/", interpreters.interpreter_list, name="interpreters"),
    path(f"{V}/interpreters/new/", interpreters.interpreter_edit, name="interpreter-new"),
    path(f"{V}/interpreters/join/", interpreters.interpreter_join, name="interpreter-join"),
    path(
        f"{V}/interpreters/<int:interpreter_id>/",
        interpreters.interpreter_edit,
        name="interpreter-edit",
    ),
    path(
        f"{V}/interpreters/<int:interpreter_id>/leave/",
        interpreters.interpreter_leave,
        name="interpreter-leave",
    ),
    path(
        f"{V}/interpreters/<int:interpreter_id>/delete/",
        interpreters.interpreter_delete,
        name="interpreter-delete",
    ),
    path(f"{V}/delegations/", guests.delegation_list, name="delegations"),
    path(f"{V}/delegations/new/", guests.delegation_edit, name="delegation-new"),
    path(f"{V}/delegations/<int:delegation_id>/", guests.delegation_edit, name="delegation-edit"),
    path(
        f"{V}/delegations/<int:delegation_id>/delete/",
        guests.delegation_delete,
        name="delegation-delete",
    ),
    path(f"{V}/subgroups/new/", guests.subgroup_edit, name="subgroup-new"),
    path(f"{V}/subgroups/<int:subgroup_id>/", guests.subgroup_edit, name="subgroup-edit"),
    path(
        f"{V}/subgroups/<int:subgroup_id>/delete/", guests.subgroup_delete, name="subgroup-delete"
    ),
]
