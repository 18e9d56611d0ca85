"""Several at once: a table of blank rows on the venues, hosts, guests and activities pages,
with the few fields that matter; everything else takes the full form's defaults and is
changed later on the full form.

Each filled row is written by the API's service (planner.crud.resource_save with the same
resource as the full form), all rows in one transaction: a row refused leaves nothing saved,
with the reason on that row's field. Rows left as they were offered are ignored.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from delegations import api as delegations_api
from delegations import selectors as delegation_selectors
from delegations.models import GuestLanguage
from events import api as events_api
from events import selectors
from events.models import Person, Visit
from orga.people_forms import CountryField, LanguageField, country_choices, language_choices
from planner.crud import resource_save

ROWS = 5


class Row(forms.Form):
    """One row of an "add several" table; ``save()`` writes it through the API's service."""

    def __init__(self, *args, visit: Visit, shared: dict, **kwargs):
        self.visit, self.shared = visit, shared
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, LanguageField):
                field.choices = language_choices(visit)

    def has_changed(self) -> bool:
        """A row is blank when each field is empty or holds what was offered (a default
        language, 90 minutes): only a value someone gave makes it a row to save."""
        for name, field in self.fields.items():
            value = self.data.get(self.add_prefix(name), "")
            offered = self.get_initial_for_field(field, name)
            if value in ("", None) or str(value) == str("" if offered is None else offered):
                continue
            return True
        return False

    def save(self):  # pragma: no cover - each row says how
        raise NotImplementedError


class Rows(forms.BaseFormSet):
    def __init__(self, *args, visit: Visit, **kwargs):
        self.visit = visit
        # What the rows share and is worked out once (the visit's delegation, its venues).
        self.shared: dict = {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"visit": self.visit, "shared": self.shared}

    @property
    def filled(self) -> list[Row]:
        return [f for f in self.forms if f.has_changed()]

    def save(self) -> int | None:
        """Every filled row or none: the number saved, or None (the reasons on the rows)."""
        refused = False
        with transaction.atomic():
            for row in self.filled:
                try:
                    row.save()
                except ValidationError as exc:
                    refused = True
                    for field, reasons in getattr(
                        exc, "message_dict", {None: exc.messages}
                    ).items():
                        for reason in reasons:
                            row.add_error(field if field in row.fields else None, reason)
            if refused:
                transaction.set_rollback(True)
        return None if refused else len(self.filled)


def rows_of(row: type[Row]) -> type[Rows]:
    return forms.formset_factory(row, formset=Rows, extra=ROWS, max_num=ROWS, validate_max=True)


def _decimal(label):
    return forms.DecimalField(label=label, required=False, max_digits=9, decimal_places=6)


