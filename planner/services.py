"""Writes of the base layer: organisations, their organisers, invitations and API tokens.

Every refusal is a ``ValidationError`` keyed by the field it is about, so a form, the API
and the management command can each show it next to the right input."""

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planner.codes import validate_country_code
from planner.models import ApiToken, Invitation, Organisation, Organiser

# Long enough to reach a colleague back from a trip; short enough that a forgotten email
# does not open the organisation months later.
INVITATION_VALID_FOR = dt.timedelta(days=7)
USERNAME_MAX = 150  # Django's User.username


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Create a token; the clear key is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the tool that uses it.")})
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user, token_id: int) -> None:
    """A user revokes only their own tokens; another's token does not exist for them."""
    ApiToken.objects.get(pk=token_id, user=user).delete()


def email_normalise(email: str) -> str:
    """One spelling per address: accounts are found by it, whatever case was typed."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("“%(email)s” is not an email address.") % {"email": email}}
        ) from None
    if len(email) > USERNAME_MAX:
        raise ValidationError(
            {"email": _("An address of at most %(n)d characters, please.") % {"n": USERNAME_MAX}}
        )
    return email


def _refuse_taken(email: str) -> None:
    User = get_user_model()
    if User.objects.filter(username__iexact=email).exists() or (
        User.objects.filter(email__iexact=email).exists()
    ):
        raise ValidationError({"email": _("%(email)s already has an account.") % {"email": email}})


def _new_account(*, email: str, password: str | None):
    """An organiser's account: signs in with the email, never staff nor superuser."""
    User = get_user_model()
    user = User(username=email, email=email, is_staff=False, is_superuser=False)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    return user


@transaction.atomic
def organisation_create(
    *, name: str, email: str, country: str = "", password: str | None = None
) -> tuple[Organisation, "Organiser"]:
    """A new organisation and its first organiser, an editor (without a password until they
    set one from a link, unless ``password`` is given)."""
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("The organisation needs a name.")
    elif len(name) > Organisation._meta.get_field("name").max_length:
        errors["name"] = _("A name of at most 200 characters, please.")
    elif Organisation.objects.filter(name__iexact=name).exists():
        errors["name"] = _("An organisation named “%(name)s” exists already.") % {"name": name}
    country = (country or "").strip().upper()
    if country:
        try:
            validate_country_code(country)
        except ValidationError as exc:
            errors["country"] = " ".join(exc.messages)
    try:
        email = email_normalise(email)
        _refuse_taken(email)
    except ValidationError as exc:
        errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.create(name=name, country=country)
    user = _new_account(email=email, password=password)
    organiser = Organiser.objects.create(
        user=user, organisation=organisation, role=Organiser.Role.EDITOR
    )
    return organisation, organiser


def _pending(organisation: Organisation):
    return Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True)


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, language: str, invited_by, now=None
) -> tuple[Invitation, str]:
    """Invite a colleague; returns the invitation and the link's key (shown once)."""
    now = now or timezone.now()
    email = email_normalise(email)
    if role not in Organiser.Role.values:
        raise ValidationError({"role": _("Choose editor or viewer.")})
    _refuse_taken(email)
    # An expired invitation is no obstacle: the new one replaces it.
    _pending(organisation).filter(email=email, expires_at__lte=now).delete()
    if _pending(organisation).filter(email=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "%(email)s is invited already; revoke that invitation to send a new one."
                )
                % {"email": email}
            }
        )
    key = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        language=language,
        invited_by=invited_by,
        key_hash=ApiToken.hash_key(key),
        expires_at=now + INVITATION_VALID_FOR,
    )
    return invitation, key


class InvitationInvalid(Exception):
    """The link cannot be used; the message says why and what to do."""


def invitation_get(*, key: str, now=None, for_update: bool = False) -> Invitation:
    now = now or timezone.now()
    rows = Invitation.objects.select_related("organisation")
    if for_update:
        rows = rows.select_for_update()
    invitation = rows.filter(key_hash=ApiToken.hash_key(key or "")).first() if key else None
    if invitation is None:
        raise InvitationInvalid(
            _(
                "This invitation link is not valid: it may have been revoked, or copied "
                "incompletely. Ask the colleague who invited you for a new one."
            )
        )
    if invitation.accepted_at is not None:
        raise InvitationInvalid(
            _("This invitation was used already: sign in with your email and password.")
        )
    if invitation.expires_at <= now:
        raise InvitationInvalid(
            _("This invitation has expired. Ask the colleague who invited you for a new one.")
        )
    return invitation


@transaction.atomic
def invitation_accept(*, key: str, password: str, now=None) -> Organiser:
    """Create the invitee's account and organiser; the link then stops working."""
    now = now or timezone.now()
    invitation = invitation_get(key=key, now=now, for_update=True)
    _refuse_taken(invitation.email)
    user = _new_account(email=invitation.email, password=password)
    organiser = Organiser.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_at"])
    return organiser


@transaction.atomic
def invitation_revoke(*, organisation: Organisation, invitation_id: int) -> None:
    _pending(organisation).get(pk=invitation_id).delete()


def _other_editors(organiser: Organiser) -> bool:
    return (
        Organiser.objects.filter(
            organisation_id=organiser.organisation_id, role=Organiser.Role.EDITOR
        )
        .exclude(pk=organiser.pk)
        .exists()
    )


@transaction.atomic
def organiser_role_set(*, organisation: Organisation, organiser_id: int, role: str) -> Organiser:
    organiser = (
        Organiser.objects.select_for_update()
        .select_related("user")
        .get(pk=organiser_id, organisation=organisation)
    )
    if role not in Organiser.Role.values:
        raise ValidationError({"role": _("Choose editor or viewer.")})
    if role != Organiser.Role.EDITOR and organiser.can_edit and not _other_editors(organiser):
        raise ValidationError(
            {"role": _("The organisation's last editor stays an editor: make another first.")}
        )
    organiser.role = role
    organiser.save(update_fields=["role"])
    return organiser


@transaction.atomic
def organiser_remove(*, organisation: Organisation, organiser_id: int) -> None:
    """The member leaves: their account goes too, unless it is also an operator's."""
    organiser = (
        Organiser.objects.select_for_update()
        .select_related("user")
        .get(pk=organiser_id, organisation=organisation)
    )
    if organiser.can_edit and not _other_editors(organiser):
        raise ValidationError(
            {"member": _("The organisation's last editor cannot be removed: make another first.")}
        )
    user = organiser.user
    if user.is_staff or user.is_superuser:
        ApiToken.objects.filter(user=user).delete()
        organiser.delete()
    else:
        user.delete()
