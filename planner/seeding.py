"""Loading records by natural key, shared by the demo/bulk-entry JSON loader (web.seed), its
logistics section (logistics.seed) and the spreadsheet import (events.import_services): every
record checked with ``full_clean`` and named by its path in the document when refused, an
unchanged record not written, the children a document no longer lists deleted."""

from decimal import Decimal

from django.core.exceptions import ValidationError


class SeedError(Exception):
    def __init__(self, path: str, reason: str):
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}")


def error_messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            ("" if name == "__all__" else name, message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in exc.messages]


def record_save(instance, path: str, exclude: list[str] | None = None):
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        name, message = error_messages(exc)[0]
        raise SeedError(f"{path}.{name}" if name else path, message) from None
    instance.save()
    return instance


def require(data: dict, key: str, path: str):
    if key not in data:
        raise SeedError(f"{path}.{key}", "is required")
    return data[key]


def upsert(model, path: str, lookup: dict, values: dict, exclude=None):
    """Create or update by natural key; an unchanged record is not written (ids, timestamps)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup)
    elif all(same(getattr(instance, name), value) for name, value in values.items()):
        return instance
    for name, value in values.items():
        setattr(instance, name, value)
    return record_save(instance, path, exclude)


def same(current, new) -> bool:
    if isinstance(current, Decimal) and new is not None:
        return current == Decimal(str(new))
    return current == new


def keep_only(queryset, kept: list) -> None:
    """Delete the children the document no longer lists."""
    queryset.exclude(pk__in=[obj.pk for obj in kept]).delete()
