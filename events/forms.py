"""Forms of the organiser's editing pages. They only parse what a person typed; the rules are
checked by the same service as the API (planner.crud.resource_save → the models' clean())."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from events import selectors
from events.models import Activity, Availability, Visit
from planner import i18n


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_fr = forms.CharField(label=_("Title in French"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices, initial="meeting")
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=24 * 60, initial=90
    )
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=None)
    hosts = forms.ModelMultipleChoiceField(
        label=_("Hosts (each must be there)"), queryset=None, required=False
    )
    languages = forms.MultipleChoiceField(label=_("Languages spoken"), choices=(), required=False)
    mandatory = forms.BooleanField(
        label=_("Must be in the programme"), required=False, initial=True
    )
    value = forms.IntegerField(
        label=_("Worth, if optional (0–1000)"), min_value=0, max_value=1000, initial=0
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = selectors.venue_list(visit.owner, visit)
        self.fields["hosts"].queryset = selectors.person_list(visit.owner)
        codes = list(dict.fromkeys([*visit.working_languages, "fr", "en", "es"]))
        self.fields["languages"].choices = [(c, i18n.language_name(c)) for c in codes]

    def payload(self) -> dict:
        """The API's input for the same activity (events.schemas.ActivityIn)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            # Guests, hosts and feeds read the title in their own language when it is given.
            "titles": {
                code: data[f"title_{code}"].strip()
                for code in ("fr", "en", "es")
                if data[f"title_{code}"].strip()
            },
            "kind": data["kind"],
            "description": data["description"],
            "duration_minutes": data["duration_minutes"],
            "venue": data["venue"].pk,
            "hosts": [{"person": p.pk, "required": True} for p in data["hosts"]],
            "languages": data["languages"],
            "mandatory": data["mandatory"],
            "value": data["value"],
        }


class WindowForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Day"), coerce=dt.date.fromisoformat, choices=())
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Availability.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        days = [
            visit.start_date + dt.timedelta(days=n)
            for n in range((visit.end_date - visit.start_date).days + 1)
        ]
        self.fields["day"].choices = [(d.isoformat(), i18n.full_date(d)) for d in days]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The window must end after it starts."))
        return data
