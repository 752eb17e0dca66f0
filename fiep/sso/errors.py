"""Why a single sign-on was refused: one code per reason, one message per code."""

from django.utils.translation import gettext_lazy as _

from ..exceptions import ServiceError

#: code -> (title, what the person can do). Shown on the refusal page; never the details.
REASONS = {
    "provider": (
        _("The sign-in service could not be reached"),
        _("Try again in a few minutes. If it keeps happening, tell the help desk."),
    ),
    "cancelled": (
        _("The sign-in was cancelled or refused by the sign-in service"),
        _("Start again from the log-in page."),
    ),
    "state": (
        _("This sign-in link has expired or was already used"),
        _(
            "For your protection a sign-in answer works once, in the browser that started it. "
            "Start again from the log-in page."
        ),
    ),
    "token": (
        _("The sign-in service's answer could not be verified"),
        _("Start again from the log-in page. If it keeps happening, tell the help desk."),
    ),
    "audience": (
        _("The sign-in answer was meant for another application"),
        _("Start again from the log-in page. If it keeps happening, tell the help desk."),
    ),
    "expired": (
        _("The sign-in answer has expired"),
        _(
            "Start again from the log-in page. If it keeps happening, check that this "
            "computer's clock is right and tell the help desk."
        ),
    ),
    "nonce": (
        _("The sign-in answer does not belong to this sign-in"),
        _(
            "It may have been used before. For your protection it was refused. "
            "Start again from the log-in page."
        ),
    ),
    "no_account": (
        _("There is no FIEP Office account for you yet"),
        _("Ask the program's administrator to create your account, then sign in again."),
    ),
    "email_unverified": (
        _("Your e-mail address is not confirmed by the sign-in service"),
        _(
            "Your account can only be found by a confirmed e-mail address. "
            "Ask the help desk to confirm it, or the program's administrator to link it."
        ),
    ),
    "ambiguous": (
        _("More than one FIEP Office account has your e-mail address"),
        _("Ask the program's administrator to correct the accounts."),
    ),
    "conflict": (
        _("Your FIEP Office account is linked to another sign-in identity"),
        _("Ask the program's administrator to check the account's link."),
    ),
    "no_role": (
        _("Your sign-in account gives no access to FIEP Office"),
        _(
            "Access follows your groups at the sign-in service. If you should have access, "
            "ask the help desk to add you to the right group."
        ),
    ),
    "inactive": (
        _("Your FIEP Office account is switched off"),
        _("Ask the program's administrator if you should have access."),
    ),
}


class SignInRefused(ServiceError):
    """A single sign-on that must not log anybody in. ``reason`` (also ``code``) is a key
    of REASONS; ``detail`` goes to the log only (it may name the provider's error, never a
    person). Raised inside the library's callback, so the callback view turns it into the
    refusal page itself (there is no form for ``call_service`` to show it on)."""

    def __init__(self, reason, detail=""):
        assert reason in REASONS, reason
        super().__init__(REASONS[reason][0], code=reason)
        self.reason = reason
        self.detail = detail
