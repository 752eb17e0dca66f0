from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.history.formats import FILE_ORDER, MAX_FILE_BYTES
from reports.history.importer import HistoryImportError, history_import


class Command(BaseCommand):
    help = (
        "Load program-history CSV files (districts.csv, facilitators.csv, meetings.csv, "
        "evaluations.csv, dispute_stats.csv: any subset) from DIR, all or nothing. "
        "Format: docs/history-import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and show what would change, without writing anything.",
        )

    def handle(self, directory, dry_run=False, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory}: not a directory")
        files = {}
        for name in FILE_ORDER:
            path = directory / name
            if not path.is_file():
                continue
            if path.stat().st_size > MAX_FILE_BYTES * 20:
                raise CommandError(f"{name}: larger than {MAX_FILE_BYTES * 20} bytes")
            try:
                files[name] = path
            except OSError as exc:
                raise CommandError(f"{path}: {exc.strerror}") from exc
        if not files:
            raise CommandError(
                f"{directory}: none of the history files ({', '.join(FILE_ORDER)}) is there"
            )
        try:
            result = history_import(files=files, dry_run=dry_run)
        except HistoryImportError as exc:
            for line in exc.problems:
                self.stderr.write(line)
            raise CommandError("The files have problems; nothing was written.") from exc
        for line in result.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
