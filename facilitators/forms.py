"""Forms of the roster, assignment and the portal. Writes go through services."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fiep.forms import CompactForm
from fiep.models import District, Region, Role, User

from .models import (
    Conflict,
    Facilitator,
    ObjectingParty,
    SpokenLanguage,
    Training,
    Unavailability,
)


class DateInput(forms.DateInput):
    input_type = "date"


class FacilitatorForm(forms.ModelForm):
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions served"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.SelectMultiple,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages besides English"),
        queryset=SpokenLanguage.objects.all(),
        required=False,
        widget=forms.SelectMultiple,
    )
    new_language = forms.CharField(
        label=_("Add a language not listed"), max_length=60, required=False
    )

    class Meta:
        model = Facilitator
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "user",
            "background",
            "contract_status",
            "vendor_number",
            "hourly_rate",
            "mileage_rate",
            "max_open_cases",
        ]
        labels = {"user": _("Log-in account")}
        widgets = {"background": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            groups__name=Role.FACILITATOR.value
        ).order_by("last_name", "first_name", "username")
        self.fields["user"].required = False
        if self.instance.pk:
            self.initial.setdefault("regions", list(self.instance.regions.all()))
            self.initial.setdefault("languages", list(self.instance.languages.all()))


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = ["course", "completed_on", "hours", "continuing_due_on"]
        widgets = {"completed_on": DateInput(), "continuing_due_on": DateInput()}
        help_texts = {
            "continuing_due_on": _("Leave empty for the default (two years after completion).")
        }


class UnavailabilityForm(forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ["starts_on", "ends_on", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        # "to" alone is also the outbox's recipient ("para"); the context keeps "hasta".
        labels = {"ends_on": pgettext_lazy("end of a date range", "to")}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date must not be before the start date."))
        return cleaned

    def validate_constraints(self, exclude=None):
        # The facilitator is set by the service; the date order is checked in clean().
        return


class ConflictForm(forms.ModelForm):
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.select_related("region")
    )

    class Meta:
        model = Conflict
        fields = ["district", "reason"]
        help_texts = {"reason": _("Former employer, family ties, advocacy role…")}

    def validate_unique(self):
        return

    def validate_constraints(self, exclude=None):
        return


class AssignForm(forms.Form):
    facilitator = forms.ModelChoiceField(
        queryset=Facilitator.objects.all(), widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note to the facilitator (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ObjectionForm(forms.Form):
    party = forms.ChoiceField(label=_("Objecting party"), choices=ObjectingParty.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(forms.Form):
    attest_no_conflict = forms.BooleanField(
        label=_("I have no conflict with this family or district."), required=True
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ProfileForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    background = forms.CharField(
        label=_("Background"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Languages besides English"),
        queryset=SpokenLanguage.objects.all(),
        required=False,
        widget=forms.SelectMultiple,
    )


class CandidateSearchForm(CompactForm):
    q = forms.CharField(label=_("Search the roster by name or e-mail"), required=False)
