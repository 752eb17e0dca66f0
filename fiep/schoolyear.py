"""School-year arithmetic. A school year starts on the first day of
``FIEP_SCHOOL_YEAR_START_MONTH`` (default July) and is labelled by the calendar years it
spans, ``2016-2017``. With a January start, a school year is one calendar year and is still
labelled ``2017-2018`` style by its start year, so labels stay comparable across states.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

LABEL_RE = re.compile(r"^(\d{4})-(\d{4})$")


def _start_month(start_month=None):
    return start_month or settings.FIEP_SCHOOL_YEAR_START_MONTH


@dataclass(frozen=True, order=True)
class SchoolYear:
    """The school year that starts in ``start_year``."""

    start_year: int
    start_month: int = 7

    @property
    def label(self):
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def start(self):
        return datetime.date(self.start_year, self.start_month, 1)

    @property
    def end(self):
        """The last day of the school year (inclusive)."""
        return SchoolYear(self.start_year + 1, self.start_month).start - datetime.timedelta(days=1)

    def __str__(self):
        return self.label


def school_year_of(day, start_month=None):
    """The school year containing ``day``."""
    month = _start_month(start_month)
    year = day.year if day.month >= month else day.year - 1
    return SchoolYear(year, month)


def school_year_from_label(label, start_month=None):
    """Parse ``2016-2017``; raises ValueError with a readable message otherwise."""
    match = LABEL_RE.match(label.strip())
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ValueError(f"{label!r} is not a school year like 2016-2017")
    return SchoolYear(int(match[1]), _start_month(start_month))


def school_years_between(start, end, start_month=None):
    """Every school year overlapping the inclusive range ``start``..``end``, oldest first."""
    if end < start:
        return []
    first = school_year_of(start, start_month)
    last = school_year_of(end, start_month)
    return [SchoolYear(y, first.start_month) for y in range(first.start_year, last.start_year + 1)]


def current_school_year(start_month=None):
    return school_year_of(timezone.localdate(), start_month)
