"""Accounts seen from the site: the links an organiser follows and the invitation email.

This sits with the site (urls, pages), not with the base models: the email leaves through the
notifications app (its log and retries), which the base layer must not import."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from notifications.services import Recipient, email_queue
from planner.languages import text_language
from planner.models import Invitation


def password_set_link(user) -> str:
    """Django's password-reset link: works once (the token hashes the password it replaces)
    and for PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def invitation_link(key: str) -> str:
    return settings.SITE_URL + reverse("accounts:invitation", kwargs={"key": key})


def invitation_send(*, invitation: Invitation, key: str, inviter_name: str) -> None:
    """The invitation email, in the language the inviter chose for the invitee."""
    language = text_language(invitation.language)
    with translation.override(language):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation.name,
            "inviter": inviter_name,
            "role": invitation.get_role_display(),
            "link": invitation_link(key),
            "expires": invitation.expires_at,
        }
        subject = _("%(organisation)s invites you to plan visits with planner") % context
        text = render_to_string("accounts/invitation_email.txt", context)
    recipient = Recipient(email=invitation.email, language=language)
    email_queue(recipient=recipient, subject=subject, text=text)
