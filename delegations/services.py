from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from delegations.models import (
    Delegation,
    Guest,
    GuestLanguage,
    Interpreter,
    LanguageDirection,
    SubGroup,
)
from planner.codes import validate_language_code
from planner.crud import still_used


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


def _names(objects, limit: int = 5) -> str:
    names = [str(obj) for obj in objects]
    shown = ", ".join(f"“{n}”" for n in names[:limit])
    return shown + ("…" if len(names) > limit else "")


def guest_check_deletable(*, instance: Guest) -> None:
    """A guest goes with their languages, journeys and stays; an activity that needs them
    keeps them (logistics' required guests), and says so."""
    reasons = still_used(
        instance, owned=("delegations.GuestLanguage", "logistics.Journey", "logistics.Stay")
    )
    if reasons:
        raise ValidationError(reasons)


def subgroup_check_deletable(*, instance: SubGroup) -> None:
    """A sub-group that is an activity's audience or still has guests is in use: deleting it
    would silently widen the activity to the whole delegation or leave guests groupless."""
    reasons = [
        _("“%(group)s” is the audience of “%(title)s”.")
        % {"group": instance.name, "title": activity}
        for activity in instance.activities.order_by("title")
    ]
    guests = list(instance.guests.order_by("full_name"))
    if guests:
        reasons.append(
            _("“%(group)s” has %(count)d guest(s): %(names)s.")
            % {"group": instance.name, "count": len(guests), "names": _names(guests)}
        )
    reasons += still_used(instance, owned=("logistics.Stay",))
    if reasons:
        raise ValidationError(reasons)


def delegation_check_deletable(*, instance: Delegation) -> None:
    reasons = []
    guests = list(instance.guests.order_by("full_name"))
    if guests:
        reasons.append(
            _("“%(name)s” has %(count)d guest(s): %(names)s.")
            % {"name": instance.name, "count": len(guests), "names": _names(guests)}
        )
    groups = list(instance.subgroups.order_by("name"))
    if groups:
        reasons.append(
            _("“%(name)s” has %(count)d sub-group(s): %(names)s.")
            % {"name": instance.name, "count": len(groups), "names": _names(g.name for g in groups)}
        )
    if reasons:
        raise ValidationError(reasons)
    reasons = still_used(instance, owned=("logistics.Stay",))
    if reasons:
        raise ValidationError(reasons)


def interpreter_check_deletable(*, instance: Interpreter) -> None:
    """An interpreter assigned in a programme version stays (the version is a record)."""
    reasons = still_used(instance, owned=("delegations.LanguageDirection",))
    if reasons:
        raise ValidationError(reasons)
