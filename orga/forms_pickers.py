"""Pickers for the organiser's forms: languages, countries and time zones named by CLDR (Babel)
in the reader's language, so nobody types a code, a zone name or JSON.

Choices are built per request (the reader's locale), sorted as a reader would look them up
(accents ignored), and always include the value already stored, even an unusual one.
"""

import unicodedata
from functools import cache

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone_location
from django import forms
from django.utils.translation import gettext_lazy as _

from planner import i18n
from planner.codes import country_codes, language_codes, time_zones

# Languages offered as boxes to tick; any other CLDR language is one pick away.
FREQUENT_LANGUAGES = ("fr", "en", "es", "de", "it", "pt", "nl", "ar", "ru", "zh")

# IANA areas, named by CLDR where it has a name (UN M.49 regions), else by us.
AREAS = {
    "Africa": "002",
    "America": "019",
    "Asia": "142",
    "Europe": "150",
    "Australia": "009",
    "Pacific": "009",
    "Antarctica": "AQ",
}
OCEANS = {"Atlantic": _("Atlantic Ocean"), "Indian": _("Indian Ocean")}


def sort_key(text: str) -> str:
    """ "Égypte" between "Équateur" and "Érythrée", not after "Zambie"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def language_choices(locale: str | None = None) -> list[tuple[str, str]]:
    loc = Locale.parse(locale or i18n.current_locale())
    names = [(code, loc.languages.get(code, code)) for code in language_codes()]
    return sorted(names, key=lambda pair: sort_key(pair[1]))


def country_choices(locale: str | None = None) -> list[tuple[str, str]]:
    loc = Locale.parse(locale or i18n.current_locale())
    names = [(code, loc.territories.get(code, code)) for code in country_codes()]
    return sorted(names, key=lambda pair: sort_key(pair[1]))


@cache
def _zones_by_area() -> dict[str, list[tuple[str, str]]]:
    """{area: [(zone, territory)]}: the zones CLDR places in a country, one per place."""
    territories = get_global("zone_territories")
    aliases = get_global("zone_aliases")
    found: dict[str, list[tuple[str, str]]] = {}
    for zone in sorted(time_zones()):
        area = zone.split("/")[0]
        territory = territories.get(zone) or territories.get(aliases.get(zone, ""))
        if (area in AREAS or area in OCEANS) and territory and territory != "001":
            found.setdefault(area, []).append((zone, territory))
    return found


def time_zone_choices(locale: str | None = None, keep: str = "") -> list:
    """Grouped by continent: ("Europe", [("Europe/Paris", "France"), …]); a country with
    several zones names the city: "Canada (Toronto)". Aliases naming the same place once."""
    loc = Locale.parse(locale or i18n.current_locale())
    aliases = get_global("zone_aliases")
    groups: dict[str, dict[str, str]] = {}
    per_territory: dict[str, int] = {}
    for zones in _zones_by_area().values():
        for _zone, territory in zones:
            per_territory[territory] = per_territory.get(territory, 0) + 1
    for area, zones in _zones_by_area().items():
        title = str(OCEANS[area]) if area in OCEANS else loc.territories.get(AREAS[area], area)
        labels = groups.setdefault(title, {})
        taken = {label: zone for zone, label in labels.items()}
        for zone, territory in zones:
            country = loc.territories.get(territory, territory)
            if per_territory[territory] > 1:
                city = get_timezone_location(zone, locale=loc, return_city=True)
                label = f"{country} ({city})"
            else:
                label = country
            if label in taken and zone in aliases:
                continue  # America/Montreal is Canada (Toronto), like America/Toronto.
            if label in taken:
                labels.pop(taken[label])
            labels[zone], taken[label] = label, zone
    choices = [
        (title, sorted(labels.items(), key=lambda pair: sort_key(pair[1])))
        for title, labels in sorted(groups.items(), key=lambda pair: sort_key(pair[0]))
    ]
    known = {zone for _title, options in choices for zone, _label in options}
    extra = [z for z in ("UTC", keep) if z and z not in known]
    if extra:
        choices.append((str(_("Other")), [(z, z) for z in dict.fromkeys(extra)]))
    return choices


class LanguagesMixin:
    """A list of languages as ticked boxes (frequent ones and those chosen already) plus one
    "another language" picker holding every CLDR language. ``language_fields`` names them."""

    language_fields: tuple[str, ...] = ()

    def setup_languages(self, name: str, *, chosen: list[str], common: list[str]) -> None:
        codes = list(dict.fromkeys([*chosen, *common]))
        field = self.fields[name]
        field.choices = [(c, i18n.language_name(c)) for c in codes]
        other = self.fields[f"{name}_other"]
        other.choices = [("", "—"), *language_choices()]

    def languages_of(self, name: str) -> list[str]:
        data = self.cleaned_data
        extra = [data[f"{name}_other"]] if data.get(f"{name}_other") else []
        return list(dict.fromkeys([*data.get(name, []), *extra]))


def languages_field(label, **kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=(), required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


def another_language_field(label) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=(), required=False)


class DateInput(forms.DateInput):
    """The browser's date picker: it writes the date in the reader's locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
