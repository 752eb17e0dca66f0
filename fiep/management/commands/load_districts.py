from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fiep.services import CsvLoadError, districts_load_csv


class Command(BaseCommand):
    help = "Create or update districts and regions from a CSV file with code,name,region."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)

    def handle(self, csv_file, **options):
        try:
            text = csv_file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"{csv_file}: {exc.strerror}") from exc
        try:
            created, updated, unchanged = districts_load_csv(text=text, filename=csv_file.name)
        except CsvLoadError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(exc.errors)} problem(s); nothing was written.") from exc
        self.stdout.write(
            f"{csv_file.name}: {created} created, {updated} updated, {unchanged} unchanged"
        )
