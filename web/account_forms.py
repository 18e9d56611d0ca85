"""Forms of the account pages; they validate input and leave the writing to services."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from planner.models import Organiser


def language_choices():
    return [(code, name) for code, name in settings.LANGUAGES]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=150)
    role = forms.ChoiceField(
        label=_("Role"), choices=Organiser.Role.choices, initial=Organiser.Role.EDITOR
    )
    language = forms.ChoiceField(label=_("Language of the email"), choices=language_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or "en").split("-")[0]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Organiser.Role.choices)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as the spreadsheet that reads the programme."),
    )


class AcceptForm(forms.Form):
    """The invitee chooses a password (the account does not exist yet: the checks use the
    invitation's email in its place)."""

    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password2(self):
        first, second = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("The two passwords differ."))
        if second:
            user = get_user_model()(username=self.email, email=self.email)
            password_validation.validate_password(second, user)
        return second


class OrganiserPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for an account whose password was never set (an organiser
    made by ``organisation_create`` who lost the first link)."""

    def get_users(self, email):
        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)


class EmailAuthenticationForm(AuthenticationForm):
    """Organisers' accounts are named by their email in lower case (services.email_normalise):
    an address typed with capitals signs in too."""

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        return name.lower() if "@" in name else name
