"""Print live demo links (consent, survey) for a demo walk; bin/dev runs it at start."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .seed_demo import APPS_IN_ORDER


class Command(BaseCommand):
    help = (
        "Print unused, unexpired demo links (the other party's consent, a survey) for the "
        "demo walk, inviting a demo participant when no survey link is live. Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="allow running with DJANGO_DEBUG=false"
        )

    def handle(self, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo_links may invite a demo participant; it refuses to run with "
                "DJANGO_DEBUG=false. Use --force if you really mean it."
            )
        links = []
        for label in APPS_IN_ORDER:
            try:
                module = import_module(f"{label}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{label}.demo":
                    raise
                continue
            if hasattr(module, "live_links"):
                links.extend(module.live_links())
        if not links:
            self.stdout.write("Demo links: none live (start from an empty database).")
            return
        self.stdout.write("Demo links for the walk (single-use; run `manage.py demo_links` again):")
        for label, url in links:
            self.stdout.write(f"  {label}: {url}")
