from django.contrib import admin

from planner.admin_tenancy import OrganisationScopedAdmin, OrganisationScopedInline
from scheduling.models import InterpreterAssignment, Programme, ProgrammeVersion, Slot


class ReadOnlyMixin:
    """Versions are immutable records: changes go through the services as a new version."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SlotInline(ReadOnlyMixin, OrganisationScopedInline, admin.TabularInline):
    model = Slot
    extra = 0
    fields = ["activity", "venue", "start", "end", "status", "locked", "change_reason"]
    readonly_fields = fields


@admin.register(Programme)
class ProgrammeAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["visit", "current_version", "auto_publish"]
    list_select_related = ["visit", "current_version"]


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(ReadOnlyMixin, OrganisationScopedAdmin):
    organisation_path = "programme__visit__owner"
    list_display = ["programme", "number", "source", "solver_status", "objective", "published_at"]
    list_filter = ["source", "solver_status", "programme"]
    list_select_related = ["programme__visit"]
    inlines = [SlotInline]


class AssignmentInline(ReadOnlyMixin, OrganisationScopedInline, admin.TabularInline):
    model = InterpreterAssignment
    extra = 0
    readonly_fields = ["interpreter", "source", "target"]


@admin.register(Slot)
class SlotAdmin(ReadOnlyMixin, OrganisationScopedAdmin):
    organisation_path = "version__programme__visit__owner"
    list_display = ["activity", "version", "start", "end", "status", "locked"]
    list_filter = ["status", "locked"]
    list_select_related = ["activity", "version__programme__visit"]
    inlines = [AssignmentInline]
