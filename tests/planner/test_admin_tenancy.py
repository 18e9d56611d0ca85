"""The admin shows a staff user only what their organisation owns.

Every test runs over ``admin.site._registry``: a ModelAdmin added tomorrow is checked by the
same tests (and fails the first one until it says how its rows reach their organisation)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import get_user_model
from django.forms import ModelChoiceField
from django.test import Client, RequestFactory
from django.urls import reverse
from django_q.conf import Conf

from events.models import Venue, Visit
from planner import services
from planner.admin_tenancy import OrganisationScopedAdmin, OrganisationScopedInline
from planner.models import ApiToken
from tests.planner.conftest import A_NAME, A_VISIT
from tests.planner.tenancy import (
    admin_id,
    scoped_admins,
    staff_of,
    superuser_only_admins,
)

ADMINS = scoped_admins()


@pytest.fixture
def a(world, db):
    return world[0]


@pytest.fixture
def b(world, db):
    return world[1]


@pytest.fixture
def b_staff(b):
    client = Client()
    client.force_login(staff_of(b, "beta-operator"))
    return client


def url(model_admin, name: str, *args) -> str:
    meta = model_admin.model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{name}", args=args)


def test_every_registered_admin_declares_its_organisation_path():
    unscoped = [
        admin_id(ma)
        for ma in ADMINS
        if not isinstance(ma, OrganisationScopedAdmin)
        or not isinstance(getattr(ma, "organisation_path", None), str)
    ]
    inlines = [
        f"{admin_id(ma)}:{inline.__name__}"
        for ma in ADMINS
        for inline in ma.inlines
        if not issubclass(inline, OrganisationScopedInline)
    ]
    assert (unscoped, inlines) == ([], [])
    # Each hop is single-valued, so filtering on the path never repeats a row.
    many = [
        admin_id(ma)
        for ma in ADMINS
        if ma.organisation_path
        and any(
            f.many_to_many or f.one_to_many
            for f in get_fields_from_path(ma.model, ma.organisation_path)
        )
    ]
    assert many == []
    # django-q2 shows its ORM queue in the admin only with the ORM broker (not with Redis).
    queue = ["django_q.ormq"] if Conf.ORM or Conf.TESTING else []
    assert sorted(admin_id(ma) for ma in superuser_only_admins()) == sorted(
        ["auth.group", "django_q.failure", "django_q.schedule", "django_q.success", *queue]
    )


@pytest.mark.parametrize("model_admin", superuser_only_admins(), ids=admin_id)
def test_operator_infrastructure_is_for_superusers_only(b_staff, model_admin):
    assert b_staff.get(url(model_admin, "changelist")).status_code == 403
    assert b_staff.get(url(model_admin, "add")).status_code == 403


@pytest.mark.parametrize("model_admin", ADMINS, ids=admin_id)
def test_each_organisation_has_rows_of_every_admin_model(a, b, model_admin):
    # Otherwise the tests below would pass on an empty table.
    assert a.rows(model_admin.model).exists()
    assert b.rows(model_admin.model).exists()
    assert not set(a.rows(model_admin.model)) & set(b.rows(model_admin.model))


@pytest.mark.parametrize("model_admin", ADMINS, ids=admin_id)
def test_changelist_shows_none_of_another_organisations_rows(a, b, b_staff, model_admin):
    response = b_staff.get(url(model_admin, "changelist"))
    assert response.status_code == 200
    shown = {row.pk for row in response.context["cl"].queryset}
    assert shown & {row.pk for row in a.rows(model_admin.model)} == set()
    if model_admin.model is not ApiToken:  # tokens: only the operator's own (none yet)
        assert {row.pk for row in b.rows(model_admin.model)} <= shown
    html = response.content.decode()
    assert A_NAME not in html
    assert A_VISIT not in html


@pytest.mark.parametrize("model_admin", ADMINS, ids=admin_id)
def test_change_delete_and_history_of_another_organisations_row_are_out_of_reach(
    a, b, b_staff, model_admin
):
    row = a.rows(model_admin.model).first()
    for name in ("change", "delete", "history"):
        response = b_staff.get(url(model_admin, name, row.pk))
        assert response.status_code in (302, 403, 404), name
        if response.status_code == 302:
            assert response.url == reverse("admin:index")
    response = b_staff.post(url(model_admin, "delete", row.pk), {"post": "yes"})
    assert response.status_code in (302, 403, 404)
    assert model_admin.model.objects.filter(pk=row.pk).exists()
    changelist = url(model_admin, "changelist")
    b_staff.post(changelist, {"action": "delete_selected", "_selected_action": [row.pk]})
    assert model_admin.model.objects.filter(pk=row.pk).exists()


def _choice_fields(context) -> list[tuple[str, ModelChoiceField]]:
    fields = [
        (name, field)
        for name, field in context["adminform"].form.fields.items()
        if isinstance(field, ModelChoiceField)
    ]
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        # The hidden row id lists every row, but an inline only ever saves rows of its parent.
        row_id = formset.model._meta.pk.name
        for form in [*formset.forms, formset.empty_form]:
            fields += [
                (f"{formset.prefix}.{name}", field)
                for name, field in form.fields.items()
                if isinstance(field, ModelChoiceField) and name != row_id
            ]
    return fields


@pytest.mark.parametrize("model_admin", ADMINS, ids=admin_id)
def test_add_and_change_forms_offer_none_of_another_organisations_rows(a, b, b_staff, model_admin):
    request = RequestFactory().get("/admin/")
    request.user = _user(b_staff)
    if model_admin.model is ApiToken:
        services.api_token_create(user=request.user, name="operator's")
    own = model_admin.get_queryset(request).first()
    pages = [url(model_admin, "change", own.pk), url(model_admin, "add")]
    for page in pages:
        response = b_staff.get(page)
        if response.status_code == 403:  # read-only records, organisations: not added here
            continue
        assert response.status_code == 200, page
        for name, field in _choice_fields(response.context):
            offered = set(field.queryset)
            assert offered & set(a.rows(field.queryset.model)) == set(), (page, name)
        html = response.content.decode()
        assert A_NAME not in html and A_VISIT not in html, page
    owner = model_admin.owner_field()
    if owner:  # never picked: shown, and set to the operator's organisation
        assert owner in model_admin.get_readonly_fields(request)


def _user(client):
    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_a_visit_added_by_a_staff_organiser_is_their_organisations(a, b, b_staff):
    add = url(admin.site._registry[Visit], "add")
    page = b_staff.get(add).context
    form = page["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "owner": a.organisation.pk,  # ignored: the owner is not a field for them
            "title": "Slipped in",
            "slug": "slipped-in",
            "kind": "delegation",
            "start_date": "2009-05-04",
            "end_date": "2009-05-05",
            "working_languages": '["fr"]',
        }
    )
    for inline in page["inline_admin_formsets"]:
        data.update(
            {f"{inline.formset.prefix}-TOTAL_FORMS": 0, f"{inline.formset.prefix}-INITIAL_FORMS": 0}
        )
    response = b_staff.post(add, data)
    visit = Visit.objects.filter(title="Slipped in").first()
    assert visit is not None, response.context["adminform"].form.errors
    assert visit.owner == b.organisation


def test_a_venue_cannot_be_added_to_another_organisations_visit(a, b, b_staff):
    response = b_staff.post(
        url(admin.site._registry[Venue], "add"),
        {"visit": a.trip.visit.pk, "name": "Slipped in", "kind": "meeting"},
    )
    assert response.status_code == 200
    assert "visit" in response.context["adminform"].form.errors
    assert not Venue.objects.filter(name="Slipped in").exists()


def test_a_staff_organiser_mints_tokens_only_for_themselves(a, b, b_staff):
    tokens = url(admin.site._registry[ApiToken], "add")
    for other in (a.user, b.user):  # another organisation's organiser, or a colleague
        response = b_staff.post(tokens, {"user": other.pk, "name": "not mine"})
        assert response.status_code == 200
        assert "user" in response.context["adminform"].form.errors
    assert not ApiToken.objects.filter(name="not mine").exists()
    operator = _user(b_staff)
    b_staff.post(tokens, {"user": operator.pk, "name": "mine"})
    assert list(ApiToken.objects.filter(name="mine").values_list("user", flat=True)) == [
        operator.pk
    ]


def test_a_staff_organiser_cannot_make_themselves_superuser(b, b_staff):
    operator = _user(b_staff)
    form = b_staff.get(url(admin.site._registry[get_user_model()], "change", operator.pk))
    assert "is_superuser" not in form.context["adminform"].form.fields
    assert "user_permissions" not in form.context["adminform"].form.fields


@pytest.mark.parametrize("model_admin", ADMINS, ids=admin_id)
def test_staff_of_no_organisation_sees_no_organisation_data(a, model_admin):
    client = Client()
    client.force_login(staff_of(None, "lone-operator"))
    assert client.get(url(model_admin, "changelist")).status_code == 403
    row = a.rows(model_admin.model).first()
    assert client.get(url(model_admin, "change", row.pk)).status_code in (302, 403)


@pytest.mark.parametrize("model_admin", ADMINS, ids=admin_id)
def test_superusers_see_every_organisation(a, b, model_admin):
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    response = client.get(url(model_admin, "changelist"))
    shown = {row.pk for row in response.context["cl"].queryset}
    assert {r.pk for r in a.rows(model_admin.model)} | {
        r.pk for r in b.rows(model_admin.model)
    } <= shown


def _autocomplete_fields() -> list[tuple[str, str, str]]:
    """(app_label, model_name, field_name) of every autocomplete widget, inlines included."""
    found = []
    for model_admin in ADMINS:
        for holder in [model_admin, *model_admin.inlines]:
            model = holder.model
            for name in getattr(holder, "autocomplete_fields", ()):
                found.append((model._meta.app_label, model._meta.model_name, name))
    return found


@pytest.mark.parametrize(("app", "model", "field"), _autocomplete_fields())
def test_autocomplete_offers_none_of_another_organisations_rows(a, b, b_staff, app, model, field):
    response = b_staff.get(
        reverse("admin:autocomplete"),
        {"app_label": app, "model_name": model, "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    target = apps.get_model(app, model)._meta.get_field(field).related_model
    offered = {int(item["id"]) for item in response.json()["results"]}
    assert offered
    assert offered & {row.pk for row in a.rows(target)} == set()
