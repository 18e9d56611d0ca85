"""Forms of the organiser's editing pages. They only parse what a person typed; the rules are
checked by the same service as the API (planner.crud.resource_save → the models' clean())."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import WINDOW_ENDS_BEFORE_START, Availability, Visit
from planner import i18n
from planner.validators import ends_before_start


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
        if ends_before_start(data.get("start"), data.get("end")):
            self.add_error("end", WINDOW_ENDS_BEFORE_START)
        return data
