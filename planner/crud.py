"""Declarative CRUD routes: one ``Resource`` per entity, mounted on its app's router.

Every entity of the domain needs the same five operations with the same tenancy rules; a
resource states only what differs (schemas, the selector that scopes it, which references
point where, and an optional service for the writes that need more than field assignment).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.pagination import paginate

from planner.api_support import Pagination, organisation_of
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
    instance.full_clean()
    instance.save()
    for name, objects in many.items():
        getattr(instance, name).set(objects)
    if resource.after_save:
        resource.after_save(instance=instance, organisation=organisation, **nested)
    return instance


@transaction.atomic
def resource_delete(instance: models.Model) -> None:
    try:
        instance.delete()
    except models.ProtectedError as exc:
        raise ValidationError(
            _("Still used by %(count)d other record(s); remove those first.")
            % {"count": len(exc.protected_objects)}
        ) from exc


def _payload_dict(payload) -> dict:
    return payload.model_dump()


def mount(router: Router, resource: Resource, *, parent: Callable | None, prefix: str) -> None:
    """Add list/get/create/update/delete of ``resource`` under ``prefix``.

    ``parent(organisation, **path)`` returns the scope object (a visit) or 404; with no parent
    the scope is the organisation itself.
    """
    schema_in, schema_out, name = resource.schema_in, resource.schema_out, resource.name
    tag = resource.plural.replace("-", " ")
    item = prefix + "/{int:item_id}"

    def scope_of(request, path: dict):
        organisation = organisation_of(request)
        return organisation, (parent(organisation, **path) if parent else organisation)

    def lookup(request, path: dict, item_id: int):
        organisation, scope_obj = scope_of(request, path)
        instance = get_object_or_404(resource.select(organisation, scope_obj), pk=item_id)
        return organisation, scope_obj, instance

    ItemId = Path(..., ge=1, le=MAX_ID)

    if parent is None:

        @router.get(prefix, response=list[schema_out], operation_id=f"{name}_list", tags=[tag])
        @paginate(Pagination)
        def list_items(request):
            organisation, scope_obj = scope_of(request, {})
            return resource.select(organisation, scope_obj)

        @router.post(prefix, response={201: schema_out}, operation_id=f"{name}_create", tags=[tag])
        def create_item(request, payload: schema_in):
            organisation, scope_obj = scope_of(request, {})
            data = _payload_dict(payload)
            created = resource_save(
                resource, organisation=organisation, scope_obj=scope_obj, data=data
            )
            return 201, resource.select(organisation, scope_obj).get(pk=created.pk)

        @router.get(item, response=schema_out, operation_id=f"{name}_get", tags=[tag])
        def get_item(request, item_id: int = ItemId):
            return lookup(request, {}, item_id)[2]

        @router.put(item, response=schema_out, operation_id=f"{name}_update", tags=[tag])
        def update_item(request, payload: schema_in, item_id: int = ItemId):
            organisation, scope_obj, instance = lookup(request, {}, item_id)
            resource_save(
                resource,
                organisation=organisation,
                scope_obj=scope_obj,
                instance=instance,
                data=_payload_dict(payload),
            )
            return resource.select(organisation, scope_obj).get(pk=instance.pk)

        @router.delete(item, response={204: None}, operation_id=f"{name}_delete", tags=[tag])
        def delete_item(request, item_id: int = ItemId):
            resource_delete(lookup(request, {}, item_id)[2])
            return 204, None

        return

    VisitId = Path(..., ge=1, le=MAX_ID)

    @router.get(prefix, response=list[schema_out], operation_id=f"{name}_list", tags=[tag])
    @paginate(Pagination)
    def list_in_visit(request, visit_id: int = VisitId):
        organisation, scope_obj = scope_of(request, {"visit_id": visit_id})
        return resource.select(organisation, scope_obj)

    @router.post(prefix, response={201: schema_out}, operation_id=f"{name}_create", tags=[tag])
    def create_in_visit(request, payload: schema_in, visit_id: int = VisitId):
        organisation, scope_obj = scope_of(request, {"visit_id": visit_id})
        created = resource_save(
            resource, organisation=organisation, scope_obj=scope_obj, data=_payload_dict(payload)
        )
        return 201, resource.select(organisation, scope_obj).get(pk=created.pk)

    @router.get(item, response=schema_out, operation_id=f"{name}_get", tags=[tag])
    def get_in_visit(request, visit_id: int = VisitId, item_id: int = ItemId):
        return lookup(request, {"visit_id": visit_id}, item_id)[2]

    @router.put(item, response=schema_out, operation_id=f"{name}_update", tags=[tag])
    def update_in_visit(
        request, payload: schema_in, visit_id: int = VisitId, item_id: int = ItemId
    ):
        organisation, scope_obj, instance = lookup(request, {"visit_id": visit_id}, item_id)
        resource_save(
            resource,
            organisation=organisation,
            scope_obj=scope_obj,
            instance=instance,
            data=_payload_dict(payload),
        )
        return resource.select(organisation, scope_obj).get(pk=instance.pk)

    @router.delete(item, response={204: None}, operation_id=f"{name}_delete", tags=[tag])
    def delete_in_visit(request, visit_id: int = VisitId, item_id: int = ItemId):
        resource_delete(lookup(request, {"visit_id": visit_id}, item_id)[2])
        return 204, None
