"""Forms of the intake app: the public request form, consent, and staff actions."""

import copy
import secrets
import threading

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
    IntakeChannel,
    MeetingFormat,
    MeetingType,
    Requester,
)

YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), ("unknown", _("I don't know"))]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]

ADDRESS_HELP = _(
    "Only for someone without an e-mail address: we then write by mail. Street, then city, "
    "state and ZIP code, on separate lines."
)
_PREPARE_LOCK = threading.Lock()

#: A postal address fits a window envelope: two to six lines.
ADDRESS_MAX_LINES = 6


def mailing_address_clean(value):
    """A mailing address as letters print it: trimmed lines, two to six of them."""
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    if not lines:
        return ""
    if len(lines) < 2:
        raise forms.ValidationError(
            _("Write the address on at least two lines: street, then city, state and ZIP code.")
        )
    if len(lines) > ADDRESS_MAX_LINES:
        raise forms.ValidationError(
            _("An address has at most %(n)s lines.") % {"n": ADDRESS_MAX_LINES}
        )
    return "\n".join(lines)


class _SharedChoices:
    """A choice field whose form copies share its fixed choices.

    Django deep-copies every field for every form instance, including each choice list
    and (normalised again) its widget's: about a quarter of a millisecond per public form
    for lists that never change. A copy made here is Django's ``Field.__deepcopy__``
    (own widget, attributes, error messages and validators) with the choice lists shared;
    assigning ``field.choices = …`` on a form still gives that form lists of its own
    (never change the shared lists in place)."""

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        memo[id(self)] = result
        widget = copy.copy(self.widget)
        widget.attrs = self.widget.attrs.copy()
        memo[id(self.widget)] = widget
        result.widget = widget
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class FixedChoiceField(_SharedChoices, forms.ChoiceField):
    pass


