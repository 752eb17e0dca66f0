"""The one function that changes a request's status, and the refusals services raise."""

from django.db import transaction
from django.utils.translation import gettext as _

from fiep.exceptions import ServiceError
from fiep.i18n import in_site_language

from ..enums import TRANSITIONS, RequestStatus
from ..models import FacilitationRequest, StatusChange

__all__ = ["ServiceError", "TransitionRefused", "request_create_through", "request_transition"]


class TransitionRefused(ServiceError):
    """The requested status change is not allowed from the current status."""


def request_transition(*, request, to_status, by=None, reason="", reason_params=None):
    """Move ``request`` to ``to_status`` and record who, when, from, to and why.

    ``reason`` is the person's own words (stored as given) or a lazy message
    (``gettext_lazy("Facilitator %(name)s declined")``) with ``reason_params``: it is
    rendered here, always in the site's language (``settings.LANGUAGE_CODE``), never in
    the language of whoever clicked, so the case timeline reads in one language.

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
                % {"from": from_status.label, "to": to_status.label},
                code="transition_refused",
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
            reason=in_site_language(reason, **(reason_params or {})),
        )
    request.status = locked.status
    return locked


def request_create_through(*, values, steps, by=None):
    """Create a request that goes through ``steps`` at once: ``[(status, reason), …]``,
    the first being its status on arrival (from nothing), each next one allowed by
    ``TRANSITIONS`` from the one before. The request is written once, in its last status,
    with one StatusChange row per step (one query for all of them), so a public submission
    records the same history as a creation followed by ``request_transition`` calls
    without re-reading and re-writing the new row. ``reason`` is rendered in the site's
    language, as ``request_transition`` does; ``by`` is who made the steps (staff keying
    in a request; None for the public form). Returns the request.
    """
    statuses = [RequestStatus(status) for status, _reason in steps]
    for before, after in zip(statuses, statuses[1:], strict=False):
        if after not in TRANSITIONS[before]:
            raise TransitionRefused(
                _("A request that is “%(from)s” cannot become “%(to)s”.")
                % {"from": before.label, "to": after.label},
                code="transition_refused",
            )
    request = FacilitationRequest.objects.create(**values, status=statuses[-1])
    StatusChange.objects.bulk_create(
        [
            StatusChange(
                request=request,
                from_status=statuses[i - 1] if i else "",
                to_status=status,
                by=by,
                reason=in_site_language(reason) if reason else "",
            )
            for i, (status, (_status, reason)) in enumerate(zip(statuses, steps, strict=True))
        ]
    )
    return request
