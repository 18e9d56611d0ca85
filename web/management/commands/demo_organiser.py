from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from planner.models import Organisation, Organiser

DEMO_ORGANISATION = "Pactes Locaux (demo)"


class Command(BaseCommand):
    help = "Create (or reset) the demo organiser login and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="organiser")
        parser.add_argument("--password", default="planner-demo")

    @transaction.atomic
    def handle(self, *args, username, password, **options):
        organisation = Organisation.objects.filter(name=DEMO_ORGANISATION).first()
        if organisation is None:
            raise CommandError("Load the demo first: manage.py load_demo")
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        # An organiser plans in the product's pages: never staff, never superuser (the admin is
        # an operator's). Only write what differs, so running the demo twice changes nothing.
        if user.is_staff or user.is_superuser or not user.check_password(password):
            user.is_staff = user.is_superuser = False
            user.set_password(password)
            user.save()
        Organiser.objects.update_or_create(
            user=user, defaults={"organisation": organisation, "role": Organiser.Role.EDITOR}
        )
        site = settings.SITE_URL
        self.stdout.write(
            f"Organiser login: {username} / {password} ({organisation})\n"
            f"  App:        {site}/\n"
            f"  Team:       {site}/accounts/team/\n"
            f"  API tokens: {site}/accounts/tokens/\n"
            f"  API docs:   {site}/api/v1/docs"
        )
