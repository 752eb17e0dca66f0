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
            if data["end"] < data["start"]:
                raise forms.ValidationError(_("The period ends before it starts."))
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


def parse_period(params):
    """``(start, end)`` from ``start``/``end`` query parameters (exports, archive)."""
    try:
        start = datetime.date.fromisoformat(params.get("start", ""))
        end = datetime.date.fromisoformat(params.get("end", ""))
    except ValueError:
        return None
    if end < start:
        return None
    return start, end
