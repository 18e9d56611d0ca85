"""An operator creates an organisation and its first organiser (an editor)."""

import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db import transaction

from planner.services import organisation_create
from web.accounts import password_set_link


class Command(BaseCommand):
    help = (
        "Create an organisation and its first organiser (an editor), and print a one-time link "
        "where they set their password. Bad input exits with status 2 and names the field."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the organisation's name, unique")
        parser.add_argument("--email", required=True, help="the first organiser's email")
        parser.add_argument("--country", default="", help="ISO 3166 code, such as FR")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the organiser's password from standard input instead of printing a link",
        )

    def handle(self, *args, name, email, country, password_stdin, **options):
        password = None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            try:
                password_validation.validate_password(password)
            except ValidationError as exc:
                self._refuse({"password": exc.messages})
        try:
            with transaction.atomic():
                organisation, organiser = organisation_create(
                    name=name, email=email, country=country, password=password
                )
        except ValidationError as exc:
            self._refuse(exc.message_dict)
        user = organiser.user
        self.stdout.write(f"Organisation: {organisation.name} (id {organisation.pk})")
        self.stdout.write(f"Organiser:    {user.email} (editor)")
        if password is None:
            self.stdout.write(
                "Set the password (the link works once, for a limited time):\n"
                f"  {password_set_link(user)}"
            )
        else:
            self.stdout.write("Password set from standard input.")

    def _refuse(self, errors: dict) -> None:
        # Exit 2 is a usage error, as argparse's own: the input was wrong, not the system.
        for field, messages in errors.items():
            for message in messages:
                self.stderr.write(f"{field}: {message}")
        raise SystemExit(2)
