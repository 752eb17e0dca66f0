"""Every write to a facilitation request goes through a function here.

The status of a request changes only through :func:`request_transition`, which checks the
move against ``models.TRANSITIONS`` and records it in the request's history.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import TRANSITIONS, FacilitationRequest, RequestStatus, StatusChange


class TransitionRefused(Exception):
    """The requested status change is not allowed from the current status."""


def request_transition(*, request, to_status, by=None, reason=""):
    """Move ``request`` to ``to_status`` and record who, when, from, to and why.

    Locks the request row so two people cannot move the same case at once; refuses any
    move not in ``TRANSITIONS`` with :class:`TransitionRefused`. Side effects: one
    StatusChange row. Returns the refreshed request.
    """
    to_status = RequestStatus(to_status)
    with transaction.atomic():
        locked = FacilitationRequest.objects.select_for_update().get(pk=request.pk)
        from_status = RequestStatus(locked.status)
        if to_status not in TRANSITIONS[from_status]:
            raise TransitionRefused(
                _("A request that is “%(from)s” cannot become “%(to)s”.")
                % {"from": from_status.label, "to": to_status.label}
            )
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at"])
        StatusChange.objects.create(
            request=locked,
            from_status=from_status,
            to_status=to_status,
            by=by if getattr(by, "is_authenticated", False) else None,
            reason=reason,
        )
    request.status = locked.status
    return locked
