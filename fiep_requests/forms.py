"""Forms of the intake app: the public request form, consent, and staff actions."""

import secrets

from django import forms
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fiep.models import District, Language

from .models import (
    Concern,
    DenialReason,
    DisabilityCategory,
    FacilitationRequest,
    MeetingFormat,
    MeetingType,
    Requester,
)

YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("I don't know"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class RequestForm(forms.ModelForm):
    """The public request form. Field groups are rendered as fieldsets by the template."""

    # Groups for the template: (legend, [field names]).
    SECTIONS = [
        (_("Who is asking"), ["requested_by"]),
        (
            _("The student"),
            [
                "student_first_name",
                "student_last_name",
                "student_birth_date",
                "student_grade",
                "school_name",
                "district",
                "disability_category",
                "has_iep",
            ],
        ),
        (
            _("Parent or guardian"),
            [
                "parent_name",
                "parent_email",
                "parent_phone",
                "parent_language",
                "interpreter_needed",
                "interpreter_language",
                "accommodations",
            ],
        ),
        (
            _("School district contact"),
            [
                "district_contact_name",
                "district_contact_title",
                "district_contact_email",
                "district_contact_phone",
            ],
        ),
        (
            _("The meeting"),
            ["meeting_type", "meeting_date_set", "preferred_times", "preferred_format"],
        ),
        (_("Your concerns"), ["concerns", "narrative", "other_process_pending"]),
        (_("Agreement and signature"), ["requester_consents", "signature_name", "signature_date"]),
    ]

    requested_by = forms.ChoiceField(
        label=_("I am asking as"), choices=Requester.choices, widget=forms.RadioSelect
    )
    district = forms.ModelChoiceField(
        label=_("School district"),
        queryset=District.objects.filter(active=True).order_by("name"),
        help_text=_("Type the first letters of the district's name to jump to it."),
    )
    disability_category = forms.ChoiceField(
        label=_("Primary disability category"),
        choices=[("", _("Choose…"))] + DisabilityCategory.choices,
    )
    has_iep = forms.ChoiceField(
        label=_("Does the student have an IEP now?"),
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
    )
    parent_language = forms.ChoiceField(
        label=_("Preferred language for letters and e-mail"),
        choices=Language.choices,
        initial=Language.ENGLISH,
    )
    interpreter_needed = forms.ChoiceField(
        label=_("Is an interpreter needed at the meeting?"),
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
    )
    meeting_type = forms.ChoiceField(
        label=_("Type of IEP meeting"), choices=[("", _("Choose…"))] + MeetingType.choices
    )
    preferred_format = forms.ChoiceField(
        label=_("How would you like to meet?"),
        choices=MeetingFormat.choices,
        widget=forms.RadioSelect,
    )
    concerns = forms.MultipleChoiceField(
        label=_("What is the disagreement about? (choose all that apply)"),
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    other_process_pending = forms.ChoiceField(
        label=_("Is a state complaint, mediation or due process hearing pending?"),
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
        help_text=_(
            "Facilitation never delays a state complaint, mediation or due process hearing: "
            "they go on as planned."
        ),
    )
    requester_consents = forms.BooleanField(
        label=_(
            "I agree to a facilitated IEP meeting and to the office sharing the information "
            "in this form with the facilitator."
        ),
        error_messages={"required": _("You need to agree before we can accept the request.")},
    )
    signature_date = forms.DateField(
        label=_("Date"), widget=DateInput, initial=lambda: timezone.localdate()
    )
    # A field people never see; bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # The double-submit guard: as long as its column, in the alphabet of a made token.
    submission_token = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        max_length=64,
        validators=[RegexValidator(r"\A[A-Za-z0-9_-]*\Z")],
        error_messages={
            "max_length": _("This form could not be read. Please check it and send it again."),
            "invalid": _("This form could not be read. Please check it and send it again."),
        },
    )

    class Meta:
        model = FacilitationRequest
        fields = [
            "requested_by",
            "student_first_name",
            "student_last_name",
            "student_birth_date",
            "student_grade",
            "school_name",
            "district",
            "disability_category",
            "has_iep",
            "parent_name",
            "parent_email",
            "parent_phone",
            "parent_language",
            "interpreter_language",
            "accommodations",
            "district_contact_name",
            "district_contact_title",
            "district_contact_email",
            "district_contact_phone",
            "meeting_type",
            "meeting_date_set",
            "preferred_times",
            "preferred_format",
            "concerns",
            "narrative",
            "other_process_pending",
            "requester_consents",
            "signature_name",
            "signature_date",
        ]
        labels = {
            "student_first_name": _("Student's first name"),
            "student_last_name": _("Student's last name"),
            "student_birth_date": _("Student's date of birth"),
            "student_grade": _("Grade"),
            "school_name": _("School"),
            "parent_name": _("Parent or guardian's name"),
            "parent_email": _("Parent's e-mail"),
            "parent_phone": _("Parent's phone"),
            "interpreter_language": _("Interpreter for which language?"),
            "accommodations": _("Accommodations needed to take part (optional)"),
            "district_contact_name": _("District contact's name"),
            "district_contact_title": _("Title (for example, special education director)"),
            "district_contact_email": _("District contact's e-mail"),
            "district_contact_phone": _("District contact's phone"),
            "meeting_date_set": _("Date of the meeting, if already set"),
            "preferred_times": _("Preferred dates and times"),
            "narrative": _("Tell us briefly what the disagreement is about"),
            "signature_name": _("Type your full name as your signature"),
        }
        widgets = {
            "student_birth_date": DateInput,
            "meeting_date_set": DateInput,
            "accommodations": forms.Textarea(attrs={"rows": 2}),
            "preferred_times": forms.Textarea(attrs={"rows": 2}),
            "narrative": forms.Textarea(attrs={"rows": 5}),
            "parent_phone": forms.TextInput(attrs={"type": "tel"}),
            "district_contact_phone": forms.TextInput(attrs={"type": "tel"}),
            "parent_email": forms.EmailInput,
            "district_contact_email": forms.EmailInput,
        }
        help_texts = {
            "preferred_times": _("For example: weekday afternoons after 3 pm."),
            "interpreter_language": _("Only if an interpreter is needed."),
        }

    REQUIRED = [
        "student_first_name",
        "student_last_name",
        "student_birth_date",
        "school_name",
        "parent_name",
        "district_contact_name",
        "narrative",
        "signature_name",
    ]
    # Free text (TextField columns): bounded, so a 5 MB paste is a form error, not a record.
    MAX_LENGTHS = {"accommodations": 2000, "preferred_times": 2000, "narrative": 10000}
    AUTOCOMPLETE = {
        "parent_name": "name",
        "parent_email": "email",
        "parent_phone": "tel",
        "district_contact_email": "email",
        "district_contact_phone": "tel",
        "district_contact_title": "organization-title",
        "signature_name": "name",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED:
            self.fields[name].required = True
        for name, limit in self.MAX_LENGTHS.items():
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs["maxlength"] = str(limit)
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_urlsafe(24))
        for name, field in self.fields.items():
            widget = field.widget
            if name in self.AUTOCOMPLETE:
                widget.attrs["autocomplete"] = self.AUTOCOMPLETE[name]
            if name.endswith("_email"):
                widget.attrs.setdefault("inputmode", "email")
        self.fields["district"].widget.attrs.update(
            {
                "data-searchable": "true",
                "data-search-label": _("Search the list of districts"),
                "data-search-count": _("%s districts match"),
            }
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def _get_validation_exclusions(self):
        # The district field has already found the (active) district: the model's own
        # foreign-key check would look it up a second time.
        return super()._get_validation_exclusions() | {"district"}

    def full_clean(self):
        super().full_clean()
        if self.is_bound and "submission_token" in self.errors:
            # A token that is not ours: the page shown again carries a fresh one, so the
            # next submit goes through.
            self.data = self.data.copy()
            self.data[self.add_prefix("submission_token")] = secrets.token_urlsafe(24)

    def sections(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.SECTIONS]

    @property
    def is_spam(self):
        return bool(self.data.get(self.add_prefix("website")))

    def clean_has_iep(self):
        return {"yes": True, "no": False}.get(self.cleaned_data["has_iep"])

    def clean_other_process_pending(self):
        return self.cleaned_data["other_process_pending"] == "yes"

    def clean_student_birth_date(self):
        value = self.cleaned_data["student_birth_date"]
        if value and value >= timezone.localdate():
            raise forms.ValidationError(_("The date of birth must be in the past."))
        return value

    def clean_signature_date(self):
        value = self.cleaned_data["signature_date"]
        if value and abs((value - timezone.localdate()).days) > 1:
            raise forms.ValidationError(_("Use today's date."))
        return value

    def clean_meeting_date_set(self):
        value = self.cleaned_data.get("meeting_date_set")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The meeting date cannot be in the past."))
        return value

    def clean(self):
        cleaned = super().clean()
        requester = cleaned.get("requested_by")
        # The requester gets the status link by e-mail; the other party needs a way to be
        # reached for their agreement.
        parent_reachable = cleaned.get("parent_email") or cleaned.get("parent_phone")
        district_reachable = cleaned.get("district_contact_email") or cleaned.get(
            "district_contact_phone"
        )
        if requester in (Requester.PARENT, Requester.ADULT_STUDENT, Requester.JOINT):
            if not cleaned.get("parent_email") and "parent_email" not in self.errors:
                self.add_error("parent_email", _("Give an e-mail address for the status link."))
        elif requester and not parent_reachable and "parent_email" not in self.errors:
            self.add_error("parent_email", _("Give the parent's e-mail or phone number."))
        if requester in (Requester.DISTRICT, Requester.JOINT):
            if not cleaned.get("district_contact_email") and "district_contact_email" not in (
                self.errors
            ):
                self.add_error(
                    "district_contact_email", _("Give an e-mail address for the status link.")
                )
        elif requester and not district_reachable and "district_contact_email" not in self.errors:
            self.add_error(
                "district_contact_email", _("Give the district contact's e-mail or phone number.")
            )
        if cleaned.get("interpreter_needed") == "yes" and not cleaned.get("interpreter_language"):
            self.add_error(
                "interpreter_language", _("Which language should the interpreter speak?")
            )
        if cleaned.get("interpreter_needed") != "yes":
            cleaned["interpreter_language"] = ""
        return cleaned

    def submission_data(self):
        data = dict(self.cleaned_data)
        for extra in ("website", "submission_token", "interpreter_needed"):
            data.pop(extra, None)
        return data


class ConsentForm(forms.Form):
    """The other party's answer, signed with the full name they type (kept on error)."""

    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            ("agree", _("I agree to a facilitated IEP meeting")),
            ("decline", _("I do not agree")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    full_name = forms.CharField(
        label=_("Your full name"),
        help_text=_("Typing your name signs your answer. We record it with the date and time."),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Type your full name to sign your answer.")},
    )

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Type your full name to sign your answer."))
        return name


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, withdraw this request"),
        widget=forms.CheckboxInput,
    )


class ApproveForm(forms.Form):
    message = forms.CharField(
        label=_("Message to both parties (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DenyForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Reason"), widget=forms.Select)
    message = forms.CharField(
        label=_("Message to both parties (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].choices = [("", _("Choose…"))] + [
            (r.code, r.label) for r in DenialReason.objects.filter(active=True)
        ]


class ConsentRecordForm(forms.Form):
    agreed = forms.ChoiceField(
        label=_("Answer of the other party"),
        choices=[("yes", _("Agreed")), ("no", _("Declined"))],
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label=_("Given by"),
        choices=[("phone", _("Phone")), ("paper", _("Paper"))],
        widget=forms.Select,
    )
    note = forms.CharField(
        label=_("Note (who, when)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("New internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DestructionForm(forms.Form):
    """Staff record that the parent asked for their identifying data to be destroyed."""

    confirm = forms.BooleanField(
        label=_(
            "Yes, the parent asked for destruction: remove the identifying data of this "
            "request now (this cannot be undone)"
        ),
        widget=forms.CheckboxInput,
    )
