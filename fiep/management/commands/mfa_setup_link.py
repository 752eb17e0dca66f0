"""Send a user the one-time link to set up two-step log-in (the first administrator's
way in: nobody else can send them one yet)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from fiep.mfa import ENROLMENT_LINK_HOURS, enrolment_link_send


class Command(BaseCommand):
    help = "E-mail USERNAME a one-time two-step set-up link (valid 72 hours) and print it."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        _link, url = enrolment_link_send(user=user)
        self.stdout.write(f"Set-up link for {username} (valid {ENROLMENT_LINK_HOURS} hours):")
        self.stdout.write(url)
