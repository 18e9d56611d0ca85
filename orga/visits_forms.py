"""Forms of a visit's own settings. They parse what a person picked; the rules (a day that ends
after it starts, a lunch inside the day…) are the model's, checked by the same service as the
API (planner.crud.resource_save), so the page and the API refuse the same things."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import selectors
from events.interpretation import BOUNDS
from events.models import TIME_GRID_CHOICES, VISIT_YEARS, InterpretationPolicy, Visit
from orga.forms_pickers import (
    FREQUENT_LANGUAGES,
    DateInput,
    DateTimeInput,
    LanguagesMixin,
    TimeInput,
    another_language_field,
    languages_field,
    time_zone_choices,
)
from planner.models import Organisation
from scheduling.solver.policy import DEFAULTS

LONGEST_VISIT_DAYS = 61
RULE_FIELDS = ("whisper_max_listeners", "daily_limit", "long_stint", "min_break")


def _policy_defaults(name: str) -> str:
    """ "Empty: liaison 360, conference no limit." from the solver's own defaults."""
    shown = []
    for policy, label in InterpretationPolicy.choices:
        value = DEFAULTS[policy][name]
        shown.append(
            _("%(policy)s: %(value)s")
            % {"policy": label.split(" (")[0], "value": _("no limit") if value is None else value}
        )
    return _("Empty: the policy's default (%(defaults)s).") % {"defaults": "; ".join(shown)}


YEARS = VISIT_YEARS  # the model's bound, on the field before the model sees it


def check_year(value: dt.date | None) -> dt.date | None:
    if value and not YEARS[0] <= value.year <= YEARS[1]:
        raise forms.ValidationError(
            _("Pick a date between %(first)d and %(last)d.") % {"first": YEARS[0], "last": YEARS[1]}
        )
    return value


