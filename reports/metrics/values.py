"""The values figures are made of: rates, suppressed counts, the median, the threshold."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


def suppression_threshold():
    return settings.FIEP_SUPPRESSION_THRESHOLD


@dataclass(frozen=True)
class Suppressed:
    """A count hidden because it is below the threshold; shows as ``<10``."""

    threshold: int

    def __str__(self):
        return f"<{self.threshold}"


@dataclass(frozen=True)
class Rate:
    """``numerator ÷ denominator``; ``value`` is None when the denominator is 0 or the rate
    is suppressed (then the counts are hidden too)."""

    numerator: int | None
    denominator: int | None
    suppressed: bool = False

    @property
    def value(self):
        if self.suppressed or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def percent(self):
        """Whole percent, half rounded up (83 of 86 → 97), or None."""
        value = self.value
        if value is None:
            return None
        exact = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def median_days(values):
    """The median of one or two middle values (timedeltas) in days, or None."""
    days = [v.days if isinstance(v, datetime.timedelta) else v for v in values]
    if not days:
        return None
    if len(days) == 1:
        return float(days[0])
    return (days[0] + days[1]) / 2


def median_of_histogram(days):
    """The median of ``[(days, count), …]`` sorted by days: the same middle one or two
    values an ordered list of every value would give (:func:`median_days`), or None."""
    count = sum(n for _d, n in days)
    if not count:
        return None
    wanted = [(count - 1) // 2, count // 2]
    values, seen = [], 0
    for value, n in days:
        while wanted and wanted[0] < seen + n:
            values.append(value)
            wanted.pop(0)
        seen += n
    return median_days(values[:1] if count % 2 else values)


def change(previous, row, key):
    """Year-over-year change of ``row[key]`` (difference and relative), or None without
    both years."""
    if previous is None or previous[key] is None or row[key] is None:
        return None
    difference = row[key] - previous[key]
    return {"difference": difference, "rate": Rate(difference, previous[key])}
