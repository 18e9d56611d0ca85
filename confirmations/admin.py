from django.contrib import admin

from confirmations.models import HostAnswer, HostLink, Proposal, ReplanWanted


@admin.register(HostAnswer)
class HostAnswerAdmin(admin.ModelAdmin):
    list_display = ("created_at", "person", "activity", "answer", "start", "current")
    list_filter = ("answer", "current")
    search_fields = ("person__full_name", "activity__title", "reason")
    readonly_fields = [f.name for f in HostAnswer._meta.fields]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "person", "visit", "version", "kind", "reminders")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in Proposal._meta.fields]


@admin.register(HostLink)
class HostLinkAdmin(admin.ModelAdmin):
    list_display = ("person", "visit", "token", "created_at")
    # The salt derives the key: never shown.
    exclude = ("salt",)
    readonly_fields = ("visit", "person", "token", "created_at")


admin.site.register(ReplanWanted)
