"""Review and closing by staff (and withdrawal by the requester); internal notes."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fiep.i18n import in_site_language
from fiep.notifications import Event

from ..models import (
    CaseNote,
    DenialReason,
    FacilitationRequest,
    RequestStatus,
)
from ..signals import request_closed
from .parties import _notify, all_parties, requester_parties, status_url
from .transition import ServiceError, request_transition


def request_approve(*, request, by, message=""):
    """Approve a request under review.

    Side effects: status → approved (history row), ``decision_message`` stored,
    ``request_approved`` message to both parties.
    """
    with transaction.atomic():
        case = request_transition(
            request=request, to_status=RequestStatus.APPROVED, by=by, reason=message
        )
        case.decision_message = message
        case.save(update_fields=["decision_message", "updated_at"])
        for party in all_parties(case):
            _notify(case, Event.REQUEST_APPROVED, party, message=message)
    return case


def request_deny(*, request, by, reason_code, message=""):
    """Find a request not eligible, with a reason code from the admin-edited list.

    Side effects: status → denied (history row with the reason), decision fields set,
    ``request_denied`` message to both parties with the reason in their language,
    ``signals.request_closed`` sent.
    """
    reason = DenialReason.objects.filter(code=reason_code, active=True).first()
    if reason is None:
        raise ServiceError(_("Choose a reason from the list."))
    with transaction.atomic():
        text = f"{reason.label}: {message}" if message else reason.label
        case = request_transition(
            request=request, to_status=RequestStatus.DENIED, by=by, reason=text
        )
        case.decision_reason = reason.code
        case.decision_message = message
        case.closed_reason = reason.label
        case.save(
            update_fields=["decision_reason", "decision_message", "closed_reason", "updated_at"]
        )
        for party in all_parties(case):
            _notify(
                case,
                Event.REQUEST_DENIED,
                party,
                reason_label=reason.label_in(party["language"]),
                message=message,
            )
        request_closed.send(sender=FacilitationRequest, request=case, status=case.status, by=by)
    return case


def request_withdraw(*, request, reason="", by=None):
    """Withdraw a request (the requester through the status link, or staff for them).

    Side effects: status → withdrawn (history row), ``closed_reason`` set,
    ``request_withdrawn`` message to both parties, ``signals.request_closed`` sent.
    """
    with transaction.atomic():
        text = reason.strip() or in_site_language(gettext_lazy("Withdrawn by the requester"))
        case = request_transition(
            request=request, to_status=RequestStatus.WITHDRAWN, by=by, reason=text
        )
        case.closed_reason = text
        case.save(update_fields=["closed_reason", "updated_at"])
        for party in all_parties(case):
            _notify(case, Event.REQUEST_WITHDRAWN, party)
        request_closed.send(sender=FacilitationRequest, request=case, status=case.status, by=by)
    return case


def request_cancel(*, request, by, reason):
    """Staff close a request that cannot go ahead (for example, the student moved).

    Side effects: status → cancelled (history row), ``closed_reason`` set,
    ``request_closed`` message to both parties, ``signals.request_closed`` sent.
    """
    if not reason.strip():
        raise ServiceError(_("Give the reason for cancelling."), field="reason")
    with transaction.atomic():
        case = request_transition(
            request=request, to_status=RequestStatus.CANCELLED, by=by, reason=reason
        )
        case.closed_reason = reason
        case.save(update_fields=["closed_reason", "updated_at"])
        for party in all_parties(case):
            _notify(
                case,
                Event.REQUEST_CLOSED,
                party,
                closed_reason=reason,
                status_url=status_url(case) if party in requester_parties(case) else "",
            )
        request_closed.send(sender=FacilitationRequest, request=case, status=case.status, by=by)
    return case


def case_note_add(*, request, author, text):
    """Add an internal note (never shown to the parties). Side effects: one CaseNote."""
    text = text.strip()
    if not text:
        raise ServiceError(_("Write the note first."))
    return CaseNote.objects.create(request=request, author=author, text=text)
