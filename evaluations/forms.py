"""The survey form (online and paper entry), the self-evaluation and staff forms.

Radio groups are rendered by the project's form renderer as a fieldset with a legend
(WCAG 1.3.1). Every item but the role may be skipped: an empty answer stays empty.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from fiep.forms import CompactForm
from fiep.models import Language

from .models import (
    Agreement,
    AgreementsHeld,
    ConcernsRaised,
    Relationship,
    Satisfaction,
    SelfRating,
)

# The role labels are repeated here so the survey's own catalogue translates them.
ROLE_CHOICES = [
    ("parent", _("Parent or guardian")),
    ("student", _("Student")),
    ("general_educator", _("General educator")),
    ("special_educator", _("Special educator")),
    ("administrator", _("Administrator")),
    ("related_services", _("Related services provider")),
    ("advocate", _("Advocate")),
    ("other", _("Other")),
]
RECOMMEND_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


class OptionalRadioSelect(forms.RadioSelect):
    """Nothing is chosen until the person chooses: "Prefer not to answer" ("") is checked
    only when it was sent, never because the item has no value yet."""

    def format_value(self, value):
        return [] if value is None else super().format_value(value)


def _radio(label, choices, *, required=False, help_text=""):
    # An optional item offers an explicit "no answer" (a chosen radio cannot be unchosen
    # with the keyboard); it posts "" and is stored as not answered.
    if not required:
        choices = [*choices, ("", _("Prefer not to answer"))]
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=OptionalRadioSelect,
        help_text=help_text,
    )


class LinkForm(forms.Form):
    """A form behind a personal link: radio groups (rendered as fieldsets) and text."""

    def answers(self):
        """The answers by item name; an unanswered item is ""."""
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}

    @property
    def radio_fields(self):
        return [
            self[name]
            for name, field in self.fields.items()
            if isinstance(field.widget, forms.RadioSelect)
        ]


class SurveyForm(LinkForm):
    """The participant survey. Field names are the Evaluation fields they fill."""

    respondent_role = _radio(
        _("Your role in the meeting"),
        ROLE_CHOICES,
        required=True,
        help_text=_("Required. Every other question may be skipped."),
    )
    satisfaction = _radio(
        _("How satisfied are you with the outcome of the meeting?"), Satisfaction.choices
    )
    concerns_raised = _radio(_("Were you able to raise your concerns?"), ConcernsRaised.choices)
    facilitator_listened = _radio(_("The facilitator listened to everyone."), Agreement.choices)
    facilitator_neutral = _radio(_("The facilitator stayed neutral."), Agreement.choices)
    facilitator_focused = _radio(_("The facilitator kept the meeting focused."), Agreement.choices)
    relationship = _radio(
        _("What effect did the meeting have on the family–school relationship?"),
        Relationship.choices,
    )
    would_recommend = _radio(_("Would you recommend facilitation to others?"), RECOMMEND_CHOICES)
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Please do not write names; comments are read by program staff."),
    )

    def __init__(self, *args, known_role="", **kwargs):
        super().__init__(*args, **kwargs)
        if known_role in dict(ROLE_CHOICES):
            # The invitation already knows the participant's role: do not ask it again
            # (the service records the invitation's role).
            del self.fields["respondent_role"]
        else:
            self.fields["respondent_role"].error_messages["required"] = _(
                "Please tell us your role in the meeting."
            )


class PaperEvaluationForm(SurveyForm):
    """Staff type in a paper form: its number and language, then the same items."""

    response_id = forms.CharField(
        label=_("Form number"),
        max_length=40,
        help_text=_("The number written on the paper form; each number is entered once."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the form"),
        choices=Language.choices,
        widget=forms.Select,
    )
    field_order = ["response_id", "language"]

    def answers(self):
        answers = super().answers()
        del answers["response_id"], answers["language"]
        return answers


class SelfEvaluationForm(LinkForm):
    overall = _radio(_("How did the meeting go?"), SelfRating.choices)
    stayed_neutral = _radio(_("I stayed neutral throughout"), Agreement.choices)
    went_well = forms.CharField(
        label=_("What worked well?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    do_differently = forms.CharField(
        label=_("What would you do differently?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowUpForm(LinkForm):
    agreements_held = _radio(
        _("Have the agreements made at the meeting held?"), AgreementsHeld.choices
    )
    further_dispute = _radio(
        _("Since the meeting, was another meeting, mediation or a complaint needed?"),
        RECOMMEND_CHOICES,
    )
    comments = forms.CharField(
        label=_("Comments"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Please do not write names; comments are read by program staff."),
    )


class ParticipantAddForm(CompactForm):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, widget=forms.Select)
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        widget=forms.Select,
    )


class PeriodForm(CompactForm):
    """Choose the period of the tracking page: one school year, or from/to dates."""

    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
