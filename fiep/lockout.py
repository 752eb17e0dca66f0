"""Log-in lockout (django-axes) keyed on the username AND the address, plus a limit per
address.

Axes' default keys ("username" or "ip_address") let anyone lock any account from any
address by typing its username wrongly ten times. Here failures count per (username,
address) pair — an attacker elsewhere cannot lock a user out — and, separately, per
address over all usernames with a higher limit, so one address cannot try many accounts.
Administrators unlock from the admin site (the user list's "Unlock log-in" action, or
axes' own "Access attempts" list).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def per_address_limit():
    """Failures from one address (all usernames) before it is locked out."""
    return getattr(settings, "FIEP_LOGIN_FAILURES_PER_ADDRESS", 50)


def _failures(attempts):
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the two counts above.

    ``get_failures`` decides both "is this request locked" and "lock now": it answers the
    pair's failures, or the failure limit itself once the address is over its own limit.
    """

    def get_failures(self, request, credentials=None):
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        if _failures(attempts) >= per_address_limit():
            return settings.AXES_FAILURE_LIMIT
        username = get_client_username(request, credentials)
        return _failures(attempts.filter(username=username))


def unlock(username):
    """Clear the failed log-ins of ``username`` from every address; returns how many
    records were removed."""
    from axes.utils import reset  # noqa: PLC0415  (axes.utils reads settings on import)

    return reset(username=username)
