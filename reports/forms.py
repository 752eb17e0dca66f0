"""The period picker of the dashboard (a GET form)."""

import datetime

from django import forms
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from fiep.schoolyear import current_school_year, school_year_from_label, school_year_of
from fiep_requests.models import FacilitationRequest
from meetings.models import Meeting

from .models import DisputeStatistics

ALL_YEARS = "all"
CUSTOM = "custom"
#: The longest period a report may cover (a 0001–9999 period once took 4.6 GB of memory).
MAX_PERIOD_YEARS = 25


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def period_problem(start, end, *, first_year=None):
    """Why ``start``..``end`` cannot be a report period, or None: start after end, more
    than MAX_PERIOD_YEARS years, or outside the school years on record (the first school
    year with any data up to the current school year)."""
    if end < start:
        return _("The period ends before it starts.")
    if end >= _add_years(start, MAX_PERIOD_YEARS):
        return _("A report covers at most %(years)s years.") % {"years": MAX_PERIOD_YEARS}
    first_year = first_school_year() if first_year is None else first_year
    first = school_year_from_label(f"{first_year}-{first_year + 1}")
    current = current_school_year()
    if start < first.start or end > current.end:
        return _("Choose dates within the school years on record (%(first)s to %(last)s).") % {
            "first": first.label,
            "last": current.label,
        }
    return None


def first_school_year():
    """The oldest school year with any request, meeting or dispute statistics (3 queries)."""
    days = [
        FacilitationRequest.objects.aggregate(d=Min("received_on"))["d"],
        Meeting.objects.aggregate(d=Min("held_on"))["d"],
    ]
    first_stats = DisputeStatistics.objects.aggregate(y=Min("start_year"))["y"]
    years = [school_year_of(d).start_year for d in days if d]
    if first_stats is not None:
        years.append(first_stats)
    current = current_school_year()
    return min([*years, current.start_year])


class PeriodForm(forms.Form):
    """Pick a school year, all years on record, or a custom inclusive date range."""

    school_year = forms.ChoiceField(label=_("School year"), required=False, widget=forms.Select)
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a custom range."),
    )
    end = forms.DateField(
        label=_("To (inclusive)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.first_year = first_school_year()
        self.current = current_school_year()
        years = [
            school_year_from_label(f"{y}-{y + 1}")
            for y in range(self.current.start_year, self.first_year - 1, -1)
        ]
        self.fields["school_year"].choices = [
            (ALL_YEARS, _("All school years on record")),
            *[(y.label, y.label) for y in years],
            (CUSTOM, _("Custom range (dates below)")),
        ]

    def clean(self):
        data = super().clean()
        choice = data.get("school_year") or ALL_YEARS
        if data.get("start") or data.get("end"):
            if not (data.get("start") and data.get("end")):
                raise forms.ValidationError(_("Give both dates of a custom range."))
            choice = CUSTOM
        if choice == CUSTOM:
            if not (data.get("start") and data.get("end")):
                raise forms.ValidationError(_("Give both dates of a custom range."))
            problem = period_problem(data["start"], data["end"], first_year=self.first_year)
            if problem:
                raise forms.ValidationError(problem)
        elif choice == ALL_YEARS:
            first = school_year_from_label(f"{self.first_year}-{self.first_year + 1}")
            data["start"], data["end"] = first.start, self.current.end
        else:
            year = school_year_from_label(choice)
            data["start"], data["end"] = year.start, year.end
        data["school_year"] = choice
        return data

    def period(self):
        """``(start, end)`` of a valid form."""
        return self.cleaned_data["start"], self.cleaned_data["end"]


def parse_dates(params):
    """``(start, end)`` from ``start``/``end`` parameters, or None when they are not dates
    (the period itself is not checked: see :func:`parse_period`)."""
    try:
        return (
            datetime.date.fromisoformat(params.get("start", "")),
            datetime.date.fromisoformat(params.get("end", "")),
        )
    except ValueError:
        return None


def parse_period(params):
    """``(start, end)`` from ``start``/``end`` query parameters (exports, archive), or
    None when they are not dates or not a valid period (:func:`period_problem`)."""
    dates = parse_dates(params)
    if dates is None or period_problem(*dates):
        return None
    return dates
