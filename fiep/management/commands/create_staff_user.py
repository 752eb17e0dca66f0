"""Create a log-in for office staff, an administrator, a facilitator or a district liaison.

The way to make the first administrator of a new installation (README, "Production"):

    bin/entrypoint manage create_staff_user alice --role administrator --email alice@state.gov

The password is asked for twice (or read from ``--password-file``) and checked against the
password rules. Two-step log-in is set up by the person through the one-time link that
``manage.py mfa_setup_link USERNAME`` sends, so nobody else ever sees their key.
"""

import getpass
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fiep.models import District, Role, User
from fiep.roles import ensure_role_groups

ROLES = {
    "office-staff": Role.OFFICE_STAFF,
    "administrator": Role.ADMINISTRATOR,
    "facilitator": Role.FACILITATOR,
    "district-liaison": Role.DISTRICT_LIAISON,
}


class Command(BaseCommand):
    help = "Create a staff log-in with a role (then send a set-up link: mfa_setup_link)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(ROLES))
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--district", default="", help="LEA code (district liaisons only)")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="read the password from this file (first line) instead of asking",
        )

    def handle(self, username, role, email, first_name, last_name, district, password_file, **_):
        role = ROLES[role]
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists; nothing was changed.")
        home = None
        if role == Role.DISTRICT_LIAISON:
            home = District.objects.filter(code=district).first()
            if home is None:
                raise CommandError("A district liaison needs --district with a known LEA code.")
        elif district:
            raise CommandError("--district is only for district liaisons.")
        password = self._password(password_file)
        with transaction.atomic():
            user = User(
                username=username,
                email=email,
                first_name=first_name,
                last_name=last_name,
                district=home,
                # Administrators also manage the Django admin (users, districts, settings).
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
            )
            user.save()
            user.groups.add(ensure_role_groups()[role])
            try:
                # After the role is set: the length rule depends on two-step log-in.
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages) + " Nothing was created.") from exc
            user.set_password(password)
            user.save(update_fields=["password"])
        self.stdout.write(
            f"Created {username} ({role.label}). Send the two-step set-up link with: "
            f"manage.py mfa_setup_link {username}"
        )

    def _password(self, password_file):
        if password_file is not None:
            try:
                lines = password_file.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"{password_file}: {exc.strerror}") from exc
            if not lines or not lines[0]:
                raise CommandError(f"{password_file} is empty.")
            return lines[0]
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except EOFError as exc:
            raise CommandError("No password given (use --password-file).") from exc
        if first != second:
            raise CommandError("The passwords do not match; nothing was created.")
        return first
