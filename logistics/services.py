"""Writes of the logistics app beyond plain entry (which goes through planner.crud):
telling drivers and caterers what a newly published programme changed for them."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logistics import signals
from logistics.diff import logistics_diff, plan_summary
from logistics.models import Journey, LogisticsSnapshot, MealService, Vehicle
from logistics.selectors import logistics_plan
from planner import i18n
from planner.languages import text_language
from scheduling.models import ProgrammeVersion


@transaction.atomic
def logistics_snapshot_take(*, version: ProgrammeVersion) -> LogisticsSnapshot:
    """Record the logistics of ``version`` as published now (replacing an older record of
    the same version, which is published again)."""
    visit = version.programme.visit
    data = plan_summary(logistics_plan(visit=visit, version=version))
    snapshot, _created = LogisticsSnapshot.objects.update_or_create(
        version=version, defaults={"data": data}
    )
    return snapshot


def _when(value, zone) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return i18n.day_time(value, zone, sep=" ")


def _leg_line(leg: dict, venues: dict, zone, verb: str) -> str:
    return verb % {
        "origin": venues.get(leg["origin"], "?"),
        "destination": venues.get(leg["destination"], "?"),
        "when": _when(leg["depart"], zone),
        "people": ngettext("%(count)d person", "%(count)d people", leg["people"])
        % {"count": leg["people"]},
    }


def driver_lines(diff: dict, vehicle_id: int, venues: dict, zone) -> list[str]:
    """What changed for one vehicle, in the active language."""
    lines = []
    for leg in diff["legs"]["added"]:
        if vehicle_id in leg["vehicles"]:
            lines.append(
                _leg_line(
                    leg,
                    venues,
                    zone,
                    _("New: %(origin)s → %(destination)s, %(when)s, %(people)s."),
                )
            )
    for leg in diff["legs"]["removed"]:
        if vehicle_id in leg["vehicles"]:
            lines.append(
                _leg_line(
                    leg, venues, zone, _("Cancelled: %(origin)s → %(destination)s, %(when)s.")
                )
            )
    for change in diff["legs"]["changed"]:
        before, after = change["before"], change["after"]
        if vehicle_id in after["vehicles"] and vehicle_id not in before["vehicles"]:
            lines.append(
                _leg_line(
                    after,
                    venues,
                    zone,
                    _("Now yours: %(origin)s → %(destination)s, %(when)s, %(people)s."),
                )
            )
        elif vehicle_id in before["vehicles"] and vehicle_id not in after["vehicles"]:
            lines.append(
                _leg_line(
                    before,
                    venues,
                    zone,
                    _("No longer yours: %(origin)s → %(destination)s, %(when)s."),
                )
            )
        elif vehicle_id in after["vehicles"] and before["people"] != after["people"]:
            lines.append(
                _leg_line(
                    after,
                    venues,
                    zone,
                    _("Now %(people)s: %(origin)s → %(destination)s, %(when)s."),
                )
            )
    return lines


def caterer_lines(diff: dict, venue_id: int, zone, titles: dict | None = None) -> list[str]:
    """What changed in one venue's meals, in the active language (``titles``: activity id →
    its title in that language, else the stored title)."""
    titles = titles or {}

    def covers(meal) -> str:
        return _("%(title)s, %(when)s: %(people)d covers") % {
            "title": titles.get(meal["activity"], meal["title"]),
            "when": _when(meal["start"], zone),
            "people": meal["people"],
        }

    lines = []
    for meal in diff["meals"]["added"]:
        if meal["venue"] == venue_id:
            lines.append(_("New meal: %(meal)s.") % {"meal": covers(meal)})
    for meal in diff["meals"]["removed"]:
        if meal["venue"] == venue_id:
            lines.append(_("Cancelled: %(meal)s.") % {"meal": covers(meal)})
    for change in diff["meals"]["changed"]:
        before, after = change["before"], change["after"]
        if after["venue"] == venue_id:
            # Sorted here: PostgreSQL's jsonb hands keys back in its own order.
            diets = ", ".join(
                f"{k or '—'}: {v}"
                for k, v in sorted(after["diets"].items(), key=lambda kv: (kv[0] == "", kv[0]))
            )
            lines.append(
                ngettext(
                    "Changed: %(meal)s (%(before)d cover before); %(diets)s.",
                    "Changed: %(meal)s (%(before)d covers before); %(diets)s.",
                    before["people"],
                )
                % {"meal": covers(after), "before": before["people"], "diets": diets}
            )
        elif before["venue"] == venue_id:
            lines.append(_("Cancelled: %(meal)s.") % {"meal": covers(before)})
    return lines


def logistics_notify(*, version_id: int, previous_id: int) -> dict:
    """Tell each driver and caterer concerned what the new version changed (one digest line
    per change, in their language, through notifications.change_notify)."""
    from notifications.services import Recipient, change_notify

    version = ProgrammeVersion.objects.select_related("programme__visit").get(pk=version_id)
    previous = ProgrammeVersion.objects.get(pk=previous_id)
    visit = version.programme.visit
    zone = ZoneInfo(visit.time_zone)
    diff = logistics_diff(visit=visit, old=previous, new=version, stored=True)
    venues = {v.pk: v.name for v in visit.venues.all()}
    activities = {a.pk: a for a in visit.activities.filter(kind="meal")}
    told = {"drivers": 0, "caterers": 0}
    for vehicle in Vehicle.objects.filter(visit=visit, driver__isnull=False).select_related(
        "driver"
    ):
        driver = vehicle.driver
        if not driver.email:
            continue
        # A person's language may be one the site has no texts or Babel locale for (Mooré).
        language = text_language(driver.preferred_language)
        with translation.override(language):
            lines = driver_lines(diff, vehicle.pk, venues, zone)
            topic = _("%(vehicle)s, %(visit)s") % {"vehicle": vehicle.name, "visit": visit.title}
        if change_notify(
            recipient=Recipient(driver.email, language, driver.full_name),
            topic=topic,
            lines=lines,
            key=f"logistics-vehicle-{vehicle.pk}-v{version.number}",
            visit=visit,
        ):
            told["drivers"] += 1
    for service in MealService.objects.filter(venue__visit=visit).exclude(email=""):
        language = text_language(service.language)
        with translation.override(language):
            titles = {pk: a.title_in(language) for pk, a in activities.items()}
            lines = caterer_lines(diff, service.venue_id, zone, titles)
            topic = _("Meals at %(venue)s, %(visit)s") % {
                "venue": venues[service.venue_id],
                "visit": visit.title,
            }
        if change_notify(
            recipient=Recipient(service.email, language, service.contact_name),
            topic=topic,
            lines=lines,
            key=f"logistics-meals-{service.venue_id}-v{version.number}",
            visit=visit,
        ):
            told["caterers"] += 1
    return told


def journeys_changed_send(*, instance=None, scope_obj=None, **_ignored) -> None:
    """After a journey is saved or deleted: the apps that show journeys follow (each guest's
    calendar feed shows their own arrival and departure)."""
    visit = scope_obj if scope_obj is not None else instance.guest.delegation.visit
    signals.journeys_changed.send(sender=Journey, visit=visit)
