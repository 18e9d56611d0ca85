"""Accounts: the operator's command, invitations, the team page, roles, tokens, passwords."""

import datetime as dt
import io
import re
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_q.conf import Conf

from notifications.models import OutgoingEmail
from planner import i18n, services
from planner.models import ApiToken, Invitation, Organisation, Organiser
from tests import factories

User = get_user_model()


@pytest.fixture(autouse=True)
def sync_queue(monkeypatch):
    # Emails leave through the job queue; here it runs them at once.
    monkeypatch.setattr(Conf, "SYNC", True)


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """Post the invitation form; the email leaves once the request's transaction commits."""

    def post(client, email="paul@example.org", role="viewer", language="fr"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/accounts/team/invite/", {"email": email, "role": role, "language": language}
            )

    return post


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewer(org):
    user = factories.organiser(org, username="viewer")
    Organiser.objects.filter(user=user).update(role=Organiser.Role.VIEWER)
    return User.objects.get(pk=user.pk)


# --- organisation_create -------------------------------------------------------------------


def run(*args, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command("organisation_create", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def test_organisation_create_prints_a_link_that_sets_the_password_once(db):
    code, out, err = run("Réseau du Sud", "--email", "Marie@Example.org", "--country", "fr")
    assert (code, err) == (0, "")
    organisation = Organisation.objects.get(name="Réseau du Sud")
    assert organisation.country == "FR"
    organiser = Organiser.objects.select_related("user").get(organisation=organisation)
    user = organiser.user
    assert (user.username, user.email, organiser.role) == (
        "marie@example.org",
        "marie@example.org",
        "editor",
    )
    assert (user.is_staff, user.is_superuser, user.has_usable_password()) == (False, False, False)
    link = re.search(r"http://\S+/accounts/reset/\S+/", out).group(0)
    client = Client()
    path = link.split("8000", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Sel-de-Gruissan-2009", "new_password2": "Sel-de-Gruissan-2009"},
    )
    assert done.status_code == 302
    assert Client().login(username="marie@example.org", password="Sel-de-Gruissan-2009")
    again = client.get(path, follow=True)
    assert again.context["validlink"] is False


def test_organisation_create_reads_the_password_from_stdin(db):
    code, out, _ = run(
        "Réseau", "--email", "a@example.org", "--password-stdin", stdin="Tramontane-1789\n"
    )
    assert code == 0
    assert "reset" not in out
    assert Client().login(username="a@example.org", password="Tramontane-1789")


@pytest.mark.parametrize(
    ("args", "stdin", "field"),
    [
        (["", "--email", "a@example.org"], "", "name"),
        (["N", "--email", "not-an-email"], "", "email"),
        (["N", "--email", "a@example.org", "--country", "XX"], "", "country"),
        (["N", "--email", "a@example.org", "--password-stdin"], "123\n", "password"),
    ],
)
def test_organisation_create_refuses_bad_input_with_exit_2_and_the_field(db, args, stdin, field):
    code, _out, err = run(*args, stdin=stdin)
    assert code == 2
    assert err.startswith(f"{field}: ")
    assert Organisation.objects.count() == 0
    assert User.objects.count() == 0


def test_organisation_create_refuses_a_duplicate_name_or_email(db):
    assert run("Réseau", "--email", "a@example.org")[0] == 0
    code, _, err = run("réseau", "--email", "A@example.org")
    assert code == 2
    assert "name: An organisation named “réseau” exists already." in err
    assert "email: a@example.org already has an account." in err
    assert Organisation.objects.count() == 1


# --- demo organiser --------------------------------------------------------------------------


def test_demo_organiser_is_a_plain_user(db):
    factories.organisation(name="Pactes Locaux (demo)")
    out = io.StringIO()
    call_command("demo_organiser", stdout=out)
    user = User.objects.get(username="organiser")
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert user.organiser.role == "editor"
    assert out.getvalue().startswith("Organiser login: organiser / planner-demo")
    assert "/admin/" not in out.getvalue()


# --- invitations -----------------------------------------------------------------------------


def link_in(message) -> str:
    return re.search(r"http://\S+(/accounts/invitation/\S+/)", message.body).group(1)


def test_an_editor_invites_and_the_colleague_joins_with_the_role(organiser, org, invite):
    response = invite(signed_in(organiser), language="fr")
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["paul@example.org"]
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.language) == ("viewer", "fr")
    # Written in French: the expiry date is CLDR's French, whatever the catalogues hold.
    expires = timezone.localtime(invitation.expires_at)
    assert i18n.full_date(expires.date(), "fr") in message.body
    path = link_in(message)
    client = Client()
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"password1": "Garrigue-en-fleurs", "password2": "Garrigue-en-fleurs"}
    )
    assert response.status_code == 302
    assert response.url == "/"
    joined = Organiser.objects.select_related("user").get(user__email="paul@example.org")
    assert (joined.organisation, joined.role) == (org, "viewer")
    assert (joined.user.is_staff, joined.user.is_superuser) == (False, False)
    assert client.get("/").status_code == 200  # signed in
    gone = Client().get(path)
    assert gone.status_code == 410
    assert "used already" in gone.content.decode()


