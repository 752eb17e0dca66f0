"""Fictional demo data so a fresh ``bin/dev`` shows a living program.

The core creates regions, districts and one user per role; each app adds its own data
through a ``demo.seed(stdout)`` function, called in dependency order.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fiep.demo import seed as seed_core
from fiep.models import District

APPS_IN_ORDER = ["fiep_requests", "facilitators", "meetings", "evaluations", "reports"]


class Command(BaseCommand):
    help = "Create fictional demo data (regions, districts, users, cases, history)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="allow running with DJANGO_DEBUG=false"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has districts",
        )

    def handle(self, force, if_empty, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo writes fictional data and demo passwords; it refuses to run with "
                "DJANGO_DEBUG=false. Use --force if you really mean it."
            )
        if if_empty and District.objects.exists():
            self.stdout.write("Demo data: the database is not empty; nothing to do.")
            return
        with transaction.atomic():
            seed_core(self.stdout)
            for label in APPS_IN_ORDER:
                try:
                    module = import_module(f"{label}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{label}.demo":
                        raise
                    continue
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data created."))
