"""Declarative CRUD routes: one ``Resource`` per entity, mounted on its app's router.

Every entity of the domain needs the same five operations with the same tenancy rules; a
resource states only what differs (schemas, the selector that scopes it, which references
point where, and an optional service for the writes that need more than field assignment).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db import router as db_router
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from planner.api_support import READ_ERRORS, Pagination, organisation_of, responses
from planner.models import Organisation
from planner.schema_types import MAX_ID

Scope = Callable[[Organisation, Any], QuerySet]


@dataclass(frozen=True)
class Resource:
    name: str
    plural: str
    model: type[models.Model]
    schema_in: type
    schema_out: type
    select: Scope
    # field name -> selector of the objects that field may point to (a FK or an M2M).
    references: dict[str, Scope] = field(default_factory=dict)
    # Input fields written by ``after_save`` (children, through-tables), not by assignment.
    nested: tuple[str, ...] = ()
    before_validate: Callable[..., None] | None = None
    after_save: Callable[..., None] | None = None
    # Called in the delete's transaction with the scope (the visit): for state derived from
    # the collection, such as calendar feeds.
    after_delete: Callable[..., None] | None = None
    # Raises ValidationError with what still uses the instance, so a delete is refused with
    # its reasons (pages and API alike) instead of cascading or failing on a protected link.
    before_delete: Callable[..., None] | None = None
    # The field that ties a new instance to its scope (the visit, or the organisation).
    owner_field: str | None = "visit"


def _resolve(resource: Resource, organisation, scope_obj, data: dict) -> tuple[dict, dict]:
    """Turn referenced ids into objects, refusing ids outside the organiser's scope."""
    plain, many = {}, {}
    errors: dict[str, str] = {}
    for name, value in data.items():
        scope = resource.references.get(name)
        if scope is None:
            plain[name] = value
            continue
        queryset = scope(organisation, scope_obj)
        if isinstance(value, list):
            found = {obj.pk: obj for obj in queryset.filter(pk__in=value)}
            missing = [pk for pk in value if pk not in found]
            if missing:
                errors[name] = _("Unknown ids here: %(ids)s.") % {
                    "ids": ", ".join(map(str, missing))
                }
            many[name] = list(found.values())
        elif value is None:
            plain[name] = None
        else:
            obj = queryset.filter(pk=value).first()
            if obj is None:
                errors[name] = _("No such %(what)s here (id %(id)s).") % {
                    "what": resource.model._meta.get_field(name).related_model._meta.verbose_name,
                    "id": value,
                }
            plain[name] = obj
    if errors:
        raise ValidationError(errors)
    return plain, many


@transaction.atomic
def resource_save(resource: Resource, *, organisation, scope_obj, instance=None, data: dict):
    """Assign, validate (model and database constraints), save; all or nothing."""
    nested = {k: data.pop(k) for k in resource.nested}
    plain, many = _resolve(resource, organisation, scope_obj, data)
    if instance is None:
        owner = {resource.owner_field: scope_obj} if resource.owner_field else {}
        instance = resource.model(**owner)
    for name, value in plain.items():
        setattr(instance, name, value)
    if resource.before_validate:
        resource.before_validate(instance=instance, organisation=organisation)
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise _unique_on_field(instance, exc) from None
    instance.save()
    for name, objects in many.items():
        getattr(instance, name).set(objects)
    if resource.after_save:
        resource.after_save(instance=instance, organisation=organisation, **nested)
    return instance


def _unique_on_field(instance: models.Model, exc: ValidationError) -> ValidationError:
    """A duplicate name is refused on the name's field, not on the whole record.

    Django reports a constraint over several fields (owner and name) as a non-field error; the
    field that differs between siblings is the constraint's last one (the name).
    """
    if not hasattr(exc, "error_dict"):
        return exc
    errors = dict(exc.error_dict)
    kept = []
    for error in errors.pop(NON_FIELD_ERRORS, []):
        fields = (error.params or {}).get("unique_check") or ()
        if error.code == "unique_together" and fields:
            field = instance._meta.get_field(fields[-1])
            errors.setdefault(field.name, []).append(
                ValidationError(
                    _("Another %(what)s here already has this %(field)s.")
                    % {"what": instance._meta.verbose_name, "field": field.verbose_name},
                    code="unique",
                )
            )
        else:
            kept.append(error)
    if kept:
        errors[NON_FIELD_ERRORS] = kept
    return ValidationError(errors)


