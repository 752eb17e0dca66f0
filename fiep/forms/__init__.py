"""Forms of the shared core, and the base for forms laid out in one row (the renderer is
in ``renderers.py``)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .. import wording


class CompactForm(forms.Form):
    """A form laid out in one row (the filter bars above lists): the renderer draws its
    fields without the bottom margin, so they line up with the row's button."""

    field_group_class = "mb-0"


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or one recovery code."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LoginForm(AuthenticationForm):
    """Django's log-in form with the user-name length enforced: Django only sets the
    widget's ``maxlength``, so an over-long name reached the lockout counters (a column of
    255 characters) and failed there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class WordingForm(forms.Form):
    """An administrator's wording of one message: a one-line subject and the text, with
    placeholders (``fiep.wording.validate`` locates every error by line)."""

    subject = forms.CharField(label=_("Subject"), max_length=200, strip=False)
    body = forms.CharField(
        label=_("Text"),
        strip=False,
        help_text=_(
            "Plain text. A blank line starts a paragraph. Placeholders such as {{ name }} "
            "are replaced by the message's values; the office's contact details are added "
            "at the end."
        ),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true"}),
    )
    preview_case = forms.CharField(
        label=_("Preview on a case (tracking number)"),
        required=False,
        max_length=30,
        help_text=_(
            "Optional. Empty: the preview uses a fictional family and case. A tracking "
            "number: the preview uses that case's names (your look is recorded in the "
            "record of access); links stay examples."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, event, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for name in ("subject", "body"):  # read and spell-checked in the message's language
            self.fields[name].widget.attrs["lang"] = language

    def clean(self):
        cleaned = super().clean()
        if "subject" in cleaned and "body" in cleaned:
            errors = wording.validate(self.event, subject=cleaned["subject"], body=cleaned["body"])
            for field, texts in errors.items():
                for text in texts:
                    self.add_error(field, text)
        return cleaned
