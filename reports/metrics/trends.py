"""Figures per school year (statewide, never suppressed): the trend rows of a report."""

from django.db.models import Count

from fiep.schoolyear import school_years_between
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


def school_year_trend(start, end):
    """One row per school year overlapping the period (the part inside the period):
    requests, meetings, districts, consensus, satisfaction, recommendation, dispute
    statistics and their change from the year before (4 queries)."""
    years = school_years_between(start, end)
    meetings_by_year = {
        r["year"]: r
        for r in held_meetings(start, end)
        .annotate(year=school_year_expr("held_on"))
        .values("year")
        .annotate(**meeting_counts(), districts=Count("request__district", distinct=True))
    }
    evaluations_by_year = {
        r["year"]: r
        for r in period_evaluations(start, end)
        .annotate(year=school_year_expr("meeting__held_on"))
        .values("year")
        .annotate(**evaluation_counts())
    }
    requests_by_year = {
        r["year"]: r["received"]
        for r in period_requests(start, end)
        .annotate(year=school_year_expr("received_on"))
        .values("year")
        .annotate(received=Count("id"))
    }
    statistics = {
        s.start_year: s
        for s in DisputeStatistics.objects.filter(
            start_year__gte=years[0].start_year if years else 0,
            start_year__lte=years[-1].start_year if years else 0,
        )
    }
    rows = []
    previous = None
    for year in years:
        meeting_row = meetings_by_year.get(year.start_year)
        meetings = meeting_row_figures(meeting_row or empty_meeting_row())
        evaluations = evaluation_row_figures(
            evaluations_by_year.get(year.start_year, empty_evaluation_row())
        )
        stats = statistics.get(year.start_year)
        row = {
            "school_year": year.label,
            "start_year": year.start_year,
            "requests_received": requests_by_year.get(year.start_year, 0),
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
        row["child_complaints_change"] = change(previous, row, "child_complaints")
        row["allegations_change"] = change(previous, row, "allegations")
        rows.append(row)
        previous = row
    return rows
