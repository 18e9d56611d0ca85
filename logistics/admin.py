from django.contrib import admin

from logistics import services
from logistics.models import (
    ActivityGuest,
    Companion,
    Journey,
    LegAssignment,
    LetterTemplate,
    LogisticsSnapshot,
    MealService,
    Stay,
    Vehicle,
)
from planner.admin_tenancy import OrganisationScopedAdmin


@admin.register(Journey)
class JourneyAdmin(OrganisationScopedAdmin):
    organisation_path = "guest__delegation__visit__owner"
    list_display = ["guest", "direction", "mode", "place", "time", "reference", "transfer"]
    list_filter = ["direction", "mode", "guest__delegation__visit"]
    list_select_related = ["guest", "place"]
    search_fields = ["guest__full_name", "reference"]
    autocomplete_fields = ["guest"]
    # Guests' calendar feeds show their own arrival and departure.
    after_save = staticmethod(services.journeys_changed_send)
    after_delete = staticmethod(services.journeys_changed_send)


@admin.register(Stay)
class StayAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["venue", "first_night", "last_night", "delegation", "subgroup", "guest", "room"]
    list_filter = ["visit"]
    list_select_related = ["venue", "delegation", "subgroup", "guest"]
    search_fields = ["venue__name", "guest__full_name"]


@admin.register(Vehicle)
class VehicleAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["name", "visit", "seats", "driver", "available_from", "available_until"]
    list_filter = ["visit"]
    list_select_related = ["visit", "driver"]
    search_fields = ["name", "driver__full_name"]


@admin.register(LegAssignment)
class LegAssignmentAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["leg_key", "vehicle", "visit"]
    list_filter = ["visit"]
    list_select_related = ["vehicle", "visit"]
    search_fields = ["leg_key"]


@admin.register(MealService)
class MealServiceAdmin(OrganisationScopedAdmin):
    organisation_path = "venue__visit__owner"
    list_display = ["venue", "serves_meals", "caterer", "language", "capacity"]
    list_filter = ["serves_meals", "language"]
    list_select_related = ["venue"]
    search_fields = ["venue__name", "caterer"]


@admin.register(ActivityGuest)
class ActivityGuestAdmin(OrganisationScopedAdmin):
    organisation_path = "activity__visit__owner"
    list_display = ["activity", "guest"]
    list_select_related = ["activity", "guest"]
    search_fields = ["activity__title", "guest__full_name"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["visit", "language", "subject"]
    list_filter = ["language"]
    list_select_related = ["visit"]


@admin.register(LogisticsSnapshot)
class LogisticsSnapshotAdmin(OrganisationScopedAdmin):
    """A record of what was published: read only."""

    organisation_path = "version__programme__visit__owner"
    list_display = ["version", "taken_at"]
    list_select_related = ["version__programme__visit"]
    readonly_fields = ["version", "taken_at", "data"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Companion)
class CompanionAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["person", "visit", "subgroup", "note"]
    list_filter = ["visit"]
    list_select_related = ["person", "visit", "subgroup"]
    search_fields = ["person__full_name"]
