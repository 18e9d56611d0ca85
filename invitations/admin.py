from django.contrib import admin

from invitations.models import Invitation, PendingSync
from planner.admin_tenancy import OrganisationScopedAdmin


@admin.register(Invitation)
class InvitationAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ("person", "activity", "role", "state", "sequence", "partstat", "sent_at")
    list_filter = ("state", "role", "partstat")
    search_fields = ("person__full_name", "person__email", "uid")
    # What was sent is a record: read only (a change here would not be sent).
    readonly_fields = [f.name for f in Invitation._meta.fields]


@admin.register(PendingSync)
class PendingSyncAdmin(OrganisationScopedAdmin):
    organisation_path = "programme__visit__owner"
    list_display = ("programme", "person_ids", "resend", "due_at")
    readonly_fields = [f.name for f in PendingSync._meta.fields]
