"""Destroy the identifying data of expired cases now (the scheduled task does it nightly).

    manage.py purge_student_data --dry-run   # what would be destroyed, writes nothing
    manage.py purge_student_data             # destroy and write a certificate

Prints counts and tracking numbers only, never names.
"""

from django.core.management.base import BaseCommand

from fiep_requests.retention import purge_summary, retention_years, student_data_purge


class Command(BaseCommand):
    help = "Destroy student-identifying data of expired cases (34 CFR 300.624)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be destroyed; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        self.stdout.write(f"Retention period: {retention_years()} years.")
        result = student_data_purge(dry_run=dry_run)
        for line in purge_summary(result):
            self.stdout.write(line)
