import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from delegations.models import (
    Delegation,
    Guest,
    GuestLanguage,
    Interpreter,
    LanguageDirection,
    SubGroup,
)
from events.models import ActivityHost, Precedence, TravelTime, Visit
from events.services import visit_fill_slug
from planner.codes import validate_language_code
from planner.crud import still_used
from planner.models import Organisation


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


DUPLICATE_YEARS = (2000, 2100)


def _copy(instance, **changes):
    """An unsaved copy of ``instance`` with ``changes``: every other field as it was."""
    values = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    values.update(changes)
    return type(instance)(**values)


def _duplicate_check(organisation: Organisation, title: str, start_date: dt.date) -> None:
    errors = {}
    if Visit.objects.filter(owner=organisation, title=title).exists():
        errors["title"] = _("Another visit already has this title.")
    if not DUPLICATE_YEARS[0] <= start_date.year <= DUPLICATE_YEARS[1]:
        # Beyond these, moving the visit's dates overflows the calendar.
        errors["start_date"] = _("Pick a date between %(first)d and %(last)d.") % {
            "first": DUPLICATE_YEARS[0],
            "last": DUPLICATE_YEARS[1],
        }
    if errors:
        raise ValidationError(errors)


def _mover(zone: ZoneInfo, days: dt.timedelta):
    """Dated things move by ``days`` at the same wall-clock time in the visit's zone."""

    def moved(value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        local = value.astimezone(zone).replace(tzinfo=None) + days
        return local.replace(tzinfo=zone)

    return moved


def _copy_venues(source: Visit, visit: Visit) -> dict[int, int]:
    """The venues and travel times; the old venue id -> the new one."""
    venues = {v.pk: _copy(v, visit_id=visit.pk) for v in source.venues.all()}
    for venue in venues.values():
        venue.save()
    venue_id = {old: new.pk for old, new in venues.items()}
    if source.lodging_id:
        visit.lodging_id = venue_id[source.lodging_id]
        visit.save(update_fields=["lodging"])
    TravelTime.objects.bulk_create(
        _copy(
            t,
            visit_id=visit.pk,
            origin_id=venue_id[t.origin_id],
            destination_id=venue_id[t.destination_id],
        )
        for t in source.travel_times.all()
    )
    return venue_id


def _copy_activities(source: Visit, visit: Visit, venue_id: dict[int, int], moved) -> dict:
    """Activities with their hosts and precedences; old id -> (old, copy)."""
    activities = {}
    for activity in source.activities.prefetch_related("host_links", "audience"):
        copy = _copy(
            activity,
            visit_id=visit.pk,
            venue_id=venue_id[activity.venue_id],
            earliest=moved(activity.earliest),
            latest=moved(activity.latest),
            fixed_start=moved(activity.fixed_start),
        )
        copy.save()
        activities[activity.pk] = (activity, copy)
    ActivityHost.objects.bulk_create(
        ActivityHost(activity=copy, person_id=link.person_id, required=link.required)
        for activity, copy in activities.values()
        for link in activity.host_links.all()
    )
    Precedence.objects.bulk_create(
        _copy(
            p,
            visit_id=visit.pk,
            before_id=activities[p.before_id][1].pk,
            after_id=activities[p.after_id][1].pk,
        )
        for p in source.precedences.all()
    )
    return activities


def _copy_delegations(
    source: Visit, visit: Visit, venue_id: dict[int, int], moved
) -> dict[int, SubGroup]:
    """Delegations, sub-groups and guests with their languages; old sub-group id -> copy."""
    subgroups: dict[int, SubGroup] = {}
    for delegation in source.delegations.prefetch_related("subgroups", "guests__languages"):
        new_delegation = _copy(delegation, visit_id=visit.pk)
        new_delegation.save()
        for group in delegation.subgroups.all():
            lodging = venue_id.get(group.lodging_id) if group.lodging_id else None
            subgroups[group.pk] = _copy(group, delegation_id=new_delegation.pk, lodging_id=lodging)
            subgroups[group.pk].save()
        for guest in delegation.guests.all():
            group = subgroups.get(guest.subgroup_id) if guest.subgroup_id else None
            new_guest = _copy(
                guest,
                delegation_id=new_delegation.pk,
                subgroup_id=group.pk if group else None,
                arrival=moved(guest.arrival),
                departure=moved(guest.departure),
            )
            new_guest.save()
            GuestLanguage.objects.bulk_create(
                GuestLanguage(guest=new_guest, language=g.language, level=g.level)
                for g in guest.languages.all()
            )
    return subgroups


@transaction.atomic
def visit_duplicate(
    *, source: Visit, organisation: Organisation, title: str, start_date: dt.date
) -> Visit:
    """A new visit starting on ``start_date`` from an earlier one: its settings, venues and
    travel times, activities with hosts, audiences and precedences, delegations with their
    sub-groups and guests, and interpreters. Dated things move by as many days at the same
    wall-clock time. Hosts' windows and answers, programmes and versions stay behind: they
    belong to the earlier dates."""
    _duplicate_check(organisation, title, start_date)
    days = start_date - source.start_date
    moved = _mover(ZoneInfo(source.time_zone), days)
    visit = _copy(
        source,
        owner_id=organisation.pk,
        title=title,
        slug="",
        start_date=start_date,
        end_date=source.end_date + days,
        lodging_id=None,
        delegation_arrives=moved(source.delegation_arrives),
        delegation_leaves=moved(source.delegation_leaves),
        archived_at=None,
    )
    visit_fill_slug(instance=visit, organisation=organisation)
    visit.full_clean(exclude=["lodging"])
    visit.save()
    visit.interpreters.set(source.interpreters.all())
    venue_id = _copy_venues(source, visit)
    activities = _copy_activities(source, visit, venue_id, moved)
    subgroups = _copy_delegations(source, visit, venue_id, moved)
    for activity, copy in activities.values():
        groups = [subgroups[g.pk] for g in activity.audience.all() if g.pk in subgroups]
        if groups:
            copy.audience.set(groups)
    return visit


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
