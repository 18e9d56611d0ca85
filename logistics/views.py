"""Printable logistics pages for the organiser: overview with warnings, rooming list, vehicle
day sheets, meal sheets, each guest's itinerary and letter of invitation.

Everything is computed from the published programme version when the page is asked for.
Sheets meant for someone else are rendered in that person's language: the guest's, the
driver's, the caterer's (``?lang=`` overrides; ``&also=`` adds a second language).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from delegations.models import Guest
from events.models import Venue, Visit
from events.pages import page_visit
from logistics import letters, selectors
from logistics.itinerary import guest_itinerary
from logistics.models import LetterTemplate, MealService, Vehicle
from logistics.plan.meals import serves_meals
from planner import i18n

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _language(value: str | None, fallback: str) -> str:
    """A language the interface exists in: the one asked for, else the person's, else English."""
    for code in (value, fallback):
        if code and code in LANGUAGES:
            return code
    return "en"


@login_required
def overview(request, visit_id: int):
    visit = page_visit(request, visit_id)
    plan = selectors.logistics_plan(visit=visit)
    context = {
        "visit": visit,
        "plan": plan,
        "guests": sorted(plan.guests.values(), key=lambda g: g.full_name),
        "meal_venues": sorted({m.slot.venue for m in plan.meals}, key=lambda v: v.name),
        "leg_rows": _leg_rows(plan),
    }
    return render(request, "logistics/overview.html", context)


def _leg_rows(plan, legs=None):
    rows = []
    for view in plan.legs if legs is None else legs:
        rows.append(
            {
                "view": view,
                "day": i18n.full_date(view.leg.depart.astimezone(plan.zone).date()),
                "time": i18n.time_range(view.leg.depart, view.leg.arrive, zone=plan.zone),
                "guests": i18n.names(
                    sorted(g.full_name for g in view.guests)
                    + sorted(p.full_name for p in view.companions)
                ),
                "vehicles": i18n.names([v.name for v in view.vehicles]),
            }
        )
    return rows


@login_required
def rooming(request, visit_id: int):
    visit = page_visit(request, visit_id)
    plan = selectors.logistics_plan(visit=visit)
    nights = [
        {"label": i18n.full_date(night), "night": night, "hotels": hotels}
        for night, hotels in plan.rooming()
    ]
    return render(request, "logistics/rooming.html", {"visit": visit, "nights": nights})


@login_required
def vehicle_sheet(request, visit_id: int, vehicle_id: int):
    visit = page_visit(request, visit_id)
    vehicle = get_object_or_404(
        Vehicle.objects.select_related("driver"), pk=vehicle_id, visit=visit
    )
    fallback = vehicle.driver.preferred_language if vehicle.driver else translation.get_language()
    language = _language(request.GET.get("lang"), fallback)
    with translation.override(language):
        plan = selectors.logistics_plan(visit=visit)
        rows = _leg_rows(plan, plan.vehicle_legs(vehicle.pk))
        days: dict[str, list] = {}
        for row in rows:
            days.setdefault(row["day"], []).append(row)
        return render(
            request,
            "logistics/vehicle_sheet.html",
            {"visit": visit, "vehicle": vehicle, "days": days.items(), "language": language},
        )


@login_required
def meal_sheet(request, visit_id: int, venue_id: int):
    visit = page_visit(request, visit_id)
    venue = get_object_or_404(Venue, pk=venue_id, visit=visit)
    service = MealService.objects.filter(venue=venue).first()
    fallback = service.language if service else "fr"
    language = _language(request.GET.get("lang"), fallback)
    with translation.override(language):
        plan = selectors.logistics_plan(visit=visit)
        meals = [
            {
                "meal": meal,
                "day": i18n.full_date(meal.slot.start.astimezone(plan.zone).date()),
                "time": i18n.time_range(meal.slot.start, meal.slot.end, zone=plan.zone),
                "diets": [
                    (name or _("no particular needs"), count) for name, count in meal.diets.items()
                ],
            }
            for meal in plan.meals
            if meal.slot.venue_id == venue.pk
        ]
        return render(
            request,
            "logistics/meal_sheet.html",
            {
                "visit": visit,
                "venue": venue,
                "service": service,
                "meals": meals,
                "serves": serves_meals(venue, service),
                "language": language,
            },
        )


