"""The form of an activity: every field the solver reads, picked rather than typed.

It parses; the rules are the model's, checked by the API's service (resource_save with
events.api.ACTIVITIES). What the API spreads over two resources (an activity and its
precedences) the page saves in one transaction.
"""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events import selectors
from events.models import Activity, PlaceInVisit, Precedence, Visit
from orga.forms_pickers import (
    FREQUENT_LANGUAGES,
    DateTimeInput,
    LanguagesMixin,
    another_language_field,
    languages_field,
)
from planner import i18n

TITLE_LANGUAGES = ("fr", "en", "es")
DATED = ("earliest", "latest", "fixed_start")


class ActivityForm(LanguagesMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_fr = forms.CharField(label=_("Title in French"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices, initial="meeting")
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=24 * 60, initial=90
    )
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=None)
    hosts_required = forms.ModelMultipleChoiceField(
        label=_("Hosts who must be there"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hosts_optional = forms.ModelMultipleChoiceField(
        label=_("Hosts who join if they can"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = languages_field(_("Languages spoken"))
    languages_other = another_language_field(_("Another language spoken"))
    interpretation_mode = forms.ChoiceField(
        label=_("Interpretation mode"),
        choices=Activity.Interpretation.choices,
        initial=Activity.Interpretation.CONSECUTIVE,
    )
    two_way = forms.BooleanField(
        label=_("Two-way interpretation"),
        required=False,
        initial=True,
        help_text=_("Guests speak too (a debate, a meeting), so both directions are needed."),
    )
    working_lunch = forms.BooleanField(
        label=_("Working lunch"),
        required=False,
        help_text=_("For a meal: it is interpreted too (otherwise the lunch is a break)."),
    )
    audience = forms.ModelMultipleChoiceField(
        label=_("Audience"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for the whole delegation."),
    )
    mandatory = forms.BooleanField(
        label=_("Must be in the programme"), required=False, initial=True
    )
    value = forms.IntegerField(
        label=_("Worth, if optional (0–1000)"), min_value=0, max_value=1000, initial=0
    )
    earliest = forms.DateTimeField(label=_("Not before"), required=False, widget=DateTimeInput)
    latest = forms.DateTimeField(label=_("Over by"), required=False, widget=DateTimeInput)
    fixed_start = forms.DateTimeField(
        label=_("Fixed start"),
        required=False,
        widget=DateTimeInput,
        help_text=_("Only when the time is already agreed: the programme keeps it."),
    )
    place_in_visit = forms.ChoiceField(
        label=_("Place in the visit"),
        choices=[("", _("anywhere")), *PlaceInVisit.choices],
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )
    phase = forms.ModelChoiceField(
        label=_("Phase"), queryset=None, required=False, empty_label=_("none")
    )
    after = forms.ModelMultipleChoiceField(
        label=_("After these activities"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("This activity starts only once each of them is over."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args, visit: Visit, instance: Activity | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", activity_initial(instance))
        super().__init__(*args, **kwargs)
        self.visit, self.instance = visit, instance
        owner = visit.owner
        self.fields["venue"].queryset = selectors.venue_list(owner, visit)
        if instance is None:
            only = list(self.fields["venue"].queryset.values_list("pk", flat=True)[:2])
            if len(only) == 1:  # the only venue is the one meant
                self.fields["venue"].initial = only[0]
        people = selectors.person_list(owner)
        self.fields["hosts_required"].queryset = people
        self.fields["hosts_optional"].queryset = people
        self.fields["audience"].queryset = selectors.subgroup_choices(owner, visit).select_related(
            "delegation"
        )
        phases = selectors.phase_choices(owner, visit)
        self.fields["phase"].queryset = phases
        if not visit.format_id:
            del self.fields["phase"]
        others = Activity.objects.filter(visit=visit).only("pk", "title").order_by("title")
        if instance is not None:
            others = others.exclude(pk=instance.pk)
        self.fields["after"].queryset = others
        chosen = instance.languages if instance else []
        common = [*visit.working_languages, *FREQUENT_LANGUAGES[:3]]
        self.setup_languages("languages", chosen=chosen, common=common)
        for name in ("hosts_required", "hosts_optional", "audience", "after"):
            if not self.fields[name].queryset.exists():
                del self.fields[name]  # nothing to pick yet: the page says where to add them

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        others = Activity.objects.filter(visit=self.visit, title=title)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This visit already has an activity with this title."))
        return title

    def clean(self):
        data = super().clean()
        required = set(data.get("hosts_required") or ())
        both = required & set(data.get("hosts_optional") or ())
        if both:
            self.add_error(
                "hosts_optional",
                _("%(names)s cannot be required and optional at once.")
                % {"names": i18n.names(sorted(p.full_name for p in both))},
            )
        first, last = self.visit.start_date, self.visit.end_date
        for name in DATED:
            value = data.get(name)
            if value and not first <= timezone.localtime(value).date() <= last:
                self.add_error(
                    name,
                    _("Pick a time during the visit (%(dates)s).")
                    % {"dates": i18n.date_range(first, last)},
                )
        earliest, latest = data.get("earliest"), data.get("latest")
        if earliest and latest and latest <= earliest and "latest" not in self.errors:
            self.add_error("latest", _("“Over by” is before “not before”."))
        self._refuse_cycles(data.get("after") or ())
        return data

    def _refuse_cycles(self, befores) -> None:
        """ "After X" when X already comes (perhaps through others) after this activity
        would ask the impossible: say which."""
        if self.instance is None or not befores:
            return
        edges: dict[int, set[int]] = {}
        for before, after in Precedence.objects.filter(visit=self.visit).values_list(
            "before_id", "after_id"
        ):
            if after != self.instance.pk:  # this activity's own "after" rules are replaced
                edges.setdefault(before, set()).add(after)
        later, todo = set(), [self.instance.pk]
        while todo:
            for nxt in edges.get(todo.pop(), ()):
                if nxt not in later:
                    later.add(nxt)
                    todo.append(nxt)
        loops = sorted(a.title for a in befores if a.pk in later)
        if loops:
            self.add_error(
                "after",
                _("%(titles)s already come after this activity.") % {"titles": i18n.names(loops)},
            )

    def payload(self) -> dict:
        """The API's input for the same activity (events.schemas.ActivityIn)."""
        data = self.cleaned_data
        hosts = [{"person": p.pk, "required": True} for p in data.get("hosts_required") or ()]
        hosts += [{"person": p.pk, "required": False} for p in data.get("hosts_optional") or ()]
        payload = {
            "title": data["title"],
            # Guests, hosts and feeds read the title in their own language when it is given.
            "titles": {
                code: data[f"title_{code}"].strip()
                for code in TITLE_LANGUAGES
                if data[f"title_{code}"].strip()
            },
            "kind": data["kind"],
            "description": data["description"],
            "duration_minutes": data["duration_minutes"],
            "venue": data["venue"].pk,
            "hosts": hosts,
            "languages": self.languages_of("languages"),
            "interpretation_mode": data["interpretation_mode"],
            "two_way": data["two_way"],
            "working_lunch": data["working_lunch"],
            "audience": [g.pk for g in data.get("audience") or ()],
            "mandatory": data["mandatory"],
            "value": data["value"],
            "earliest": data["earliest"],
            "latest": data["latest"],
            "fixed_start": data["fixed_start"],
            "place_in_visit": data["place_in_visit"] or "",
        }
        if "phase" in self.fields:
            payload["phase"] = data["phase"].pk if data["phase"] else None
        return payload

    def after_ids(self) -> list[int]:
        return [a.pk for a in self.cleaned_data.get("after") or ()]


def activity_initial(activity: Activity) -> dict:
    initial = {
        name: getattr(activity, name)
        for name in (
            "title",
            "kind",
            "duration_minutes",
            "interpretation_mode",
            "two_way",
            "working_lunch",
            "mandatory",
            "value",
            "place_in_visit",
            "description",
        )
    }
    for code in TITLE_LANGUAGES:
        initial[f"title_{code}"] = activity.titles.get(code, "")
    for name in DATED:
        initial[name] = naive_local(getattr(activity, name))
    links = list(activity.host_links.all())
    initial["venue"] = activity.venue_id
    initial["phase"] = activity.phase_id
    initial["hosts_required"] = [link.person_id for link in links if link.required]
    initial["hosts_optional"] = [link.person_id for link in links if not link.required]
    initial["audience"] = [g.pk for g in activity.audience.all()]
    initial["languages"] = activity.languages
    initial["after"] = list(
        Precedence.objects.filter(after=activity).values_list("before_id", flat=True)
    )
    return initial


def naive_local(value: dt.datetime | None) -> dt.datetime | None:
    """The visit's wall-clock time, as the browser's date-and-time field shows it."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None
