"""Authentication, tenancy and error responses shared by every router."""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.security import HttpBearer, SessionAuth
from pydantic import Field

from planner.models import ApiToken, Organisation


class FieldErrorOut(Schema):
    field: str
    reason: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldErrorOut] = []


# Every operation documents the error answers it can give, so clients (and the fuzzer) know them.
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def responses(ok: dict, errors: dict = ERRORS) -> dict:
    return {**ok, **errors}


TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        if not token or len(token) > 200:
            return None
        found = (
            ApiToken.objects.select_related("user__organiser__organisation")
            .filter(key_hash=ApiToken.hash_key(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        refuse_viewer_writes(request, found.user)
        now = timezone.now()
        # "Last used" to the minute is enough, and spares a write on every request.
        if found.last_used_at is None or now - found.last_used_at > TOKEN_TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        return found.user


class OrganiserSessionAuth(SessionAuth):
    """The signed-in session (with its CSRF check), under the same role rule as tokens."""

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user:
            refuse_viewer_writes(request, user)
        return user


WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def refuse_viewer_writes(request: HttpRequest, user) -> None:
    """A viewer reads through the API, and changes nothing (403 with the reason).

    Checked where a request is authenticated, so no operation can forget it."""
    if request.method not in WRITES:
        return
    try:
        organiser = user.organiser
    except ObjectDoesNotExist:
        return  # organisation_of answers 403 for a user who plans for no organisation
    if not organiser.can_edit:
        raise HttpError(403, _("Your role in this organisation is to read, not to change."))


API_AUTH = [TokenAuth(), OrganiserSessionAuth()]


def organisation_of(request: HttpRequest) -> Organisation:
    """The organisation the authenticated user plans for; 403 for a user who plans for none."""
    user = request.auth
    cached = getattr(request, "_planner_organisation", None)
    if cached is not None:
        return cached
    try:
        organisation = user.organiser.organisation
    except ObjectDoesNotExist:
        raise HttpError(403, _("This account is not an organiser of any organisation.")) from None
    request._planner_organisation = organisation
    return organisation


class Pagination(LimitOffsetPagination):
    """Limit/offset with a bounded offset, so a huge number is a 422, not a database error."""

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(50, ge=1, le=200)
        offset: int = Field(0, ge=0, le=1_000_000)


def _field_path(loc: tuple | list) -> str:
    return ".".join(str(part) for part in loc if part not in ("payload",))


def validation_errors_from_ninja(exc: NinjaValidationError) -> list[dict]:
    return [
        {"field": _field_path(error.get("loc", ())), "reason": error.get("msg", "")}
        for error in exc.errors
    ]


def validation_errors_from_django(exc: DjangoValidationError, prefix: str = "body") -> list[dict]:
    if hasattr(exc, "error_dict"):
        errors = []
        for field, field_errors in exc.message_dict.items():
            name = prefix if field == "__all__" else f"{prefix}.{field}"
            errors.extend({"field": name, "reason": message} for message in field_errors)
        return errors
    return [{"field": prefix, "reason": message} for message in exc.messages]


def error_body(errors: list[dict]) -> dict:
    summary = "; ".join(f"{e['field']}: {e['reason']}" for e in errors)
    return {"detail": summary, "errors": errors}


def install_error_handlers(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request, exc):
        return api.create_response(
            request, error_body(validation_errors_from_ninja(exc)), status=422
        )

    @api.exception_handler(DjangoValidationError)
    def on_model_error(request, exc):
        return api.create_response(
            request, error_body(validation_errors_from_django(exc)), status=422
        )

    @api.exception_handler(IntegrityError)
    def on_integrity_error(request, exc):
        # Reached only when two requests race past validation; the transaction rolled back.
        message = _("This conflicts with existing data; reload and try again.")
        return api.create_response(
            request, error_body([{"field": "body", "reason": message}]), status=409
        )

    @api.exception_handler(DataError)
    def on_data_error(request, exc):
        # A value the database cannot store (schemas bound what they can; this is the net).
        message = _("A value is out of the range the database can store.")
        return api.create_response(
            request, error_body([{"field": "body", "reason": message}]), status=422
        )

    @api.exception_handler(ObjectDoesNotExist)
    def on_missing(request, exc):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)
