"""``manage.py annual_report``: the report for a period as PDF, JSON or CSV."""

import datetime
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from fiep.schoolyear import school_year_from_label
from reports import metrics
from reports.models import ReportFormat
from reports.services import SPOTLIGHT, render_report


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

    def handle(self, start, end, school_year, format, output, language, **options):
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
