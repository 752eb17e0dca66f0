"""Forms of the shared core, and the base for forms laid out in one row (the renderer is
in ``renderers.py``)."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
