from django.contrib import admin

from delegations.models import (
    Delegation,
    Guest,
    GuestLanguage,
    Interpreter,
    LanguageDirection,
    SubGroup,
)
from planner.admin_tenancy import OrganisationScopedAdmin, OrganisationScopedInline


class GuestInline(OrganisationScopedInline, admin.StackedInline):
    model = Guest
    extra = 0
    fields = [
        ("full_name", "country"),
        ("organisation", "position"),
        ("email", "preferred_language"),
        ("subgroup", "dietary_needs"),
        ("arrival", "departure"),
    ]


class SubGroupInline(OrganisationScopedInline, admin.TabularInline):
    model = SubGroup
    extra = 0


@admin.register(Delegation)
class DelegationAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["name", "visit"]
    list_select_related = ["visit"]
    list_filter = ["visit"]
    search_fields = ["name"]
    inlines = [SubGroupInline, GuestInline]


class GuestLanguageInline(OrganisationScopedInline, admin.TabularInline):
    model = GuestLanguage
    extra = 0


@admin.register(Guest)
class GuestAdmin(OrganisationScopedAdmin):
    organisation_path = "delegation__visit__owner"
    list_display = ["full_name", "country", "organisation", "delegation", "preferred_language"]
    list_filter = ["country", "preferred_language", "delegation"]
    list_select_related = ["delegation"]
    search_fields = ["full_name", "organisation", "email"]
    inlines = [GuestLanguageInline]


class DirectionInline(OrganisationScopedInline, admin.TabularInline):
    model = LanguageDirection
    extra = 0


@admin.register(Interpreter)
class InterpreterAdmin(OrganisationScopedAdmin):
    organisation_path = "owner"
    list_display = ["person", "owner", "daily_cap_minutes"]
    list_select_related = ["person", "owner"]
    search_fields = ["person__full_name"]
    inlines = [DirectionInline]
