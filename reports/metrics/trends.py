"""Figures per school year (statewide, never suppressed): the trend rows of a report.

A report's trend shows the school years of its period **and** the earlier school years on
record (up to :data:`TREND_YEARS` in all), each with its change from the year before.
Both come from the same 4 grouped queries: every row is grouped by school year and by
whether its date falls inside the period, so the period's rows count only the part of a
year inside the period and the earlier years count whole years.
"""

from django.db.models import BooleanField, Case, Count, Q, When
from django.db.models import Value as V

from fiep.schoolyear import SchoolYear, school_years_between
from reports.models import DisputeStatistics

from .evaluations import (
    empty_evaluation_row,
    evaluation_counts,
    evaluation_rates,
    evaluation_row_figures,
)
from .meetings import empty_meeting_row, meeting_counts, meeting_row_figures
from .periods import held_meetings, period_evaluations, period_requests, school_year_expr
from .values import Rate, change

#: How many school years a trend shows at most (the period's years always all show).
TREND_YEARS = 10
#: Figures whose change from the year before each trend row carries (``<name>_change``).
CHANGE_OF = ["meetings_held", "districts", "child_complaints", "allegations"]


def _in_period(date_path, start):
    return Case(
        When(Q(**{f"{date_path}__gte": start}), then=V(True)),
        default=V(False),
        output_field=BooleanField(),
    )


def _grouped(queryset, date_path, start, counts):
    """``{(start_year, in_period): row}`` for ``queryset`` grouped by school year."""
    return {
        (r["year"], r["in_period"]): r
        for r in queryset.annotate(
            year=school_year_expr(date_path), in_period=_in_period(date_path, start)
        )
        .values("year", "in_period")
        .annotate(**counts)
    }


def _has_data(row):
    return bool(
        row["meetings_held"]
        or row["requests_received"]
        or row["evaluations_completed"]
        or row["child_complaints"] is not None
    )


def school_year_trends(start, end, *, years=TREND_YEARS):
    """``(earlier, period)`` rows: ``period`` has one row per school year overlapping the
    period (the part inside it); ``earlier`` the whole school years before it, back to the
    first one with any data, so that both together show at most ``years`` school years
    (4 queries). Each row carries requests, meetings, districts, consensus,
    satisfaction, recommendation, dispute statistics and ``<figure>_change`` for
    :data:`CHANGE_OF` (None for the first year shown)."""
    period_years = school_years_between(start, end)
    if not period_years:
        return [], []
    first = period_years[0]
    earlier_count = max(years - len(period_years), 0)
    earlier_years = [
        SchoolYear(y, first.start_month)
        for y in range(first.start_year - earlier_count, first.start_year)
    ]
    window_start = earlier_years[0].start if earlier_years else start
    meetings_by_year = _grouped(
        held_meetings(window_start, end),
        "held_on",
        start,
        {**meeting_counts(), "districts": Count("request__district", distinct=True)},
    )
    evaluations_by_year = _grouped(
        period_evaluations(window_start, end), "meeting__held_on", start, evaluation_counts()
    )
    requests_by_year = _grouped(
        period_requests(window_start, end), "received_on", start, {"received": Count("id")}
    )
    all_years = earlier_years + period_years
    statistics = {
        s.start_year: s
        for s in DisputeStatistics.objects.filter(
            start_year__gte=all_years[0].start_year, start_year__lte=all_years[-1].start_year
        )
    }

    def row_for(year, in_period):
        key = (year.start_year, in_period)
        meeting_row = meetings_by_year.get(key)
        meetings = meeting_row_figures(meeting_row or empty_meeting_row())
        evaluations = evaluation_row_figures(evaluations_by_year.get(key, empty_evaluation_row()))
        stats = statistics.get(year.start_year)
        return {
            "school_year": year.label,
            "start_year": year.start_year,
            "requests_received": requests_by_year.get(key, {}).get("received", 0),
            "meetings_held": meetings["held"],
            "districts": meeting_row["districts"] if meeting_row else 0,
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

    earlier = [row_for(year, False) for year in earlier_years]
    while earlier and not _has_data(earlier[0]):
        earlier.pop(0)
    period = [row_for(year, True) for year in period_years]
    previous = None
    for row in earlier + period:
        for name in CHANGE_OF:
            row[f"{name}_change"] = change(previous, row, name)
        previous = row
    return earlier, period


def school_year_trend(start, end):
    """The period's rows of :func:`school_year_trends`."""
    return school_year_trends(start, end)[1]
