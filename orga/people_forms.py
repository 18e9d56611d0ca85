"""Forms of the people pages. They parse what was picked and typed into the API's input
(``payload()``); the rules are the services' (planner.crud.resource_save → the models' clean()),
so a page never accepts what the API refuses. Languages and countries are picked from Babel's
CLDR names in the reader's language; nothing is typed as a code or as JSON."""

from django import forms
from django.utils.translation import gettext_lazy as _

from delegations.models import GuestLanguage, Interpreter
from events.models import Visit
from orga import forms_pickers as pickers
from planner import i18n

UNKNOWN_LANGUAGE = _("“%(value)s” is not a language this list knows; pick one from the list.")
UNKNOWN_COUNTRY = _("“%(value)s” is not a country this list knows; pick one from the list.")


def language_choices(visit: Visit | None = None, *, blank: bool = True) -> list:
    """Every CLDR language by its name in the reader's language; the visit's working
    languages first, as they are the ones picked most."""
    everything = pickers.language_choices()
    first = [(c, i18n.language_name(c)) for c in (visit.working_languages if visit else [])]
    choices: list = [("", "—")] if blank else []
    if first:
        choices.append((_("Working languages of the visit"), first))
        choices.append((_("All languages"), everything))
    else:
        choices += everything
    return choices


def country_choices() -> list:
    return [("", "—"), *pickers.country_choices()]


class LanguageField(forms.ChoiceField):
    default_error_messages = {"invalid_choice": UNKNOWN_LANGUAGE}


class CountryField(forms.ChoiceField):
    default_error_messages = {"invalid_choice": UNKNOWN_COUNTRY}


class VisitForm(forms.Form):
    """A form whose pickers depend on the visit (its working languages, its sub-groups)."""

    def __init__(self, *args, visit: Visit, **kwargs):
        self.visit = visit
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, LanguageField):
                field.choices = language_choices(visit, blank=not field.required)


# --- rows (several languages, several directions) --------------------------------------------


class LanguageRow(VisitForm):
    language = LanguageField(label=_("Language"), required=False)


class LevelRow(VisitForm):
    language = LanguageField(label=_("Language"), required=False)
    # Not required: a row left without a language is ignored whatever its level says.
    level = forms.ChoiceField(
        label=_("Level"), choices=GuestLanguage.Level.choices, initial="fluent", required=False
    )


class DirectionRow(VisitForm):
    source = LanguageField(label=_("From"), required=False)
    target = LanguageField(label=_("Into"), required=False)
    # One pair, two directions: what an interpreter between two languages usually does.
    both_ways = forms.BooleanField(label=_("both ways"), required=False, initial=True)

    def has_changed(self):
        # A row whose only value is the box ticked by default is still an empty row.
        return any(self.data.get(self.add_prefix(n)) for n in ("source", "target"))

    def clean(self):
        data = super().clean()
        if bool(data.get("source")) != bool(data.get("target")):
            missing = "target" if data.get("source") else "source"
            self.add_error(missing, _("A direction needs both languages."))
        return data


class RowsFormSet(forms.BaseFormSet):
    """Rows left empty are ignored; two blank rows are always offered for one more."""

    def __init__(self, *args, visit: Visit, **kwargs):
        self.visit = visit
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"visit": self.visit}

    def rows(self, key: str) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get(key)
        ]


LanguageRows = forms.formset_factory(LanguageRow, formset=RowsFormSet, extra=2, max_num=20)
LevelRows = forms.formset_factory(LevelRow, formset=RowsFormSet, extra=2, max_num=10)
DirectionRows = forms.formset_factory(DirectionRow, formset=RowsFormSet, extra=2, max_num=30)


# --- the people --------------------------------------------------------------------------------


