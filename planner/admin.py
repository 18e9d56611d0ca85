from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from planner.admin_tenancy import OrganisationScopedAdmin, superuser_only
from planner.models import ApiToken, Invitation, Organisation, Organiser
from planner.services import api_token_create


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = ""
    list_display = ["name", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "city"]


@admin.register(Organiser)
class OrganiserAdmin(OrganisationScopedAdmin):
    organisation_path = "organisation"
    list_display = ["user", "organisation", "role"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(Invitation)
class InvitationAdmin(OrganisationScopedAdmin):
    """Invitations are made and revoked on the team page; the admin shows them."""

    organisation_path = "organisation"
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["organisation"]
    search_fields = ["email"]
    readonly_fields = ["created_at", "accepted_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(OrganisationScopedAdmin):
    """Tokens are the product's "My API tokens" page; here an operator who is not a
    superuser sees and mints only their own."""

    organisation_path = "user__organiser__organisation"
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at"]

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        return rows if request.user.is_superuser else rows.filter(user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(pk=request.user.pk)
            field.initial = request.user.pk
        return field

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.user = request.user  # whatever was posted
        if change:
            return super().save_model(request, obj, form, change)
        token, key = api_token_create(user=obj.user, name=obj.name)
        obj.pk = token.pk
        self.message_user(
            request,
            _("Copy this key now, it is not shown again: %(key)s") % {"key": key},
            messages.WARNING,
        )


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ScopedUserAdmin(OrganisationScopedAdmin, UserAdmin):
    """Accounts of the operator's own organisation; who is staff or superuser, and what
    permissions one has, is a superuser's decision."""

    organisation_path = "organiser__organisation"
    PRIVILEGES = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in self.PRIVILEGES if name not in fields]
        return fields

    def has_add_permission(self, request):
        # Organisers join through an invitation (or organisation_create), not here.
        return request.user.is_superuser and super().has_add_permission(request)


# django_q registers its admin before this app (INSTALLED_APPS order).
superuser_only(admin.site, {"django_q"}, {Group})
