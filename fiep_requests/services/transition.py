"""The one function that changes a request's status, and the errors services raise."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import (
    TRANSITIONS,
    FacilitationRequest,
    RequestStatus,
    StatusChange,
)


def _recorded(message, **params):
    """A text stored on the case (history, closing reason): in the site's language, not
    in the language of whoever happened to trigger the change."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def _in_language(language, message, **params):
    with translation.override(language):
        return str(message) % params if params else str(message)


class TransitionRefused(Exception):
    """The requested status change is not allowed from the current status."""


class ServiceError(ValueError):
    """A write was refused for a reason the person can act on (shown to them)."""


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
        if getattr(by, "is_authenticated", False):
            locked._history_user = by  # the change history names who, outside a request too
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


# --- Parties -------------------------------------------------------------------------
