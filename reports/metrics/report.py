"""The report: every figure for one period, from the figure families."""

import datetime
from dataclasses import dataclass, field

from fiep.schoolyear import SchoolYear, school_years_between

from .breakdowns import (
    RATE_PARTS,
    Labels,
    breakdowns,
    by_district,
    grouped_small,
    suppressed,
)
from .cache import segments_parts
from .evaluations import evaluation_figures
from .meetings import meeting_figures
from .parts import merged_parts
from .requesters import request_row_figures
from .trends import school_year_trends, trend_years
from .values import Rate, Suppressed, suppression_threshold


@dataclass
class Report:
    """Every figure for the inclusive period ``start``..``end``."""

    start: datetime.date
    end: datetime.date
    school_years: list
    requests: dict
    meetings: dict
    evaluations: dict
    by_school_year: list
    breakdowns: dict
    threshold: int
    #: Whole school years on record before the period (oldest first), for the trends.
    earlier_years: list = field(default_factory=list)

    @property
    def trend(self):
        """The earlier school years on record and the period's, oldest first, each with
        its change from the year before (at most ``TREND_YEARS`` rows)."""
        return self.earlier_years + self.by_school_year

    @property
    def school_year_labels(self):
        return [y.label for y in self.school_years]

    @property
    def single_school_year(self):
        """The school year when the period is exactly one, else None."""
        if len(self.school_years) == 1:
            year = self.school_years[0]
            if year.start == self.start and year.end == self.end:
                return year
        return None


def compute(start, end, *, use_stored=True):
    """All figures for the inclusive date range ``start``..``end`` (dates).

    The period is cut into one segment per school year (the trend adds whole earlier
    years); closed whole years come from the stored counts (``cache``) unless
    ``use_stored`` is False, the others are counted live. Queries: 1 for the stored
    counts, 4 per segment counted live on PostgreSQL, 6 on SQLite (+2 to store closed
    whole years), 1 for the dispute statistics, 2 for the districts' and facilitators'
    names.
    """
    if end < start:
        raise ValueError("the period ends before it starts")
    threshold = suppression_threshold()
    earlier_years, period_years = trend_years(start, end)
    segments = [(year, year.start, year.end) for year in earlier_years] + [
        (year, max(start, year.start), min(end, year.end)) for year in period_years
    ]
    parts = segments_parts(segments, use_stored=use_stored)
    by_year = {
        segment[0].start_year: merged_parts([p], groupings=False)
        for segment, p in zip(segments, parts, strict=True)
    }
    merged = merged_parts(parts[len(earlier_years) :])
    earlier, by_school_year = school_year_trends(earlier_years, period_years, by_year)
    return Report(
        start=start,
        end=end,
        school_years=school_years_between(start, end),
        requests=request_row_figures(merged["requests"]),
        meetings=meeting_figures(merged),
        evaluations=evaluation_figures(merged),
        by_school_year=by_school_year,
        breakdowns=breakdowns(merged, threshold),
        threshold=threshold,
        earlier_years=earlier,
    )


def compute_school_year(year: SchoolYear):
    return compute(year.start, year.end)


def district_row(start, end, code, threshold):
    """District ``code``'s row of the district breakdown, suppressed exactly as the
    dashboard, the PDF and the exports publish it: the period's counts (stored or counted
    live, as :func:`compute` reads them) give the statewide table, small districts are
    grouped and :func:`suppressed` applied, then this district's
    row is taken. A district with no row there (no meetings or evaluations, grouped with
    the other small districts, or left out because every count was below the threshold)
    gets every count ``Suppressed`` and every rate suppressed: each of its counts is below
    the threshold, and showing it would undo the grouping."""
    segments = [
        (year, max(start, year.start), min(end, year.end))
        for year in school_years_between(start, end)
    ]
    merged = merged_parts(segments_parts(segments))
    breakdown = by_district(merged, Labels(merged))
    rows = grouped_small(breakdown.rows, breakdown.columns, threshold, breakdown.group_small)
    for row in suppressed(rows, breakdown.columns, threshold):
        if row["key"] == code:
            return row
    hidden = {"key": code, "label": ""}
    for column in breakdown.columns:
        hidden[column] = (
            Rate(None, None, suppressed=True) if column in RATE_PARTS else Suppressed(threshold)
        )
    return hidden
