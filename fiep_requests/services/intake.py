"""Submitting a request: tracking numbers, the request itself, the first messages."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fiep.i18n import in_site_language
from fiep.notifications import Event

from ..models import (
    ENTERED_FROM,
    ConsentState,
    FacilitationRequest,
    IntakeChannel,
    Requester,
    RequestStatus,
    StatusChange,
    TrackingCounter,
)
from .parties import _notify, consent_url, other_party, requester_parties, status_url
from .transition import ServiceError, request_transition

logger = logging.getLogger(__name__)


def tracking_number_next(*, year):
    """The next tracking number of ``year`` (``FIEP-2026-0001``), without races.

    Locks the year's TrackingCounter row (creating it first if needed) so concurrent
    submissions wait for one another. Must run inside the caller's transaction.
    """
    try:
        with transaction.atomic():
            TrackingCounter.objects.get_or_create(year=year)
    except IntegrityError:  # another submission created the row first: fine
        pass
    counter = TrackingCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"FIEP-{year}-{counter.last:04d}"


def request_submit(*, data, ip, submission_token):
    """Create a request from the public form's cleaned ``data``.

    A ``submission_token`` already used returns the earlier request (a double submit does
    nothing twice). Joint requests skip the other party's agreement and go straight to
    review; otherwise the request waits for the other party.

    Side effects: a FacilitationRequest with a new tracking number, its status history,
    a ``request_received`` message to the requester(s) with the private status link and,
    unless joint, a ``consent_requested`` message with the consent link to the other party.
    """
    if submission_token:
        existing = FacilitationRequest.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            case = _request_create(data=data, submission_token=submission_token or None)
    except IntegrityError:
        existing = FacilitationRequest.objects.filter(submission_token=submission_token).first()
        if submission_token and existing is not None:
            return existing
        raise
    logger.info("request %s submitted (from %s)", case.reference, ip or "-")
    return case


def request_enter(*, data, by, channel, received_on=None, submission_token=None):
    """Create a request that reached the office by phone, paper (mail), fax, e-mail or in
    person, keyed in by staff member ``by`` from the staff form's cleaned ``data``.

    The same as :func:`request_submit` (double-submit guard, consent request, messages)
    except that it is never rate limited, records ``channel``, ``entered_by`` and the day
    the office received it (``received_on``, default today), and its first history row
    says "Entered by <name> from a <channel> request". Parties without an e-mail address
    get letters (``notify``).
    """
    if channel not in IntakeChannel.values or channel == IntakeChannel.ONLINE:
        raise ServiceError(_("Choose how the request reached the office."), field="intake_channel")
    if submission_token:
        existing = FacilitationRequest.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            case = _request_create(
                data=data,
                submission_token=submission_token or None,
                channel=channel,
                by=by,
                received_on=received_on,
            )
    except IntegrityError:
        existing = FacilitationRequest.objects.filter(submission_token=submission_token).first()
        if submission_token and existing is not None:
            return existing
        raise
    logger.info("request %s entered by user %s (%s)", case.reference, by.pk, channel)
    return case


def _request_create(
    *, data, submission_token, channel=IntakeChannel.ONLINE, by=None, received_on=None
):
    today = timezone.localdate()
    fields = {f.name for f in FacilitationRequest._meta.get_fields() if hasattr(f, "attname")}
    values = {k: v for k, v in data.items() if k in fields}
    for protected in (
        "id",
        "reference",
        "status",
        "status_token",
        "consent_token",
        "intake_channel",
        "entered_by",
        "received_on",
    ):
        values.pop(protected, None)
    joint = values.get("requested_by") == Requester.JOINT
    staff_entry = channel != IntakeChannel.ONLINE
    case = FacilitationRequest.objects.create(
        **values,
        reference=tracking_number_next(year=today.year),
        received_on=received_on or today,
        status=RequestStatus.SUBMITTED,
        submission_token=submission_token,
        consent_state=ConsentState.NOT_NEEDED if joint else ConsentState.PENDING,
        intake_channel=channel,
        entered_by=by if staff_entry else None,
    )
    if staff_entry:
        first_reason = in_site_language(ENTERED_FROM[channel], name=by.display_name)
    else:
        first_reason = in_site_language(gettext_lazy("Online form"))
    StatusChange.objects.create(
        request=case,
        from_status="",
        to_status=RequestStatus.SUBMITTED,
        by=by if staff_entry else None,
        reason=first_reason,
    )
    if joint:
        case = request_transition(
            request=case,
            to_status=RequestStatus.UNDER_REVIEW,
            by=by if staff_entry else None,
            reason=gettext_lazy("Both parties asked together"),
        )
        case.agreed_on = today
        case.save(update_fields=["agreed_on", "updated_at"])
    else:
        case = request_transition(
            request=case, to_status=RequestStatus.AWAITING_CONSENT, by=by if staff_entry else None
        )
        case.consent_requested_at = timezone.now()
        case.save(update_fields=["consent_requested_at", "updated_at"])
        _notify(case, Event.CONSENT_REQUESTED, other_party(case), consent_url=consent_url(case))
    for party in requester_parties(case):
        _notify(case, Event.REQUEST_RECEIVED, party, status_url=status_url(case))
    return case


# --- The other party's agreement -----------------------------------------------------
