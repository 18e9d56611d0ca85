"""Forms of a visit's venues and of the travel times between them."""

from itertools import combinations

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import TravelTime, Venue, Visit
from orga.forms_pickers import country_choices

MAX_TRAVEL_MINUTES = 24 * 60


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Venue.Kind.choices, initial="host_site")
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    country = forms.ChoiceField(label=_("Country"), initial="FR")
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        help_text=_("For example 43.0461: travel times are estimated from the coordinates."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        help_text=_("For example 2.2179 (east of Greenwich is positive)."),
    )
    exclusive = forms.BooleanField(
        label=_("Exclusive room"),
        required=False,
        help_text=_("It holds one activity at a time (a meeting room), not several."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity (people)"), required=False, min_value=1, max_value=100_000
    )

    def __init__(self, *args, visit: Visit, instance: Venue | None = None, **kw):
        if instance is not None:
            kw.setdefault("initial", {name: getattr(instance, name) for name in FIELDS})
        super().__init__(*args, **kw)
        self.visit, self.instance = visit, instance
        self.fields["country"].choices = country_choices()
        for name in ("latitude", "longitude"):
            # The browser's number field: a decimal point whatever the reader's locale.
            self.fields[name].widget.attrs.update({"step": "0.000001", "inputmode": "decimal"})

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Venue.objects.filter(visit=self.visit, name=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This visit already has a venue with this name."))
        return name

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if "latitude" not in self.errors and "longitude" not in self.errors:
            if lat is None and lon is not None:
                self.add_error("latitude", _("Give both latitude and longitude, or neither."))
            elif lon is None and lat is not None:
                self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        return data

    def payload(self) -> dict:
        """The API's input for the same venue (events.schemas.VenueIn)."""
        return {name: self.cleaned_data[name] for name in FIELDS}


FIELDS = (
    "name",
    "kind",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "exclusive",
    "capacity",
)


def travel_rows(venues: list[Venue], times: list[TravelTime]) -> list[dict]:
    """One row per pair of venues (the road is the same both ways): the minutes one way, the
    other way when it differs, and whether they were entered, estimated or are missing."""
    by_pair = {(t.origin_id, t.destination_id): t for t in times}
    rows = []
    for a, b in combinations(sorted(venues, key=lambda v: (v.name, v.pk)), 2):
        there, back = by_pair.get((a.pk, b.pk)), by_pair.get((b.pk, a.pk))
        known = there or back
        rows.append(
            {
                "key": f"pair_{a.pk}_{b.pk}",
                "origin": a,
                "destination": b,
                "minutes": known.minutes if known else None,
                "back": back.minutes if there and back and back.minutes != there.minutes else None,
                "source": (
                    "entered"
                    if any(t and t.source == TravelTime.Source.ENTERED for t in (there, back))
                    else "estimated"
                    if known
                    else "missing"
                ),
            }
        )
    return rows


class TravelForm(forms.Form):
    """Every pair's minutes in one form: only the ones changed are written."""

    def __init__(self, *args, rows: list[dict], **kw):
        super().__init__(*args, **kw)
        self.rows = rows
        for row in rows:
            self.fields[row["key"]] = forms.IntegerField(
                label=_("%(origin)s ↔ %(destination)s (minutes)")
                % {"origin": row["origin"], "destination": row["destination"]},
                required=False,
                min_value=0,
                max_value=MAX_TRAVEL_MINUTES,
                initial=row["minutes"],
            )
            self.fields[row["key"]].widget.attrs.update({"class": "minutes"})

    def changed_pairs(self) -> list[tuple[Venue, Venue, int]]:
        changed = []
        for row in self.rows:
            value = self.cleaned_data.get(row["key"])
            if value is not None and value != row["minutes"]:
                changed.append((row["origin"], row["destination"], value))
        return changed

    def bound_rows(self) -> list[dict]:
        return [{**row, "field": self[row["key"]]} for row in self.rows]
