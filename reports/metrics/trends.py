"""Figures per school year (statewide, never suppressed): the trend rows of a report.

A report's trend shows the school years of its period **and** the earlier school years on
record (up to :data:`TREND_YEARS` in all), each with its change from the year before.
Every row is built from the counts of one segment (``parts``): for the period's years the
part of the year inside the period, for the earlier years the whole year (stored once
the year is closed, ``cache``).
"""

from fiep.schoolyear import SchoolYear, school_years_between
from reports.models import DisputeStatistics

from .evaluations import evaluation_rates, evaluation_row_figures
from .meetings import districts_held, meeting_row_figures
from .values import Rate, change

#: How many school years a trend shows at most (the period's years always all show).
TREND_YEARS = 10
#: Figures whose change from the year before each trend row carries (``<name>_change``).
CHANGE_OF = ["meetings_held", "districts", "child_complaints", "allegations"]


def _has_data(row):
    return bool(
        row["meetings_held"]
        or row["requests_received"]
        or row["evaluations_completed"]
        or row["child_complaints"] is not None
    )


def trend_years(start, end, *, years=TREND_YEARS):
    """``(earlier, period)`` school years of a report's trend: the school years
    overlapping the period, and the whole school years before them so that both together
    are at most ``years`` (the empty ones are dropped later by :func:`school_year_trends`)."""
    period_years = school_years_between(start, end)
    if not period_years:
        return [], []
    first = period_years[0]
    earlier_count = max(years - len(period_years), 0)
    earlier_years = [
        SchoolYear(y, first.start_month)
        for y in range(first.start_year - earlier_count, first.start_year)
    ]
    return earlier_years, period_years


def school_year_trends(earlier_years, period_years, merged_by_year):
    """``(earlier, period)`` rows, one per school year of :func:`trend_years`, from each
    year's summed counts ``merged_by_year[start_year]`` (``parts.merged_parts``: for a
    period year, the part of the year inside the period; for an earlier year, the whole
    year). Earlier years before the first one with any data are left out. Each row
    carries requests, meetings, districts, consensus, satisfaction, recommendation,
    dispute statistics (1 query) and ``<figure>_change`` for :data:`CHANGE_OF` (None for
    the first year shown)."""
    all_years = earlier_years + period_years
    if not all_years:
        return [], []
    statistics = {
        s.start_year: s
        for s in DisputeStatistics.objects.filter(
            start_year__gte=all_years[0].start_year, start_year__lte=all_years[-1].start_year
        )
    }

    def row_for(year):
        merged = merged_by_year[year.start_year]
        meetings = meeting_row_figures(merged["totals"])
        evaluations = evaluation_row_figures(merged["totals"])
        stats = statistics.get(year.start_year)
        return {
            "school_year": year.label,
            "start_year": year.start_year,
            "requests_received": merged["requests"].get("received", 0),
            "meetings_held": meetings["held"],
            "districts": len(districts_held(merged)),
            "outcome_recorded": meetings["outcome_recorded"],
            "consensus": meetings["consensus"],
            "consensus_rate": Rate(meetings["consensus"], meetings["outcome_recorded"]),
            "evaluations_completed": evaluations["completed"],
            **evaluation_rates(evaluations),
            "child_complaints": stats.child_complaints if stats else None,
            "allegations": stats.allegations if stats else None,
            "mediations": stats.mediations if stats else None,
            "due_process": stats.due_process if stats else None,
        }

    earlier = [row_for(year) for year in earlier_years]
    while earlier and not _has_data(earlier[0]):
        earlier.pop(0)
    period = [row_for(year) for year in period_years]
    previous = None
    for row in earlier + period:
        for name in CHANGE_OF:
            row[f"{name}_change"] = change(previous, row, name)
        previous = row
    return earlier, period