class VenueRow(Row):
    name = forms.CharField(label=_("Name"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    latitude = _decimal(_("Latitude"))
    longitude = _decimal(_("Longitude"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs.update({"step": "0.000001", "inputmode": "decimal"})

    def save(self):
        from orga.venues_forms import VenueForm

        data = {k: "" if v is None else v for k, v in self.cleaned_data.items()}
        # The full form's checks (a duplicate name, both coordinates or neither, their range)
        # with its defaults for the rest.
        full = VenueForm({"kind": "host_site", "country": "FR", **data}, visit=self.visit)
        if not full.is_valid():
            raise ValidationError({k: v for k, v in full.errors.items()})
        resource_save(
            events_api.VENUES,
            organisation=self.visit.owner,
            scope_obj=self.visit,
            data=full.payload(),
        )


class HostRow(Row):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    language = LanguageField(label=_("Language"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The language a host of this visit speaks most often: its first working language.
        self.fields["language"].initial = (self.visit.working_languages or ["fr"])[0]

    def save(self):
        language = self.cleaned_data["language"]
        resource_save(
            events_api.PEOPLE,
            organisation=self.visit.owner,
            scope_obj=self.visit.owner,
            data={
                "full_name": self.cleaned_data["full_name"].strip(),
                "role": "host",
                "position": "",
                "affiliation": None,
                "email": "",
                "phone": "",
                "languages": [language] if language else [],
                "preferred_language": language or "fr",
            },
        )


def visit_delegation(visit: Visit):
    """The visit's delegation for a guest entered without one: the only one there is, or a new
    one named after the visit (renamed later on the delegations page)."""
    found = list(delegation_selectors.delegation_list(visit.owner, visit)[:2])
    if len(found) == 1:
        return found[0]
    if found:
        return None
    return resource_save(
        delegations_api.DELEGATIONS,
        organisation=visit.owner,
        scope_obj=visit,
        data={"name": visit.title[:200], "description": ""},
    )


class GuestRow(Row):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    country = CountryField(label=_("Country"))
    language = LanguageField(label=_("Language"))
    level = forms.ChoiceField(
        label=_("Level"), choices=GuestLanguage.Level.choices, initial="fluent"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        if "delegations" not in self.shared:  # once for all the rows
            self.shared["delegations"] = list(
                delegation_selectors.delegation_list(self.visit.owner, self.visit)
            )
        delegations = self.shared["delegations"]
        if len(delegations) > 1:
            self.fields["delegation"] = forms.TypedChoiceField(
                label=_("Delegation"),
                choices=[("", "—"), *((d.pk, d.name) for d in delegations)],
                coerce=int,
            )

    def save(self):
        data = self.cleaned_data
        if "delegation" in data:
            delegation = data["delegation"]
        else:
            if "made" not in self.shared:  # once per submission, in its transaction
                self.shared["made"] = visit_delegation(self.visit)
            delegation = self.shared["made"].pk
        resource_save(
            delegations_api.GUESTS,
            organisation=self.visit.owner,
            scope_obj=self.visit,
            data={
                "delegation": delegation,
                "subgroup": None,
                "full_name": data["full_name"].strip(),
                "email": "",
                "country": data["country"],
                "organisation": "",
                "position": "",
                # Documents in the language the guest follows.
                "preferred_language": data["language"],
                "languages": [{"language": data["language"], "level": data["level"]}],
                "arrival": None,
                "departure": None,
                "dietary_needs": "",
            },
        )


class ActivityRow(Row):
    title = forms.CharField(label=_("Title"), max_length=200)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=24 * 60, initial=90
    )
    venue = forms.TypedChoiceField(label=_("Venue"), coerce=int)
    host = forms.TypedChoiceField(
        label=_("Host who must be there"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        shared = self.shared
        if "venues" not in shared:
            shared["venues"] = list(
                selectors.venue_list(self.visit.owner, self.visit).values_list("pk", "name")
            )
            shared["hosts"] = {
                p.pk: p
                for p in selectors.person_list(self.visit.owner)
                .exclude(role=Person.Role.INTERPRETER)
                .only("pk", "full_name", "languages")
            }
        venues = shared["venues"]
        self.fields["venue"].choices = [("", "—"), *venues]
        if len(venues) == 1:  # the only venue is the one meant
            self.fields["venue"].initial = venues[0][0]
        self.fields["host"].choices = [
            ("", "—"),
            *((pk, p.full_name) for pk, p in shared["hosts"].items()),
        ]
        self.fields["duration_minutes"].widget.attrs.update({"step": "5"})

    def save(self):
        data = self.cleaned_data
        host = self.shared["hosts"].get(data["host"]) if data["host"] else None
        if data["host"] and host is None:
            raise ValidationError({"host": _("Pick a host from the list.")})
        # Held in its host's language when the host speaks one of the visit's languages.
        spoken = [c for c in (host.languages if host else []) if c in self.visit.working_languages]
        title = data["title"].strip()
        if self.visit.activities.filter(title=title).exists():
            raise ValidationError(
                {"title": _("This visit already has an activity with this title.")}
            )
        resource_save(
            events_api.ACTIVITIES,
            organisation=self.visit.owner,
            scope_obj=self.visit,
            data={
                "title": title,
                "titles": {},
                "kind": "meeting",
                "description": "",
                "duration_minutes": data["duration_minutes"],
                "venue": data["venue"],
                "hosts": [{"person": host.pk, "required": True}] if host else [],
                "languages": spoken[:1],
            },
        )


VenueRows = rows_of(VenueRow)
HostRows = rows_of(HostRow)
GuestRows = rows_of(GuestRow)
ActivityRows = rows_of(ActivityRow)