def still_used(instance: models.Model, *, owned: tuple[str, ...] = (), limit: int = 5) -> list[str]:
    """What deleting ``instance`` would take along or is blocked by, beyond its own parts.

    ``owned`` names the models ("app.Model") that belong to the instance and may go with it
    (a guest's languages, a host's windows). Each other record is named, at most ``limit``.
    """
    collector = NestedObjects(using=db_router.db_for_write(instance.__class__))
    collector.collect([instance])
    found = [obj for objs in collector.model_objs.values() for obj in objs]
    found += list(collector.protected)
    reasons = []
    for obj in found:
        meta = obj._meta
        if obj == instance or meta.auto_created or meta.label in owned:
            continue
        reasons.append(
            _("Still linked to %(what)s “%(object)s”.") % {"what": meta.verbose_name, "object": obj}
        )
    if len(reasons) > limit:
        rest = len(reasons) - limit
        reasons = [*reasons[:limit], _("And %(count)d more.") % {"count": rest}]
    return reasons


@transaction.atomic
def resource_delete(instance: models.Model, *, resource: Resource | None = None) -> None:
    if resource is not None and resource.before_delete:
        resource.before_delete(instance=instance)
    try:
        instance.delete()
    except models.ProtectedError as exc:
        raise ValidationError(
            _("Still used by %(count)d other record(s); remove those first.")
            % {"count": len(exc.protected_objects)}
        ) from exc


REQUIRED = Path(...)


class ItemPath(Schema):
    item_id: int = Field(ge=1, le=MAX_ID)


class VisitPath(Schema):
    visit_id: int = Field(ge=1, le=MAX_ID)


class VisitItemPath(VisitPath):
    item_id: int = Field(ge=1, le=MAX_ID)


def mount(router: Router, resource: Resource, *, parent: Callable | None, prefix: str) -> None:
    """Add list/get/create/update/delete of ``resource`` under ``prefix``.

    ``parent(organisation, visit_id=...)`` returns the scope object (a visit) or 404; with no
    parent the scope is the organisation itself.
    """
    schema_in, schema_out, name = resource.schema_in, resource.schema_out, resource.name
    tags = [resource.plural.replace("-", " ")]
    item = prefix + "/{item_id}"
    item_path = VisitItemPath if parent else ItemPath

    def scope_of(request, path: Schema | None):
        organisation = organisation_of(request)
        if parent is None:
            return organisation, organisation
        return organisation, parent(organisation, **path.model_dump(exclude={"item_id"}))

    def lookup(request, path: Schema):
        organisation, scope_obj = scope_of(request, path)
        instance = get_object_or_404(resource.select(organisation, scope_obj), pk=path.item_id)
        return organisation, scope_obj, instance

    def save(request, path: Schema, payload, instance=None):
        organisation, scope_obj = scope_of(request, path)
        saved = resource_save(
            resource,
            organisation=organisation,
            scope_obj=scope_obj,
            instance=instance,
            data=payload.model_dump(),
        )
        # Read back through the selector, so the answer has the same shape as a GET.
        return resource.select(organisation, scope_obj).get(pk=saved.pk)

    # An organisation-level collection has no path parameter, so its handlers take none.
    if parent:

        def list_items(request, path: VisitPath = REQUIRED):
            return resource.select(*scope_of(request, path))

        def create_item(request, payload: schema_in, path: VisitPath = REQUIRED):
            return Status(201, save(request, path, payload))

    else:

        def list_items(request):
            return resource.select(*scope_of(request, None))

        def create_item(request, payload: schema_in):
            return Status(201, save(request, None, payload))

    router.get(
        prefix,
        response=responses({200: list[schema_out]}, READ_ERRORS),
        operation_id=f"{name}_list",
        tags=tags,
    )(paginate(Pagination)(list_items))
    router.post(
        prefix, response=responses({201: schema_out}), operation_id=f"{name}_create", tags=tags
    )(create_item)

    @router.get(
        item,
        response=responses({200: schema_out}, READ_ERRORS),
        operation_id=f"{name}_get",
        tags=tags,
    )
    def get_item(request, path: item_path = REQUIRED):
        return lookup(request, path)[2]

    @router.put(
        item, response=responses({200: schema_out}), operation_id=f"{name}_update", tags=tags
    )
    def update_item(request, payload: schema_in, path: item_path = REQUIRED):
        return save(request, path, payload, instance=lookup(request, path)[2])

    @router.delete(item, response=responses({204: None}), operation_id=f"{name}_delete", tags=tags)
    def delete_item(request, path: item_path = REQUIRED):
        organisation, scope_obj, instance = lookup(request, path)
        with transaction.atomic():
            resource_delete(instance, resource=resource)
            if resource.after_delete:
                resource.after_delete(organisation=organisation, scope_obj=scope_obj)
        return Status(204, None)
