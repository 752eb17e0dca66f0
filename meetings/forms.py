"""Forms of the meetings screens. Validation of the workflow itself lives in services."""

import datetime

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from facilitators.models import Facilitator
from fiep.forms import CompactForm
from fiep.models import Language, Region
from fiep_requests.models import MeetingFormat

from .clock import local_datetime
from .models import Availability, Consensus, HeldResult, NextStep, ParticipantRole, TimeKind


def _blank(choices, label="—"):
    return [("", label), *choices]


class ScheduleForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    format = forms.ChoiceField(label=_("Format"), choices=_blank(MeetingFormat.choices))
    location = forms.CharField(label=_("Location or link"), max_length=300, required=False)
    interpreter_language = forms.CharField(
        label=_("Interpreter booked (language)"), max_length=60, required=False
    )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"] = local_datetime(day, start)
            data["ends_at"] = local_datetime(day, end)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The meeting must end after it starts."))
        return data


class RescheduleForm(ScheduleForm):
    reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ParticipantForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=_blank(ParticipantRole.choices), required=False
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial="en")

    def clean(self):
        data = super().clean()
        if (data.get("name") or data.get("email")) and not data.get("role"):
            self.add_error("role", _("Give this participant's role."))
        return data


ParticipantFormSet = formset_factory(ParticipantForm, extra=5, max_num=20)


def participants_from(formset):
    return [
        {k: f.cleaned_data.get(k, "") for k in ("role", "name", "email", "language")}
        for f in formset.forms
        if f.cleaned_data.get("role")
    ]


class PastMeetingForm(ScheduleForm):
    """When and where a meeting that already took place was held, and why it is
    recorded after the fact (the reason goes on the case timeline)."""

    reason = forms.CharField(
        label=_("Why is this meeting recorded after the fact?"),
        help_text=_(
            "For example: scheduled by phone, paperwork arrived late, history kept on paper. "
            "It is shown on the case timeline."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    field_order = ["reason", "day", "start_time", "end_time", "format", "location"]


class CancelForm(forms.Form):
    WHO = [
        ("reschedule", _("To be rescheduled: the case stays open")),
        ("party", _("A party called it off: the request ends as cancelled")),
    ]
    who = forms.ChoiceField(label=_("Why is it cancelled?"), choices=WHO)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


YES_NO = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]


class OutcomeForm(forms.Form):
    held = forms.ChoiceField(label=_("Was the meeting held?"), choices=_blank(HeldResult.choices))
    actual_start = forms.TimeField(
        label=_("Actual start"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    actual_end = forms.TimeField(
        label=_("Actual end"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    consensus = forms.ChoiceField(
        label=_("Consensus"), choices=_blank(Consensus.choices), required=False
    )
    iep_completed = forms.ChoiceField(
        label=_("Was the IEP completed?"), choices=YES_NO, required=False
    )
    next_step = forms.ChoiceField(label=_("Next step"), choices=NextStep.choices, initial="none")
    shared_summary = forms.CharField(
        label=_("Summary that can be shared with the parties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    private_notes = forms.CharField(
        label=_("Private notes (never shown to the parties)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for role, label in ParticipantRole.choices:
            self.fields[f"attended_{role}"] = forms.IntegerField(
                label=_("Attended: %(role)s") % {"role": label},
                min_value=0,
                max_value=50,
                required=False,
                widget=forms.NumberInput,
            )

    def attendance_fields(self):
        return [self[f"attended_{role}"] for role in ParticipantRole.values]

    def main_fields(self):
        return [f for f in self.visible_fields() if not f.name.startswith("attended_")]

    def attendees_by_role(self):
        return {
            role: self.cleaned_data.get(f"attended_{role}") or 0 for role in ParticipantRole.values
        }

    def iep_completed_value(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("iep_completed"))


class IssueForm(forms.Form):
    description = forms.CharField(label=_("Issue discussed"), max_length=300, required=False)
    resolved = forms.BooleanField(label=_("Resolved"), required=False)


IssueFormSet = formset_factory(IssueForm, extra=5, max_num=30)


def issues_from(formset):
    return [
        (f.cleaned_data["description"], f.cleaned_data.get("resolved", False))
        for f in formset.forms
        if f.cleaned_data.get("description")
    ]


class TimeEntryForm(forms.Form):
    worked_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("For"), choices=TimeKind.choices)
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=5, decimal_places=2)
    miles = forms.DecimalField(
        label=_("Miles"), min_value=0, max_digits=7, decimal_places=1, required=False, initial=0
    )
    justification = forms.CharField(
        label=_("Justification (required over the case's hours cap)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ClaimBuildForm(forms.Form):
    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.isoformat(), m.strftime("%Y-%m")) for m in months]

    def month_date(self):
        return datetime.date.fromisoformat(self.cleaned_data["month"])


class ClaimReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class CalendarFilterForm(CompactForm):
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, required=False)
    facilitator = forms.ModelChoiceField(label=_("Facilitator"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()
        self.fields["facilitator"].queryset = Facilitator.objects.all()


class DatePollForm(forms.Form):
    """The format and place of the meeting whose date is being found."""

    format = forms.ChoiceField(label=_("Format"), choices=_blank(MeetingFormat.choices))
    location = forms.CharField(label=_("Location or link"), max_length=300, required=False)


class DateOptionForm(forms.Form):
    """One candidate time: the day, the start and the end (all three, or none)."""

    day = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    end_time = forms.TimeField(
        label=_("End time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        given = [v is not None for v in (day, start, end)]
        if any(given) and not all(given):
            for name in ("day", "start_time", "end_time"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give the date, start and end time."))
        elif all(given):
            data["starts_at"] = local_datetime(day, start)
            data["ends_at"] = local_datetime(day, end)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The meeting must end after it starts."))
        return data


DateOptionFormSet = formset_factory(DateOptionForm, extra=4, max_num=4, absolute_max=4)


def times_from(formset):
    return [
        (f.cleaned_data["starts_at"], f.cleaned_data["ends_at"])
        for f in formset.forms
        if f.cleaned_data.get("starts_at")
    ]


class DatePollAnswerForm(forms.Form):
    """A party's answer for each proposed time: yes, if need be, or no."""

    def __init__(self, *args, options=(), labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = labels or {}
        for option in options:
            self.fields[f"option_{option.pk}"] = forms.ChoiceField(
                label=labels.get(option.pk, str(option.pk)),
                choices=Availability.choices,
                widget=forms.RadioSelect,
            )

    def answers(self):
        return {
            int(name.removeprefix("option_")): value for name, value in self.cleaned_data.items()
        }
