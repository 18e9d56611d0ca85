from django.contrib import admin

from notifications.models import OutgoingEmail, PendingChange


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to_email", "kind", "subject", "state", "attempts", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("to_email", "to_name", "subject")
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    exclude = ("body_text", "body_html", "attachments")


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "email", "topic", "line")
    exclude = ("link",)
