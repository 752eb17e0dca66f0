"""``manage.py annual_report``: the report for a period as PDF, JSON or CSV."""

import datetime
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from fiep.schoolyear import school_year_from_label
from reports import metrics
from reports.models import ReportFormat
from reports.services import SPOTLIGHT, export_json_with_records, render_report


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date like 2016-07-01") from exc


class Command(BaseCommand):
    help = (
        "Write the program report for an inclusive period: "
        "--start YYYY-MM-DD --end YYYY-MM-DD (or --school-year 2017-2018) "
        "--format pdf|json|csv|spotlight --output PATH|- (- is standard output); "
        "spotlight is the one-page summary, --language en|es."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", help="first day, YYYY-MM-DD")
        parser.add_argument("--end", help="last day (inclusive), YYYY-MM-DD")
        parser.add_argument("--school-year", help="shorthand for one school year, e.g. 2017-2018")
        parser.add_argument(
            "--format", choices=[*ReportFormat.values, SPOTLIGHT], default=ReportFormat.JSON
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the PDFs (default: the site language)",
        )
        parser.add_argument("--output", default="-", help="file to write, or - for stdout")
        parser.add_argument(
            "--with-records",
            action="store_true",
            help="JSON only: add the case references behind each headline figure; needs "
            "--user, an office staff or administrator account, and is written to the "
            "access log under that account",
        )
        parser.add_argument("--user", help="the username the --with-records export is made by")

    def _records_user(self, format, username):
        if format != ReportFormat.JSON:
            raise CommandError("--with-records is for --format json only")
        if not username:
            raise CommandError("--with-records needs --user USERNAME (office staff)")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not user.has_perm("reports.trace_figures"):
            raise CommandError(
                f"{username!r} is not an active office staff or administrator account"
            )
        return user

    def handle(self, start, end, school_year, format, output, language, **options):
        records_user = None
        if options.get("with_records"):
            records_user = self._records_user(format, options.get("user"))
        if school_year:
            if start or end:
                raise CommandError("give either --school-year or --start/--end, not both")
            try:
                year = school_year_from_label(school_year)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            first, last = year.start, year.end
        else:
            if not (start and end):
                raise CommandError("give --start and --end, or --school-year")
            first, last = _date(start), _date(end)
            if last < first:
                raise CommandError("--end is before --start")
        report = metrics.compute(first, last)
        with translation.override(language):
            if records_user is not None:
                filename, _mimetype, data = export_json_with_records(
                    report=report, user=records_user
                )
            else:
                filename, _mimetype, data = render_report(report, format)
        if output == "-":
            self.stdout.flush()
            stream = getattr(self.stdout, "_out", sys.stdout)
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                buffer.write(data)
                buffer.flush()
            else:
                stream.write(data.decode("utf-8", errors="replace"))
            return
        Path(output).write_bytes(data)
        self.stderr.write(f"Wrote {output} ({len(data)} bytes, {filename}).")
