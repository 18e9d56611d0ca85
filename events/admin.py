from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events import services
from events.models import (
    Activity,
    ActivityHost,
    Availability,
    Person,
    Phase,
    Precedence,
    ReadingGridQuestion,
    TravelTime,
    Venue,
    Visit,
    VisitFormat,
)
from planner.admin_tenancy import OrganisationScopedAdmin, OrganisationScopedInline


class PhaseInline(OrganisationScopedInline, admin.TabularInline):
    model = Phase
    extra = 0


class QuestionInline(OrganisationScopedInline, admin.TabularInline):
    model = ReadingGridQuestion
    extra = 0


@admin.register(VisitFormat)
class VisitFormatAdmin(OrganisationScopedAdmin):
    organisation_path = "owner"
    list_display = ["name", "owner"]
    search_fields = ["name"]
    inlines = [PhaseInline, QuestionInline]


class VenueInline(OrganisationScopedInline, admin.TabularInline):
    model = Venue
    extra = 0
    fields = ["name", "kind", "city", "latitude", "longitude", "capacity"]


@admin.register(Visit)
class VisitAdmin(OrganisationScopedAdmin):
    organisation_path = "owner"
    list_display = ["title", "kind", "start_date", "end_date", "owner"]
    list_filter = ["kind", "owner"]
    search_fields = ["title", "description"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["interpreters"]
    inlines = [VenueInline]
    actions = ["estimate_travel_times"]

    @admin.action(description=_("Estimate missing travel times from coordinates"))
    def estimate_travel_times(self, request, queryset):
        total = sum(len(services.travel_times_estimate(visit=visit)) for visit in queryset)
        self.message_user(
            request,
            ngettext("%(n)d travel time estimated.", "%(n)d travel times estimated.", total)
            % {"n": total},
            messages.SUCCESS,
        )


@admin.register(Venue)
class VenueAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["name", "visit", "kind", "city", "country", "capacity"]
    list_filter = ["kind", "visit"]
    list_select_related = ["visit"]
    search_fields = ["name", "address", "city"]
    # The travel matrix stays whole (estimates from coordinates), as after any other save.
    after_save = staticmethod(services.venue_after_save)


@admin.register(TravelTime)
class TravelTimeAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["origin", "destination", "minutes", "source", "visit"]
    list_filter = ["source", "visit"]
    list_select_related = ["origin", "destination", "visit"]
    search_fields = ["origin__name", "destination__name"]


class AvailabilityInline(OrganisationScopedInline, admin.TabularInline):
    model = Availability
    extra = 0


@admin.register(Person)
class PersonAdmin(OrganisationScopedAdmin):
    organisation_path = "owner"
    list_display = ["full_name", "role", "position", "affiliation", "preferred_language"]
    list_filter = ["role", "preferred_language"]
    list_select_related = ["affiliation"]
    search_fields = ["full_name", "position", "email"]
    inlines = [AvailabilityInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # Touching windows become one, as after a save anywhere else.
        for window in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            if isinstance(window, Availability) and window.pk is not None:
                services.availability_merge(instance=window)


@admin.register(Availability)
class AvailabilityAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["person", "visit", "start", "end", "kind"]
    list_filter = ["kind", "visit"]
    list_select_related = ["person", "visit"]
    search_fields = ["person__full_name"]
    # Touching windows become one (9-12 and 12-15 make 9-15), as after a save anywhere else.
    after_save = staticmethod(services.availability_merge)


class ActivityHostInline(OrganisationScopedInline, admin.TabularInline):
    model = ActivityHost
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Activity)
class ActivityAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["title", "visit", "kind", "duration_minutes", "venue", "mandatory", "phase"]
    list_filter = ["visit", "kind", "mandatory", "interpretation_mode"]
    list_select_related = ["visit", "venue", "phase"]
    search_fields = ["title", "description"]
    filter_horizontal = ["audience"]
    inlines = [ActivityHostInline]


@admin.register(Precedence)
class PrecedenceAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ["before", "after", "min_gap_minutes", "visit"]
    list_select_related = ["before", "after", "visit"]
    list_filter = ["visit"]