def _guest(visit: Visit, guest_id: int) -> Guest:
    return get_object_or_404(Guest, pk=guest_id, delegation__visit=visit)


@login_required
def itinerary(request, visit_id: int, guest_id: int):
    visit = page_visit(request, visit_id)
    guest = _guest(visit, guest_id)
    language = _language(request.GET.get("lang"), guest.preferred_language)
    languages = [language]
    also = request.GET.get("also")
    if also and also in LANGUAGES and also != language:
        languages.append(also)
    versions = []
    for code in languages:
        with translation.override(code):
            plan = selectors.logistics_plan(visit=visit)
            versions.append(
                {
                    "language": code,
                    "days": guest_itinerary(plan, guest.pk),
                    "dates": i18n.date_range(visit.start_date, visit.end_date),
                    "heading": _("Itinerary of %(guest)s") % {"guest": guest.full_name},
                    "published": plan.version is not None,
                    "empty": _("Nothing planned yet for this guest."),
                }
            )
    with translation.override(language):
        return render(
            request,
            "logistics/itinerary.html",
            {"visit": visit, "guest": guest, "versions": versions, "language": language},
        )


def letter_values(visit: Visit, guest: Guest, plan) -> dict[str, str]:
    """Placeholder values in the active language."""
    arrival, departure = plan.presence.get(guest.pk, (None, None))
    nights = plan.nights.get(guest.pk, [])
    lodged = plan.lodging.get((guest.pk, nights[0])) if nights else None
    zone = plan.zone

    def when(value, fallback_date):
        if value is None:
            return i18n.full_date(fallback_date)
        return i18n.full_date(value.astimezone(zone).date())

    return {
        "guest": guest.full_name,
        "country": i18n.country_name(guest.country),
        "organisation": guest.organisation,
        "position": guest.position,
        "visit": visit.title,
        "dates": i18n.date_range(visit.start_date, visit.end_date),
        "arrival": when(arrival, visit.start_date),
        "departure": when(departure, visit.end_date),
        "lodging": ", ".join(
            x for x in ((lodged[0].name, lodged[0].address, lodged[0].city) if lodged else ()) if x
        ),
        "host_organisation": visit.owner.name,
        "today": i18n.full_date(timezone.localdate()),
    }


@login_required
def letter(request, visit_id: int, guest_id: int):
    """The letter in French and in the guest's language (once when that is French)."""
    visit = page_visit(request, visit_id)
    guest = _guest(visit, guest_id)
    templates = {t.language: t for t in LetterTemplate.objects.filter(visit=visit)}
    codes = ["fr"]
    own = _language(request.GET.get("lang"), guest.preferred_language)
    if own != "fr":
        codes.append(own)
    copies = []
    for code in codes:
        with translation.override(code):
            plan = selectors.logistics_plan(visit=visit)
            values = letter_values(visit, guest, plan)
            template = templates.get(code)
            if template is None:
                subject, body = letters.default_template()
                signature = visit.owner.name
            else:
                subject, body, signature = template.subject, template.body, template.signature
            copies.append(
                {
                    "language": code,
                    "subject": letters.fill(subject, values),
                    "paragraphs": [
                        p for p in letters.fill(body, values).split("\n\n") if p.strip()
                    ],
                    "signature": signature,
                    "place_date": values["today"],
                    "custom": template is not None,
                }
            )
    if not copies:
        raise Http404
    return render(
        request,
        "logistics/letter.html",
        {"visit": visit, "guest": guest, "copies": copies},
    )
