"""One organisation with a row of every model the admin shows, for the tenancy tests.

A new ModelAdmin needs two things for tests/planner/test_admin_tenancy.py to pass: its
``organisation_path`` (planner.admin_tenancy.OrganisationScopedAdmin) and a row made in
``populate`` below, so that "B sees none of A's rows" is not checked on an empty table."""

import dataclasses
import datetime as dt

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from confirmations import links
from confirmations.models import HostAnswer, Proposal, ReplanWanted
from delegations.models import SubGroup
from events.models import Precedence, VisitFormat
from invitations.models import Invitation, PendingSync
from logistics.models import ActivityGuest, Companion, LegAssignment, LetterTemplate, MealService
from notifications.models import OutgoingEmail, PendingChange
from planner.admin_tenancy import SuperuserOnlyAdmin, organisation_path_of
from planner.models import Organisation
from planner.services import invitation_create
from scheduling.models import SolveJob
from tests import factories
from tests.logistics.conftest import Trip, at


def superuser_only_admins() -> list:
    """Operator infrastructure (job queue, permission groups): no organisation path."""
    return [ma for ma in admin.site._registry.values() if isinstance(ma, SuperuserOnlyAdmin)]


def scoped_admins() -> list:
    return [ma for ma in admin.site._registry.values() if not isinstance(ma, SuperuserOnlyAdmin)]


def admin_id(model_admin) -> str:
    return model_admin.model._meta.label_lower


@dataclasses.dataclass
class Tenant:
    organisation: Organisation
    user: object  # the organiser (not staff)
    trip: Trip
    token: str

    def rows(self, model):
        """This organisation's rows of ``model``, by the path its admin declares."""
        path = organisation_path_of(model)
        if path == "":
            return model.objects.filter(pk=self.organisation.pk)
        return model.objects.filter(**{path: self.organisation}).distinct()


def populate(name: str, prefix: str) -> Tenant:
    """An organisation named ``name`` whose visit's title starts with ``prefix``: one row or
    more of every model registered in the admin."""
    org = factories.organisation(name=name)
    user = factories.organiser(org, username=f"{prefix.lower()}-organiser")
    user.email = f"{prefix.lower()}@example.org"
    user.save()
    trip = Trip(org)
    v = trip.visit
    v.title = f"{prefix} visit of April 2009"
    v.save(update_fields=["title"])
    version = trip.publish_day_one()
    programme = version.programme
    VisitFormat.objects.create(owner=org, name=f"{prefix} format")
    factories.window(v, trip.mayor, 0, "09:00", "12:00")
    Precedence.objects.create(visit=v, before=trip.meeting, after=trip.lunch)
    factories.interpreter(org)
    SubGroup.objects.create(delegation=trip.delegation, name=f"{prefix} sub-group")
    factories.journey(trip.fiset, trip.airport, at(0, 9))
    LegAssignment.objects.create(visit=v, leg_key="L1", vehicle=trip.minibus)
    MealService.objects.create(venue=trip.restaurant)
    ActivityGuest.objects.create(activity=trip.meeting, guest=trip.fiset)
    LetterTemplate.objects.create(visit=v, language="fr", subject="S", body="B")
    Companion.objects.create(visit=v, person=trip.mayor)
    links.host_link_get(visit=v, person=trip.mayor)
    email = OutgoingEmail.objects.create(
        visit=v, to_email=f"{prefix.lower()}-host@example.org", subject=f"{prefix} subject"
    )
    Proposal.objects.create(
        visit=v, version=version, person=trip.mayor, email=email, sent_at=timezone.now()
    )
    slot = version.slots.get(activity=trip.meeting)
    HostAnswer.objects.create(
        programme=programme,
        activity=trip.meeting,
        person=trip.mayor,
        version=version,
        start=slot.start,
        end=slot.end,
        answer=HostAnswer.Answer.CONFIRMED,
    )
    ReplanWanted.objects.create(programme=programme, reasons="declined")
    Invitation.objects.create(
        visit=v,
        activity=trip.meeting,
        person=trip.mayor,
        role=Invitation.Role.HOST,
        uid=f"{prefix.lower()}-invitation@example.org",
        content_hash="-",
        state=Invitation.State.SENT,
        sent_at=timezone.now(),
    )
    PendingSync.objects.create(programme=programme, due_at=timezone.now())
    SolveJob.objects.create(programme=programme)
    PendingChange.objects.create(
        visit=v,
        email=f"{prefix.lower()}-guest@example.org",
        topic="t",
        line=f"{prefix} line",
        created_at=timezone.now(),
    )
    invitation_create(
        organisation=org,
        email=f"{prefix.lower()}-colleague@example.org",
        role="viewer",
        language="fr",
        invited_by=user,
        now=timezone.now() - dt.timedelta(hours=1),
    )
    return Tenant(organisation=org, user=user, trip=trip, token=factories.token_for(user))


def staff_of(tenant: Tenant | None, username: str):
    """A staff user with every permission of the admin, planning for ``tenant`` (or none)."""
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw", is_staff=True
    )
    user.user_permissions.set(Permission.objects.all())
    if tenant is not None:
        from planner.models import Organiser

        Organiser.objects.create(user=user, organisation=tenant.organisation)
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache
