"""Forms of the shared core, and the base for forms laid out in one row (the renderer is
in ``renderers.py``)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from fiep.branding import (
    AA_TEXT,
    HEX_COLOUR,
    WHITE,
    LogoError,
    clean_logo,
    contrast_ratio,
    darkest_needed,
)


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


class BrandingForm(forms.Form):
    """The agency's logo and colours (administrators, ``/staff/branding/``).

    Colours are ``#rrggbb``. The primary colour is the header's background: the text on
    it is white or black, whichever reads better (always at least 4.5:1, WCAG AA), and the
    page says which. The accent colour is the page heading's colour on the white page, so
    it must reach 4.5:1 against white: a lighter one is refused with the darker
    shade that would do. A logo needs its text alternative in English and Spanish.
    """

    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, at most 1 MB. SVG is not accepted."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    logo_alt_en = forms.CharField(
        label=_("Text alternative of the logo (English)"),
        max_length=200,
        required=False,
        help_text=_("What the logo says or shows, e.g. the agency's name. Needed with a logo."),
    )
    logo_alt_es = forms.CharField(
        label=_("Text alternative of the logo (Spanish)"),
        max_length=200,
        required=False,
        help_text=_("The same in Spanish. Needed with a logo."),
    )
    primary_colour = forms.CharField(
        label=_("Primary colour (header)"),
        max_length=7,
        required=False,
        help_text=_("Like #0b4f8a. Empty: the standard white header."),
    )
    accent_colour = forms.CharField(
        label=_("Accent colour (page headings)"),
        max_length=7,
        required=False,
        help_text=_("Like #0b4f8a; must be dark enough to read on white (4.5:1)."),
    )

    def __init__(self, *args, has_logo=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_logo = has_logo
        self.logo_png = None

    def _colour(self, name):
        value = self.cleaned_data.get(name, "").strip()
        if value and not HEX_COLOUR.match(value):
            raise forms.ValidationError(
                _("Give the colour as # and six hexadecimal digits, like #0b4f8a.")
            )
        return value.lower()

    def clean_primary_colour(self):
        return self._colour("primary_colour")

    def clean_accent_colour(self):
        value = self._colour("accent_colour")
        if value and contrast_ratio(value, WHITE) < AA_TEXT:
            raise forms.ValidationError(
                _(
                    "%(colour)s has a contrast of %(ratio).1f:1 on the white page; text needs "
                    "at least 4.5:1 (WCAG AA). A darker shade such as %(suggestion)s would do."
                )
                % {
                    "colour": value,
                    "ratio": contrast_ratio(value, WHITE),
                    "suggestion": darkest_needed(value),
                }
            )
        return value

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(
                _("The logo is larger than 1 MB: save a smaller PNG or JPEG.")
            )
        try:
            self.logo_png = clean_logo(upload.read())
        except LogoError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload

    def clean(self):
        data = super().clean()
        will_have_logo = (self.has_logo and not data.get("remove_logo")) or self.logo_png
        if will_have_logo:
            for name in ("logo_alt_en", "logo_alt_es"):
                if not (data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, _("Describe the logo for people who cannot see it."))
        return data