def test_the_invitation_email_is_in_the_language_chosen(organiser, invite):
    invite(signed_in(organiser), email="ana@example.org", role="editor", language="es")
    (message,) = mail.outbox
    expires = timezone.localtime(Invitation.objects.get().expires_at)
    assert i18n.full_date(expires.date(), "es") in message.body
    assert OutgoingEmail.objects.get().language == "es"


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("paul@", "Enter a valid email address."),
        ("organiser@example.org", "organiser@example.org already has an account."),
    ],
)
def test_an_invitation_to_a_bad_or_taken_address_is_refused_on_the_field(
    organiser, email, reason, invite
):
    User.objects.filter(pk=organiser.pk).update(email="organiser@example.org")
    response = invite(signed_in(organiser), email=email)
    assert response.status_code == 422
    form = response.context["invite_form"]
    assert form.errors["email"] == [reason]
    assert Invitation.objects.count() == 0
    assert mail.outbox == []


def test_inviting_twice_is_refused_until_revoked(organiser, org, invite):
    client = signed_in(organiser)
    invite(client)
    response = invite(client)
    assert response.context["invite_form"].errors["email"] == [
        "paul@example.org is invited already; revoke that invitation to send a new one."
    ]
    invitation = Invitation.objects.get()
    path = link_in(mail.outbox[0])
    client.post(f"/accounts/team/invitations/{invitation.pk}/revoke/")
    assert Invitation.objects.count() == 0
    assert "not valid" in Client().get(path).content.decode()
    assert invite(client).status_code == 302


def test_an_expired_invitation_says_so_and_can_be_sent_again(organiser, org):
    past = timezone.now() - services.INVITATION_VALID_FOR - dt.timedelta(minutes=1)
    _invitation, key = services.invitation_create(
        organisation=org,
        email="late@example.org",
        role="editor",
        language="en",
        invited_by=organiser,
        now=past,
    )
    response = Client().post(
        f"/accounts/invitation/{key}/",
        {"password1": "Garrigue-en-fleurs", "password2": "Garrigue-en-fleurs"},
    )
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert not User.objects.filter(email="late@example.org").exists()
    services.invitation_create(
        organisation=org,
        email="late@example.org",
        role="editor",
        language="en",
        invited_by=organiser,
    )
    assert Invitation.objects.filter(email="late@example.org").count() == 1