class FixedMultipleChoiceField(_SharedChoices, forms.MultipleChoiceField):
    pass


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
                "parent_address",
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
                "district_contact_address",
            ],
        ),
        (
            _("The meeting"),
            ["meeting_type", "meeting_date_set", "preferred_times", "preferred_format"],
        ),
        (_("Your concerns"), ["concerns", "narrative", "other_process_pending"]),
        (_("Agreement and signature"), ["requester_consents", "signature_name", "signature_date"]),
    ]

    requested_by = FixedChoiceField(
        label=_("I am asking as"), choices=Requester.choices, widget=forms.RadioSelect
    )
    district = forms.ModelChoiceField(
        label=_("School district"),
        queryset=District.objects.filter(active=True).order_by("name"),
        help_text=_("Type the first letters of the district's name to jump to it."),
    )
    disability_category = FixedChoiceField(
        label=_("Primary disability category"),
        choices=[("", _("Choose…"))] + DisabilityCategory.choices,
    )
    has_iep = FixedChoiceField(
        label=_("Does the student have an IEP now?"),
        choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect,
    )
    parent_language = FixedChoiceField(
        label=_("Preferred language for letters and e-mail"),
        choices=Language.choices,
        initial=Language.ENGLISH,
    )
    interpreter_needed = FixedChoiceField(
        label=_("Is an interpreter needed at the meeting?"),
        choices=YES_NO,
        initial="no",
        widget=forms.RadioSelect,
    )
    meeting_type = FixedChoiceField(
        label=_("Type of IEP meeting"), choices=[("", _("Choose…"))] + MeetingType.choices
    )
    preferred_format = FixedChoiceField(
        label=_("How would you like to meet?"),
        choices=MeetingFormat.choices,
        widget=forms.RadioSelect,
    )
    concerns = FixedMultipleChoiceField(
        label=_("What is the disagreement about? (choose all that apply)"),
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    other_process_pending = FixedChoiceField(
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
            "parent_address",
            "parent_language",
            "interpreter_language",
            "accommodations",
            "district_contact_name",
            "district_contact_title",
            "district_contact_email",
            "district_contact_phone",
            "district_contact_address",
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
            "parent_address": _("Parent's mailing address"),
            "interpreter_language": _("Interpreter for which language?"),
            "accommodations": _("Accommodations needed to take part (optional)"),
            "district_contact_name": _("District contact's name"),
            "district_contact_title": _("Title (for example, special education director)"),
            "district_contact_email": _("District contact's e-mail"),
            "district_contact_phone": _("District contact's phone"),
            "district_contact_address": _("District contact's mailing address"),
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
            "parent_address": forms.Textarea(attrs={"rows": 3}),
            "district_contact_address": forms.Textarea(attrs={"rows": 3}),
            "parent_phone": forms.TextInput(attrs={"type": "tel"}),
            "district_contact_phone": forms.TextInput(attrs={"type": "tel"}),
            "parent_email": forms.EmailInput,
            "district_contact_email": forms.EmailInput,
        }
        help_texts = {
            "preferred_times": _("For example: weekday afternoons after 3 pm."),
            "interpreter_language": _("Only if an interpreter is needed."),
            "parent_address": ADDRESS_HELP,
            "district_contact_address": ADDRESS_HELP,
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
    MAX_LENGTHS = {
        "accommodations": 2000,
        "preferred_times": 2000,
        "narrative": 10000,
        "parent_address": 400,
        "district_contact_address": 400,
    }
    AUTOCOMPLETE = {
        "parent_name": "name",
        "parent_email": "email",
        "parent_phone": "tel",
        "district_contact_email": "email",
        "district_contact_phone": "tel",
        "district_contact_title": "organization-title",
        "signature_name": "name",
        "parent_address": "street-address",
    }

    def __init__(self, *args, **kwargs):
        type(self).base_fields_prepare()
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", secrets.token_urlsafe(24))

    @classmethod
    def base_fields_prepare(cls):
        """Required fields, length limits and input attributes, set once on the class's
        fields (every form copies them) instead of on each form's copy."""
        if cls.__dict__.get("_base_fields_prepared"):
            return
        with _PREPARE_LOCK:
            if cls.__dict__.get("_base_fields_prepared"):
                return
            fields = cls.base_fields
            for name in cls.REQUIRED:
                fields[name].required = True
            for name, limit in cls.MAX_LENGTHS.items():
                field = fields[name]
                field.max_length = limit
                if not any(
                    isinstance(v, MaxLengthValidator) and v.limit_value == limit
                    for v in field.validators
                ):
                    field.validators.append(MaxLengthValidator(limit))
                field.widget.attrs["maxlength"] = str(limit)
            for name, field in fields.items():
                widget = field.widget
                if name in cls.AUTOCOMPLETE:
                    widget.attrs["autocomplete"] = cls.AUTOCOMPLETE[name]
                if name.endswith("_email"):
                    widget.attrs.setdefault("inputmode", "email")
            fields["district"].widget.attrs.update(
                {
                    "data-searchable": "true",
                    "data-search-label": _("Search the list of districts"),
                    "data-search-count": _("%s districts match"),
                }
            )
            fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
            cls._base_fields_prepared = True

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

    def clean_parent_address(self):
        return mailing_address_clean(self.cleaned_data.get("parent_address"))

    def clean_district_contact_address(self):
        return mailing_address_clean(self.cleaned_data.get("district_contact_address"))

    def clean(self):
        cleaned = super().clean()
        self.contacts_check(cleaned)
        if cleaned.get("interpreter_needed") == "yes" and not cleaned.get("interpreter_language"):
            self.add_error(
                "interpreter_language", _("Which language should the interpreter speak?")
            )
        if cleaned.get("interpreter_needed") != "yes":
            cleaned["interpreter_language"] = ""
        return cleaned

    def contacts_check(self, cleaned):
        """How the parties can be reached. Online, the requester gets the status link by
        e-mail and the other party needs a way to be reached for their agreement."""
        requester = cleaned.get("requested_by")
        parent_reachable = (
            cleaned.get("parent_email")
            or cleaned.get("parent_phone")
            or cleaned.get("parent_address")
        )
        district_reachable = (
            cleaned.get("district_contact_email")
            or cleaned.get("district_contact_phone")
            or cleaned.get("district_contact_address")
        )
        if requester in (Requester.PARENT, Requester.ADULT_STUDENT, Requester.JOINT):
            if not cleaned.get("parent_email") and "parent_email" not in self.errors:
                self.add_error("parent_email", _("Give an e-mail address for the status link."))
        elif requester and not parent_reachable and "parent_email" not in self.errors:
            self.add_error(
                "parent_email", _("Give the parent's e-mail, phone number or mailing address.")
            )
        if requester in (Requester.DISTRICT, Requester.JOINT):
            if not cleaned.get("district_contact_email") and "district_contact_email" not in (
                self.errors
            ):
                self.add_error(
                    "district_contact_email", _("Give an e-mail address for the status link.")
                )
        elif requester and not district_reachable and "district_contact_email" not in self.errors:
            self.add_error(
                "district_contact_email",
                _("Give the district contact's e-mail, phone number or mailing address."),
            )

    def submission_data(self):
        data = dict(self.cleaned_data)
        for extra in ("website", "submission_token", "interpreter_needed"):
            data.pop(extra, None)
        return data


RequestForm.base_fields_prepare()


class StaffRequestForm(RequestForm):
    """The staff "New request" page: a request received by phone, paper (mail), fax,
    e-mail or in person, keyed in by staff.

    It is the public :class:`RequestForm` (its fields, sections and checks: one
    definition) with how the request came in on top, without the honeypot, with
    labels that speak of the requester, and with one different contact rule: any party
    may lack an e-mail address, and then needs a mailing address (letters go there).
    A returned paper request form is entered here with "Paper form (mail)".
    """

    SECTIONS = [
        (_("How the request reached the office"), ["intake_channel", "received_on"]),
        *[
            (
                legend,
                [*names, "district_contact_language"]
                if "district_contact_name" in names
                else names,
            )
            for legend, names in RequestForm.SECTIONS
        ],
    ]

    intake_channel = FixedChoiceField(
        label=_("Received by"),
        choices=[c for c in IntakeChannel.choices if c[0] != IntakeChannel.ONLINE],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Date the office received it"),
        widget=DateInput,
        initial=lambda: timezone.localdate(),
    )
    district_contact_language = FixedChoiceField(
        label=_("District contact's preferred language"),
        choices=[("", _("Not known (English)")), *Language.choices],
        required=False,
    )

    STAFF_LABELS = {
        "requested_by": _("The request is from"),
        "requester_consents": _(
            "The requester agreed to a facilitated IEP meeting and to the office sharing "
            "this information with the facilitator (signed the paper form, or said so)."
        ),
        "signature_name": _("The requester's name as signed (or as spelled by the caller)"),
        "signature_date": _("Date signed or agreed"),
        "narrative": _("What the disagreement is about"),
    }

    class Meta(RequestForm.Meta):
        fields = [*RequestForm.Meta.fields, "district_contact_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]
        for name, label in self.STAFF_LABELS.items():
            self.fields[name].label = label
        self.fields["requester_consents"].error_messages["required"] = _(
            "The requester must agree before the office can accept the request."
        )

    @property
    def is_spam(self):
        return False

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        return value

    def clean_signature_date(self):
        value = self.cleaned_data["signature_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def contacts_check(self, cleaned):
        """Any party may lack an e-mail address; then letters go to its mailing address."""
        for email, address, message in (
            (
                "parent_email",
                "parent_address",
                _("No e-mail address: give the parent's mailing address for letters."),
            ),
            (
                "district_contact_email",
                "district_contact_address",
                _("No e-mail address: give the district contact's mailing address for letters."),
            ),
        ):
            if email in self.errors or address in self.errors:
                continue
            if not cleaned.get(email) and not cleaned.get(address):
                self.add_error(address, message)

    def submission_data(self):
        data = super().submission_data()
        for extra in ("intake_channel", "received_on"):
            data.pop(extra, None)
        return data


StaffRequestForm.base_fields_prepare()


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
    """The other party's answer given on paper (the letter's reply slip, a signed form)
    or by phone, as staff record it: what, how, who, when and the name as signed."""

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
    given_by = forms.CharField(
        label=_("Who answered"),
        max_length=200,
        help_text=_("For example: Maria Lopez, the student's mother."),
    )
    answered_on = forms.DateField(
        label=_("Date of the answer"),
        widget=DateInput,
        initial=lambda: timezone.localdate(),
        help_text=_("The date on the signed paper, or the day of the call."),
    )
    signature_name = forms.CharField(
        label=_("Name as signed (or as spelled on the phone)"),
        max_length=200,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_answered_on(self):
        value = self.cleaned_data["answered_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


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
