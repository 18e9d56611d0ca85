"""The Django admin as an operator's back office, scoped to an organisation.

Each ModelAdmin says how its rows reach the organisation that owns them
(``organisation_path = "visit__owner"``). For a user who is not a superuser, everything the
admin reads goes through that path: the changelist, the change, delete and history pages (a
row of another organisation does not exist), the choices of every foreign key and many-to-many
field (and the autocomplete behind them, which asks the target's admin), and the list filters.
The owner itself is never picked: it is shown, and set to the user's organisation. A staff user
who plans for no organisation sees no organisation data at all.

A test walks ``admin.site._registry``: a ModelAdmin without this mixin fails it.
"""

from django.contrib import admin
from django.contrib.admin.filters import RelatedOnlyFieldListFilter
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet

from planner.models import Organisation

# Models that no ModelAdmin of their own shows, but that forms point to.
UNREGISTERED_PATHS = {
    "events.phase": "format__owner",
    "events.readinggridquestion": "format__owner",
    "events.activityhost": "activity__visit__owner",
    "delegations.subgroup": "delegation__visit__owner",
    "delegations.guestlanguage": "guest__delegation__visit__owner",
    "delegations.languagedirection": "interpreter__owner",
    "scheduling.interpreterassignment": "slot__version__programme__visit__owner",
    "scheduling.solvejob": "programme__visit__owner",
    "scheduling.accesstoken": "visit__owner",
}
SELF = ""  # the path of Organisation itself


def user_organisation(request) -> Organisation | None:
    cached = getattr(request, "_admin_organisation", False)
    if cached is not False:
        return cached
    try:
        organisation = request.user.organiser.organisation
    except (ObjectDoesNotExist, AttributeError):
        organisation = None
    request._admin_organisation = organisation
    return organisation


def organisation_path_of(model: type[models.Model]) -> str | None:
    """How rows of ``model`` reach their organisation; None when nobody said (then a
    non-superuser is offered none of them)."""
    if model is Organisation:
        return SELF
    model_admin = admin.site._registry.get(model)
    path = getattr(model_admin, "organisation_path", None)
    if path is not None:
        return path
    return UNREGISTERED_PATHS.get(model._meta.label_lower)


def organisation_of(obj: models.Model, path: str | None) -> Organisation | None:
    """The organisation a row belongs to, by following its ``organisation_path``."""
    if path is None:
        return None
    for name in filter(None, path.split("__")):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def scope(queryset: QuerySet, request, path: str | None = None) -> QuerySet:
    """``queryset`` as the request's user may see it in the admin."""
    if request.user.is_superuser:
        return queryset
    if path is None:
        path = organisation_path_of(queryset.model)
    organisation = user_organisation(request)
    if organisation is None or path is None:
        return queryset.none()
    if path == SELF:
        return queryset.filter(pk=organisation.pk)
    # Paths follow foreign keys and one-to-ones only, so the filter cannot repeat a row.
    return queryset.filter(**{path: organisation})


class _ScopedChoices:
    """Foreign keys and many-to-many fields offer only what the user's organisation owns."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scoped_field(field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scoped_field(field, request)


def _scoped_field(field, request):
    if field is not None and hasattr(field, "queryset") and not request.user.is_superuser:
        field.queryset = scope(field.queryset, request)
    return field


class OrganisationScopedAdmin(_ScopedChoices, admin.ModelAdmin):
    """Base of every ModelAdmin: set ``organisation_path`` (``""`` for Organisation)."""

    organisation_path: str
    # Django 6's default, asked for now (5.2 warns on every form with a URL field).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # What a save or a delete does beyond its row: the same services the API calls after it
    # (crud.Resource.after_save/after_delete), so an edit here reaches feeds, travel times and
    # merged windows as an edit anywhere else does. Wrap in staticmethod.
    after_save = None  # callable(*, instance, organisation)
    after_delete = None  # callable(*, instance)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if self.after_save is not None:
            self.after_save(instance=obj, organisation=organisation_of(obj, self.organisation_path))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        if self.after_delete is not None:
            self.after_delete(instance=obj)

    def delete_queryset(self, request, queryset):
        if self.after_delete is None:
            return super().delete_queryset(request, queryset)
        # One by one, so each deleted row's effects follow (the admin's bulk delete action).
        for obj in queryset:
            self.delete_model(request, obj)

    def owner_field(self) -> str | None:
        """The field that points straight at the organisation, when there is one."""
        if not self.organisation_path or "__" in self.organisation_path:
            return None
        return self.organisation_path

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request, self.organisation_path)

    def has_module_permission(self, request):
        return super().has_module_permission(request) and _sees_any(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and _sees_any(request)

    def has_add_permission(self, request):
        # An organisation is created by an operator (manage.py organisation_create).
        if self.organisation_path == SELF and not request.user.is_superuser:
            return False
        return super().has_add_permission(request) and _sees_any(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _sees_any(request)

    def has_delete_permission(self, request, obj=None):
        if self.organisation_path == SELF and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj) and _sees_any(request)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        owner = self.owner_field()
        if owner and not request.user.is_superuser and owner not in fields:
            fields.append(owner)
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        owner = self.owner_field()
        organisation = user_organisation(request)
        if not owner or request.user.is_superuser or organisation is None:
            return form

        class OwnedForm(form):
            # The owner is set before validation, so the model's own checks see it.
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                if getattr(self.instance, f"{owner}_id", None) is None:
                    setattr(self.instance, owner, organisation)

        OwnedForm.__name__ = form.__name__
        return OwnedForm

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if request.user.is_superuser:
            return filters
        return [_only_own_choices(self.model, item) for item in filters]


def _only_own_choices(model, item):
    """A filter on a relation lists only the related rows that the user's rows point to."""
    if not isinstance(item, str):
        return item
    try:
        last = get_fields_from_path(model, item)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return item  # not a field path: Django's own checks report it
    return (item, RelatedOnlyFieldListFilter) if last.is_relation else item


def _sees_any(request) -> bool:
    """Superusers see everything; other staff only when they plan for an organisation."""
    return request.user.is_superuser or user_organisation(request) is not None


class OrganisationScopedInline(_ScopedChoices):
    """Mix into every inline: its rows hang on a scoped parent, its choices are scoped."""


class SuperuserOnlyAdmin:
    """Mixed before a ModelAdmin of operator infrastructure (the job queue, whose tasks carry
    ids of every organisation's rows; the groups of permissions): superusers only."""

    organisation_path = None

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


def superuser_only(site, app_labels: set[str], models: set) -> None:
    """Re-register the given apps' and models' admins as superuser-only."""
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label in app_labels or model in models:
            cls = type(model_admin)
            site.unregister(model)
            site.register(model, type(cls.__name__, (SuperuserOnlyAdmin, cls), {}))