def test_accepting_checks_the_password(organiser, org):
    _invitation, key = services.invitation_create(
        organisation=org,
        email="paul@example.org",
        role="editor",
        language="en",
        invited_by=organiser,
    )
    response = Client().post(f"/accounts/invitation/{key}/", {"password1": "a", "password2": "b"})
    assert response.status_code == 422
    assert response.context["form"].errors["password2"] == ["The two passwords differ."]
    response = Client().post(
        f"/accounts/invitation/{key}/",
        {"password1": "paul@example.org", "password2": "paul@example.org"},
    )
    assert response.status_code == 422
    assert not User.objects.filter(email="paul@example.org").exists()


def test_an_invitation_link_of_unknown_key_is_refused(db):
    response = Client().get("/accounts/invitation/" + "x" * 43 + "/")
    assert response.status_code == 410


# --- team page and roles ---------------------------------------------------------------------


def test_the_team_lists_members_and_pending_invitations(organiser, viewer, org, other_org, invite):
    factories.organiser(other_org, username="stranger")
    invite(signed_in(organiser), email="paul@example.org")
    page = signed_in(viewer).get("/accounts/team/")
    assert page.status_code == 200
    members = [m.user.username for m in page.context["members"]]
    assert members == ["organiser", "viewer"]
    assert [i.email for i in page.context["invitations"]] == ["paul@example.org"]
    html = page.content.decode()
    assert "invite-button" not in html and "/revoke/" not in html  # read only for a viewer


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/team/invite/",
        "/accounts/team/members/{member}/role/",
        "/accounts/team/members/{member}/remove/",
        "/accounts/team/invitations/{invitation}/revoke/",
    ],
)
def test_a_viewer_cannot_change_the_team(organiser, viewer, org, path):
    invitation, _key = services.invitation_create(
        organisation=org,
        email="paul@example.org",
        role="editor",
        language="en",
        invited_by=organiser,
    )
    target = path.format(member=organiser.organiser.pk, invitation=invitation.pk)
    response = signed_in(viewer).post(target, {"role": "viewer", "email": "x@example.org"})
    assert response.status_code == 403
    assert Organiser.objects.get(user=organiser).role == "editor"
    assert Invitation.objects.count() == 1


def test_an_editor_changes_roles_but_the_last_editor_stays(organiser, viewer):
    client = signed_in(organiser)
    me = organiser.organiser.pk
    response = client.post(f"/accounts/team/members/{me}/role/", {"role": "viewer"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The organisation's last editor stays an editor: make another first."
    ]
    assert Organiser.objects.get(pk=me).role == "editor"
    response = client.post(f"/accounts/team/members/{me}/remove/", follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The organisation's last editor cannot be removed: make another first."
    ]
    client.post(f"/accounts/team/members/{viewer.organiser.pk}/role/", {"role": "editor"})
    assert Organiser.objects.get(user=viewer).role == "editor"
    client.post(f"/accounts/team/members/{me}/role/", {"role": "viewer"})
    assert Organiser.objects.get(pk=me).role == "viewer"


def test_an_editor_removes_a_member_whose_account_goes(organiser, viewer):
    factories.token_for(viewer)
    signed_in(organiser).post(f"/accounts/team/members/{viewer.organiser.pk}/remove/")
    assert not User.objects.filter(pk=viewer.pk).exists()
    assert ApiToken.objects.filter(user_id=viewer.pk).count() == 0


def test_another_organisations_member_is_not_found(organiser, other_org):
    stranger = factories.organiser(other_org, username="stranger")
    client = signed_in(organiser)
    target = stranger.organiser.pk
    assert client.post(f"/accounts/team/members/{target}/remove/").status_code == 404
    assert (
        client.post(f"/accounts/team/members/{target}/role/", {"role": "viewer"}).status_code == 404
    )
    assert User.objects.filter(pk=stranger.pk).exists()


# --- viewers ---------------------------------------------------------------------------------


def test_a_viewer_reads_pages_but_gets_403_on_page_writes(viewer, visit):
    client = signed_in(viewer)
    assert client.get("/").status_code == 200
    assert client.get(f"/visits/{visit.pk}/").status_code == 200
    assert client.post(f"/visits/{visit.pk}/solve/").status_code == 403


def test_a_viewers_token_reads_but_never_writes(viewer, visit):
    from tests.conftest import ApiClient

    api = ApiClient(factories.token_for(viewer))
    assert api.get("/visits").status_code == 200
    assert api.get(f"/visits/{visit.pk}/venues").status_code == 200
    for response in (
        api.post(f"/visits/{visit.pk}/venues", {"name": "Salle"}),
        api.put(f"/visits/{visit.pk}", {"title": "x"}),
        api.delete(f"/visits/{visit.pk}"),
    ):
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Your role in this organisation is to read, not to change."
        }


