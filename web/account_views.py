"""The organiser's account pages: the team (members, roles, invitations), accepting an
invitation, and one's own API tokens. Forms validate; services write."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from planner import login_throttle, services
from planner.models import ApiToken, Invitation, Organiser
from planner.pages import page_organisation
from web.account_forms import (
    AcceptForm,
    EmailAuthenticationForm,
    InviteForm,
    RoleForm,
    TokenForm,
)
from web.accounts import invitation_send


def _errors_into(form, exc: ValidationError) -> None:
    for field, field_errors in exc.message_dict.items():
        for message in field_errors:
            form.add_error(field if field in form.fields else None, message)


def _team(request, organisation, invite_form=None, status=200):
    members = (
        Organiser.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__email", "user__username")
    )
    invitations = Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True
    ).select_related("invited_by")
    me = request.user.organiser
    return render(
        request,
        "accounts/team.html",
        {
            "organisation": organisation,
            "members": members,
            "invitations": invitations,
            "now": timezone.now(),
            "can_edit": me.can_edit,
            "me": me,
            "invite_form": invite_form or InviteForm(),
            "roles": Organiser.Role.choices,
        },
        status=status,
    )


@login_required
def team(request):
    return _team(request, page_organisation(request))


@login_required
@require_POST
def invite(request):
    organisation = page_organisation(request, edit=True)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, key = services.invitation_create(
                organisation=organisation,
                invited_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            user = request.user
            inviter = user.get_full_name() or user.email or user.get_username()
            invitation_send(invitation=invitation, key=key, inviter_name=inviter)
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("accounts:team")
    return _team(request, organisation, invite_form=form, status=422)


@login_required
@require_POST
def invitation_revoke(request, invitation_id: int):
    organisation = page_organisation(request, edit=True)
    try:
        services.invitation_revoke(organisation=organisation, invitation_id=invitation_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    messages.success(request, _("Invitation revoked: its link no longer works."))
    return redirect("accounts:team")


@login_required
@require_POST
def member_role(request, organiser_id: int):
    organisation = page_organisation(request, edit=True)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose editor or viewer."))
        return redirect("accounts:team")
    try:
        organiser = services.organiser_role_set(
            organisation=organisation, organiser_id=organiser_id, role=form.cleaned_data["role"]
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(who)s is now %(role)s.")
            % {"who": organiser.user.email or organiser.user, "role": organiser.get_role_display()},
        )
    return redirect("accounts:team")


@login_required
@require_POST
def member_remove(request, organiser_id: int):
    organisation = page_organisation(request, edit=True)
    leaving_self = request.user.organiser.pk == organiser_id
    try:
        services.organiser_remove(organisation=organisation, organiser_id=organiser_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("accounts:team")
    if leaving_self:
        return redirect("login")
    messages.success(request, _("Member removed."))
    return redirect("accounts:team")


def invitation_accept(request, key: str):
    """Open to anyone holding the link: the key is the credential."""
    try:
        invitation = services.invitation_get(key=key)
    except services.InvitationInvalid as exc:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410)
    form = AcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            organiser = services.invitation_accept(key=key, password=form.cleaned_data["password1"])
        except services.InvitationInvalid as exc:
            return render(
                request, "accounts/invitation_invalid.html", {"reason": str(exc)}, status=410
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            login(request, organiser.user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request,
                _("Welcome to %(organisation)s. You sign in with %(email)s.")
                % {"organisation": invitation.organisation.name, "email": invitation.email},
            )
            return redirect("scheduling:visits")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=422 if form.errors else 200,
    )


def _tokens(request, form=None, new_key: str = "", status=200):
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
            "form": form or TokenForm(),
            "new_key": new_key,
        },
        status=status,
    )


@login_required
def tokens(request):
    page_organisation(request)
    if request.method != "POST":
        return _tokens(request)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, key = services.api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            # Shown in this answer only: never stored, never put in a redirect or a session.
            return _tokens(request, new_key=key, status=201)
    return _tokens(request, form=form, status=422)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    page_organisation(request)
    try:
        services.api_token_revoke(user=request.user, token_id=token_id)
    except ObjectDoesNotExist:
        raise Http404 from None
    messages.success(request, _("Token revoked: programs using it are refused from now on."))
    return redirect("accounts:tokens")


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The link that sets a password (the operator's first one, a reset's): once set, the
    person is signed in and lands on their visits instead of a form asking for it again."""

    post_reset_login = True
    success_url = reverse_lazy("scheduling:visits")

    def form_valid(self, form):
        response = super().form_valid(form)
        login_throttle.forget_account(self.request, form.user.get_username())
        messages.success(self.request, _("Your password is saved and you are signed in."))
        return response


class SignInView(auth_views.LoginView):
    """Django's sign-in, with email names; while failed passwords for the account or from
    the address are too many (planner/login_throttle.py) it answers 429 and says how to get
    in anyway."""

    authentication_form = EmailAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, login_throttle.THROTTLED_ATTR, False):
            response.status_code = 429
            response["Retry-After"] = str(settings.LOGIN_WINDOW_S)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["throttled"] = getattr(self.request, login_throttle.THROTTLED_ATTR, False)
        return context