class HostForm(VisitForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(
        label=_("Position"),
        max_length=200,
        required=False,
        help_text=_("For example: mayor of Villerouge."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    preferred_language = LanguageField(label=_("Preferred language"), initial="fr")

    def payload(self, languages: list[dict], *, role: str = "host") -> dict:
        """The API's input (events.schemas.PersonIn)."""
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "role": role,
            "position": data.get("position", ""),
            "affiliation": None,
            "email": data["email"],
            "phone": data["phone"],
            "languages": list(dict.fromkeys(row["language"] for row in languages)),
            "preferred_language": data["preferred_language"],
        }


class GuestForm(VisitForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    delegation = forms.ModelChoiceField(label=_("Delegation"), queryset=None)
    subgroup = forms.ModelChoiceField(
        label=_("Sub-group"), queryset=None, required=False, empty_label="—"
    )
    country = CountryField(label=_("Country"))
    preferred_language = LanguageField(label=_("Preferred language for documents"), initial="en")
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    arrival = forms.DateTimeField(
        label=_("Arrival"),
        required=False,
        widget=pickers.DateTimeInput(),
    )
    departure = forms.DateTimeField(
        label=_("Departure"),
        required=False,
        widget=pickers.DateTimeInput(),
    )
    dietary_needs = forms.CharField(
        label=_("Dietary needs"),
        max_length=200,
        required=False,
        help_text=_("For example: vegetarian, no pork, gluten-free."),
    )

    def __init__(self, *args, delegations, subgroups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        self.fields["delegation"].queryset = delegations
        if not delegations.exists():
            # The first guest makes the visit's delegation, named after the visit.
            self.fields["delegation"].required = False
            self.fields["delegation"].widget = forms.HiddenInput()
        self.fields["subgroup"].queryset = subgroups
        self.fields["subgroup"].label_from_instance = str

    def payload(self, languages: list[dict]) -> dict:
        """The API's input (delegations.schemas.GuestIn)."""
        data = self.cleaned_data
        return {
            "delegation": data["delegation"].pk if data["delegation"] else None,
            "subgroup": data["subgroup"].pk if data["subgroup"] else None,
            "full_name": data["full_name"],
            "email": data["email"],
            "country": data["country"],
            "organisation": data["organisation"],
            "position": data["position"],
            "preferred_language": data["preferred_language"],
            "languages": [
                {"language": r["language"], "level": r["level"] or "fluent"} for r in languages
            ],
            "arrival": data["arrival"],
            "departure": data["departure"],
            "dietary_needs": data["dietary_needs"],
        }


class InterpreterForm(VisitForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    modes = forms.MultipleChoiceField(
        label=_("Modes"),
        choices=Interpreter.Mode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one mode.")},
        # What most liaison interpreters do; simultaneous needs booths and is ticked by hand.
        initial=[Interpreter.Mode.CONSECUTIVE, Interpreter.Mode.WHISPERED],
    )
    daily_cap_minutes = forms.IntegerField(
        label=_("Daily limit (minutes of interpreting)"),
        min_value=30,
        max_value=720,
        initial=360,
    )
    preferred_language = LanguageField(label=_("Preferred language"), initial="fr")

    def person_payload(self, directions: list[dict]) -> dict:
        data = self.cleaned_data
        spoken = [code for row in directions for code in (row["source"], row["target"])]
        return {
            "full_name": data["full_name"],
            "role": "interpreter",
            "position": "",
            "affiliation": None,
            "email": data["email"],
            "phone": data["phone"],
            "languages": list(dict.fromkeys(spoken)),
            "preferred_language": data["preferred_language"],
        }

    def payload(self, person_id: int, directions: list[dict]) -> dict:
        """The API's input (delegations.schemas.InterpreterIn)."""
        data = self.cleaned_data
        return {
            "person": person_id,
            "modes": data["modes"],
            "daily_cap_minutes": data["daily_cap_minutes"],
            "directions": [{"source": r["source"], "target": r["target"]} for r in directions],
        }


class DelegationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def payload(self) -> dict:
        return {"name": self.cleaned_data["name"], "description": self.cleaned_data["description"]}


class SubGroupForm(forms.Form):
    delegation = forms.ModelChoiceField(label=_("Delegation"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=100)
    lodging = forms.ModelChoiceField(
        label=_("Lodging"), queryset=None, required=False, empty_label="—"
    )

    def __init__(self, *args, delegations, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = delegations
        self.fields["lodging"].queryset = venues

    def payload(self) -> dict:
        data = self.cleaned_data
        return {
            "delegation": data["delegation"].pk,
            "name": data["name"],
            "lodging": data["lodging"].pk if data["lodging"] else None,
        }
