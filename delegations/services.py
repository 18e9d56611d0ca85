from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from delegations.models import Guest, GuestLanguage, Interpreter, LanguageDirection
from planner.codes import validate_language_code


def _check_codes(field: str, rows: list[dict], keys: tuple[str, ...]) -> None:
    errors = {}
    for index, row in enumerate(rows):
        for key in keys:
            try:
                validate_language_code(row[key])
            except ValidationError as exc:
                errors[f"{field}.{index}.{key}"] = exc.messages
    if errors:
        raise ValidationError(errors)


def guest_set_languages(*, instance: Guest, organisation, languages: list[dict]) -> None:
    _check_codes("languages", languages, ("language",))
    codes = [row["language"] for row in languages]
    if len(set(codes)) != len(codes):
        raise ValidationError({"languages": _("A language is listed twice.")})
    instance.languages.all().delete()
    GuestLanguage.objects.bulk_create(
        GuestLanguage(guest=instance, language=row["language"], level=row["level"])
        for row in languages
    )


def interpreter_set_directions(*, instance: Interpreter, organisation, directions: list[dict]):
    _check_codes("directions", directions, ("source", "target"))
    pairs = [(row["source"], row["target"]) for row in directions]
    if any(source == target for source, target in pairs):
        raise ValidationError({"directions": _("Interpreting needs two different languages.")})
    if len(set(pairs)) != len(pairs):
        raise ValidationError({"directions": _("A direction is listed twice.")})
    instance.directions.all().delete()
    LanguageDirection.objects.bulk_create(
        LanguageDirection(interpreter=instance, source=source, target=target)
        for source, target in pairs
    )
