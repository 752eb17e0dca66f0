"""Password length per NIST SP 800-63B-4 / ASVS 6.2: no composition rules, no rotation.

Accounts protected by a second factor need at least 8 characters, others at least 15;
up to 128 characters are allowed (more than the 64 the standards ask for). Common and
breached passwords are refused by Django's CommonPasswordValidator beside this one.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .mfa import mfa_required_for

MIN_WITH_MFA = 8
MIN_WITHOUT_MFA = 15
MAX_LENGTH = 128


class LengthForAccountValidator:
    def _minimum(self, user):
        if user is not None and getattr(user, "pk", None) and mfa_required_for(user):
            return MIN_WITH_MFA
        return MIN_WITHOUT_MFA

    def validate(self, password, user=None):
        minimum = self._minimum(user)
        if len(password) < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short. It must contain at least %(min)d character.",
                    "This password is too short. It must contain at least %(min)d characters.",
                    minimum,
                )
                % {"min": minimum},
                code="password_too_short",
            )
        if len(password) > MAX_LENGTH:
            raise ValidationError(
                _("This password is too long. It may contain at most %(max)d characters.")
                % {"max": MAX_LENGTH},
                code="password_too_long",
            )

    def get_help_text(self):
        return _(
            "Use at least %(min)d characters (at least %(short)d if your account uses "
            "two-step log-in). A long phrase of ordinary words is fine."
        ) % {"min": MIN_WITHOUT_MFA, "short": MIN_WITH_MFA}
