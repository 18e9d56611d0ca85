from django.contrib import admin

from confirmations.models import HostAnswer, HostLink, Proposal, ReplanWanted
from planner.admin_tenancy import OrganisationScopedAdmin


@admin.register(HostAnswer)
class HostAnswerAdmin(OrganisationScopedAdmin):
    organisation_path = "programme__visit__owner"
    list_display = ("created_at", "person", "activity", "answer", "start", "current")
    list_filter = ("answer", "current")
    search_fields = ("person__full_name", "activity__title", "reason")
    readonly_fields = [f.name for f in HostAnswer._meta.fields]


@admin.register(Proposal)
class ProposalAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ("sent_at", "person", "visit", "version", "kind", "reminders")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in Proposal._meta.fields]


@admin.register(HostLink)
class HostLinkAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ("person", "visit", "token", "created_at")
    # The salt derives the key: never shown.
    exclude = ("salt",)
    readonly_fields = ("visit", "person", "token", "created_at")


@admin.register(ReplanWanted)
class ReplanWantedAdmin(OrganisationScopedAdmin):
    organisation_path = "programme__visit__owner"