class VisitForm(LanguagesMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Visit.Kind.choices)
    start_date = forms.DateField(label=_("First day"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day"), widget=DateInput)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        initial="Europe/Paris",
        help_text=_("Where the visit takes place: every time on its pages is local to it."),
    )
    delegation_arrives = forms.DateTimeField(
        label=_("Delegation arrives"),
        required=False,
        widget=DateTimeInput,
        help_text=_("When the delegation is there, if no guest's journey says (optional)."),
    )
    delegation_leaves = forms.DateTimeField(
        label=_("Delegation leaves"),
        required=False,
        widget=DateTimeInput,
        help_text=_("When it leaves, if no guest's journey says (optional)."),
    )
    working_languages = languages_field(_("Working languages"))
    working_languages_other = another_language_field(_("Another working language"))
    day_start = forms.TimeField(label=_("Day starts"), widget=TimeInput, initial=dt.time(8, 30))
    day_end = forms.TimeField(label=_("Day ends"), widget=TimeInput, initial=dt.time(19, 0))
    lunch_start = forms.TimeField(
        label=_("Lunch window opens"), widget=TimeInput, initial=dt.time(12, 0)
    )
    lunch_end = forms.TimeField(
        label=_("Lunch window closes"), widget=TimeInput, initial=dt.time(14, 0)
    )
    lunch_minutes = forms.IntegerField(
        label=_("Lunch break (minutes)"), min_value=0, max_value=240, initial=60
    )
    time_grid_minutes = forms.TypedChoiceField(
        label=_("Time grid (minutes)"),
        choices=TIME_GRID_CHOICES,
        coerce=int,
        initial=5,
        help_text=_("Every activity starts on this grid: 9:00, 9:15, 9:30… for 15 minutes."),
    )
    interpretation_policy = forms.ChoiceField(
        label=_("Interpretation"),
        choices=InterpretationPolicy.choices,
        initial=InterpretationPolicy.LIAISON,
        widget=forms.RadioSelect,
    )
    # The policy's numbers, where this visit differs from its defaults (empty: the default).
    whisper_max_listeners = forms.IntegerField(
        label=_("Listeners per whispering interpreter, at most"),
        required=False,
        min_value=BOUNDS["whisper_max_listeners"][0],
        max_value=BOUNDS["whisper_max_listeners"][1],
    )
    daily_limit = forms.IntegerField(
        label=_("Minutes of interpreting per interpreter and day, at most"),
        required=False,
        min_value=BOUNDS["daily_limit"][0],
        max_value=BOUNDS["daily_limit"][1],
    )
    long_stint = forms.IntegerField(
        label=_("A break after this many minutes of interpreting (0: none)"),
        required=False,
        min_value=BOUNDS["long_stint"][0],
        max_value=BOUNDS["long_stint"][1],
    )
    min_break = forms.IntegerField(
        label=_("Length of that break (minutes)"),
        required=False,
        min_value=BOUNDS["min_break"][0],
        max_value=BOUNDS["min_break"][1],
    )
    format = forms.ModelChoiceField(
        label=_("Format"),
        queryset=None,
        required=False,
        empty_label=_("none"),
        help_text=_("Phases and a reading grid shared by several visits, if you use one."),
    )
    lodging = forms.ModelChoiceField(
        label=_("Lodging"),
        queryset=None,
        required=False,
        empty_label=_("none"),
        help_text=_("Where the delegation sleeps: the start and end of each day's travel."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args, organisation: Organisation, instance: Visit | None = None, **kw):
        if instance is not None:
            kw.setdefault("initial", visit_initial(instance))
        super().__init__(*args, **kw)
        self.organisation, self.instance = organisation, instance
        keep = instance.time_zone if instance else ""
        self.fields["time_zone"].choices = time_zone_choices(keep=keep)
        chosen = instance.working_languages if instance else []
        self.setup_languages("working_languages", chosen=chosen, common=FREQUENT_LANGUAGES)
        self.fields["format"].queryset = selectors.format_list(organisation)
        for name in RULE_FIELDS:
            self.fields[name].help_text = _policy_defaults(name)
        if instance is None:
            del self.fields["lodging"]  # a new visit has no venue yet
        else:
            self.fields["lodging"].queryset = selectors.venue_list(organisation, instance)

    def clean_start_date(self):
        return check_year(self.cleaned_data["start_date"])

    def clean_end_date(self):
        return check_year(self.cleaned_data["end_date"])

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        others = Visit.objects.filter(owner=self.organisation, title=title)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Another visit already has this title."))
        return title

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day is before the first day."))
        elif start and end and (end - start).days >= LONGEST_VISIT_DAYS:
            self.add_error("end_date", _("A visit lasts at most 61 days."))
        if not self.errors and not self.languages_of("working_languages"):
            self.add_error("working_languages", _("Pick at least one language."))
        return data

    def payload(self) -> dict:
        """The API's input for the same visit (events.schemas.VisitIn)."""
        data = self.cleaned_data
        payload = {
            name: data[name]
            for name in (
                "title",
                "kind",
                "start_date",
                "end_date",
                "time_zone",
                "day_start",
                "day_end",
                "lunch_start",
                "lunch_end",
                "lunch_minutes",
                "time_grid_minutes",
                "interpretation_policy",
                "description",
            )
        }
        payload["working_languages"] = self.languages_of("working_languages")
        # The numbers typed here; a team-strength table set through the API is kept.
        rules = self.instance.interpretation_rules if self.instance else {}
        kept = {k: v for k, v in rules.items() if k not in RULE_FIELDS}
        typed = {name: data[name] for name in RULE_FIELDS if data.get(name) is not None}
        payload["interpretation_rules"] = {**kept, **typed}
        # The browser gives wall-clock times: they are the visit's, in the zone just picked.
        zone = ZoneInfo(data["time_zone"])
        for name in ("delegation_arrives", "delegation_leaves"):
            value = data[name]
            payload[name] = (
                timezone.localtime(value).replace(tzinfo=None).replace(tzinfo=zone)
                if value
                else None
            )
        payload["format"] = data["format"].pk if data["format"] else None
        if "lodging" in self.fields:
            payload["lodging"] = data["lodging"].pk if data["lodging"] else None
        return payload


def visit_initial(visit: Visit) -> dict:
    fields = [
        "title",
        "kind",
        "start_date",
        "end_date",
        "time_zone",
        "working_languages",
        "day_start",
        "day_end",
        "lunch_start",
        "lunch_end",
        "lunch_minutes",
        "time_grid_minutes",
        "interpretation_policy",
        "description",
    ]
    initial = {name: getattr(visit, name) for name in fields}
    for name in ("delegation_arrives", "delegation_leaves"):
        value = getattr(visit, name)
        zone = ZoneInfo(visit.time_zone)
        initial[name] = value.astimezone(zone).replace(tzinfo=None) if value else None
    for name in RULE_FIELDS:
        initial[name] = visit.interpretation_rules.get(name)
    initial["format"] = visit.format_id
    initial["lodging"] = visit.lodging_id
    return initial


class DuplicateForm(forms.Form):
    """Parses; visit_duplicate refuses a title already taken or a date out of range, for
    this page and the API alike."""

    title = forms.CharField(label=_("Title of the new visit"), max_length=200)
    start_date = forms.DateField(label=_("Its first day"), widget=DateInput)

    def __init__(self, *args, source: Visit, **kw):
        kw.setdefault("initial", {"title": _("%(title)s (copy)") % {"title": source.title}})
        super().__init__(*args, **kw)

    def clean_title(self):
        return self.cleaned_data["title"].strip()