def test_a_viewers_session_never_writes_through_the_api(viewer, visit):
    client = signed_in(viewer)
    assert client.get("/api/v1/visits").status_code == 200
    response = client.delete(f"/api/v1/visits/{visit.pk}")
    assert response.status_code == 403


def test_an_editors_token_still_writes(organiser, visit):
    from tests.conftest import ApiClient

    api = ApiClient(factories.token_for(organiser))
    assert api.post(f"/visits/{visit.pk}/venues", {"name": "Salle des fêtes"}).status_code == 201


# --- my API tokens ---------------------------------------------------------------------------


def test_my_tokens_shows_the_key_once_and_revokes(organiser, other_org):
    stranger = factories.organiser(other_org, username="stranger")
    theirs, _ = services.api_token_create(user=stranger, name="theirs")
    client = signed_in(organiser)
    response = client.post("/accounts/tokens/", {"name": "Tableur"})
    assert response.status_code == 201
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=organiser)
    assert token.key_hash == ApiToken.hash_key(key)
    page = client.get("/accounts/tokens/")
    assert key not in page.content.decode()
    assert [t.name for t in page.context["tokens"]] == ["Tableur"]
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert not ApiToken.objects.filter(user=organiser).exists()
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_a_token_needs_a_name(organiser):
    response = signed_in(organiser).post("/accounts/tokens/", {"name": "  "})
    assert response.status_code == 422
    assert "name" in response.context["form"].errors


# --- sign in, out, password change and reset ------------------------------------------------


def test_sign_in_with_the_email_and_sign_out_by_post(organiser):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "organiser", "password": "pw-for-tests-only"}
    )
    assert response.status_code == 302
    User.objects.create_user("paul@example.org", "paul@example.org", "Garrigue-en-fleurs")
    assert (
        Client()
        .post(
            "/accounts/login/", {"username": " Paul@Example.org", "password": "Garrigue-en-fleurs"}
        )
        .status_code
        == 302
    )
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_and_reset_in_french(organiser):
    User.objects.filter(pk=organiser.pk).update(email="organiser@example.org")
    client = signed_in(organiser)
    page = client.get("/accounts/password_change/", headers={"accept-language": "fr"})
    assert page.context["form"]["old_password"].label == "Ancien mot de passe"
    response = Client().post(
        "/accounts/password_reset/",
        {"email": "ORGANISER@example.org"},
        headers={"accept-language": "fr"},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["organiser@example.org"]
    path = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    assert Client().get(path, follow=True).context["validlink"] is True


def test_organisers_are_never_staff_so_the_nav_hides_the_admin(organiser):
    html = signed_in(organiser).get("/").content.decode()
    assert "/admin/" not in html
    assert "/accounts/team/" in html
    staff = User.objects.create_user("op", password="pw", is_staff=True)
    assert "/admin/" in signed_in(staff).get("/accounts/password_change/").content.decode()


def test_invitation_service_refuses_an_unknown_role(organiser, org):
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(
            organisation=org,
            email="x@example.org",
            role="owner",
            language="fr",
            invited_by=organiser,
        )
    assert exc.value.message_dict == {"role": ["Choose editor or viewer."]}
