"""Creates the first system administrator of a new installation.

    manage.py create_administrator                      # asks for username and password
    BRYGGA_ADMIN_PASSWORD=... manage.py create_administrator --username anna --no-input

The password never goes on the command line (it would end up in the shell history and in
`ps`). The administrator enrols an authenticator app at the first login, after giving the
enrolment code printed here (decision 0021).
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from brygga.audit.log import record
from brygga.audit.models import Action
from brygga.organisation import enrolment
from brygga.organisation.models import Membership, Role, User

PASSWORD_VARIABLE = "BRYGGA_ADMIN_PASSWORD"  # noqa: S105 - the variable's name, not a secret


class Command(BaseCommand):
    help = "Create a system administrator (no case content; manages users and units)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", help="Asked for when left out.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ask nothing; the password comes from ${PASSWORD_VARIABLE}.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interactive = options["interactive"]
        username = (options["username"] or "").strip()
        if not username:
            if not interactive:
                raise CommandError("--username is required with --no-input.")
            username = input("Username: ").strip()
        if not username:
            raise CommandError("A username is required.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"The user {username!r} already exists.")

        user = User(
            username=username,
            first_name=options["first_name"],
            last_name=options["last_name"],
            is_demo=False,
        )
        password = self._password(user, interactive)

        with transaction.atomic():
            user.set_password(password)
            user.save()
            Membership.objects.create(user=user, role=Role.ADMINISTRATOR, unit=None)
            record(None, Action.CREATE, obj=user, detail={"command": "create_administrator"})
            code = enrolment.issue_code(None, user)
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator {username!r} created. "
                "An authenticator app is enrolled at the first login, after the enrolment "
                f"code {code} (shown only now; valid {settings.ENROLMENT_CODE_HOURS} hours, once)."
            )
        )

    def _password(self, user: User, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"Set ${PASSWORD_VARIABLE} to the password with --no-input.")
            self._validate(password, user)
            return password
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ. Try again.")
                continue
            try:
                self._validate(password, user)
            except CommandError as error:
                self.stderr.write(str(error))
                continue
            return password

    def _validate(self, password: str, user: User) -> None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(str(message) for message in error.messages)) from error
