"""The report: every figure for one period, from the figure families."""

import datetime
from dataclasses import dataclass, field

from fiep.schoolyear import SchoolYear, school_years_between

from .breakdowns import breakdowns
from .evaluations import evaluation_figures
from .meetings import meeting_figures
from .requesters import request_figures
from .trends import school_year_trends
from .values import suppression_threshold


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


def compute(start, end):
    """All figures for the inclusive date range ``start``..``end`` (dates)."""
    if end < start:
        raise ValueError("the period ends before it starts")
    threshold = suppression_threshold()
    earlier, by_school_year = school_year_trends(start, end)
    return Report(
        start=start,
        end=end,
        school_years=school_years_between(start, end),
        requests=request_figures(start, end),
        meetings=meeting_figures(start, end),
        evaluations=evaluation_figures(start, end),
        by_school_year=by_school_year,
        breakdowns=breakdowns(start, end, threshold),
        threshold=threshold,
        earlier_years=earlier,
    )


def compute_school_year(year: SchoolYear):
    return compute(year.start, year.end)
