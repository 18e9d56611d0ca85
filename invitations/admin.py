from django.contrib import admin

from invitations.models import Invitation, PendingSync


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("person", "activity", "role", "state", "sequence", "partstat", "sent_at")
    list_filter = ("state", "role", "partstat")
    search_fields = ("person__full_name", "person__email", "uid")
    readonly_fields = ("uid", "content", "content_hash", "email")
    raw_id_fields = ("visit", "activity", "person")


@admin.register(PendingSync)
class PendingSyncAdmin(admin.ModelAdmin):
    list_display = ("programme", "person_ids", "resend", "due_at")
    raw_id_fields = ("programme",)
