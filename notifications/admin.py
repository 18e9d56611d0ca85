from django.contrib import admin

from notifications.models import OutgoingEmail, PendingChange
from planner.admin_tenancy import OrganisationScopedAdmin


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ("created_at", "to_email", "kind", "subject", "state", "attempts", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("to_email", "to_name", "subject")
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    exclude = ("body_text", "body_html", "attachments")


@admin.register(PendingChange)
class PendingChangeAdmin(OrganisationScopedAdmin):
    organisation_path = "visit__owner"
    list_display = ("created_at", "email", "topic", "line")
    exclude = ("link",)
