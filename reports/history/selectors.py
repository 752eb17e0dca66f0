"""Reads of the history part of reports: dispute statistics with year-over-year change,
and the past imports.
"""

from dataclasses import dataclass

from reports.models import DisputeStatistics, HistoryImport

DISPUTE_FIELDS = ["child_complaints", "allegations", "mediations", "due_process"]


@dataclass(frozen=True)
class Change:
    """One figure beside last school year's: ``delta`` and ``percent`` are None when
    there is nothing to compare with (no previous year, or a missing figure)."""

    value: int | None
    delta: int | None = None
    percent: int | None = None  # whole percent, rounded half away from zero

    @property
    def direction(self):
        if not self.delta:
            return "same" if self.delta == 0 else ""
        return "up" if self.delta > 0 else "down"


def _change(value, previous):
    if value is None or previous is None:
        return Change(value)
    delta = value - previous
    percent = None
    if previous:
        ratio = abs(delta) * 100 / previous
        percent = int(ratio + 0.5) * (1 if delta >= 0 else -1)
    return Change(value, delta, percent)


def dispute_statistics_trend():
    """Every school year's statistics, oldest first, each as ``(row, {field: Change})``;
    changes compare with the school year just before (not with an earlier one when a year
    is missing). One query: there is one row per school year.
    """
    rows = list(DisputeStatistics.objects.order_by("start_year"))
    by_year = {row.start_year: row for row in rows}
    trend = []
    for row in rows:
        previous = by_year.get(row.start_year - 1)
        changes = {
            name: _change(
                getattr(row, name), getattr(previous, name) if previous is not None else None
            )
            for name in DISPUTE_FIELDS
        }
        trend.append((row, changes))
    return trend


def recent_history_imports(limit=10):
    return list(HistoryImport.objects.select_related("imported_by").order_by("-created_at")[:limit])
