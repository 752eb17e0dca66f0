"""Submitting a request: tracking numbers, the request itself, the first messages."""

import logging

from django.db import IntegrityError, connection, transaction
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
    TrackingCounter,
)
from .parties import _notify_new, consent_url, other_party, requester_parties, status_url
from .transition import ServiceError, request_create_through

logger = logging.getLogger(__name__)


def tracking_number_next(*, year):
    """The next tracking number of ``year`` (``FIEP-2026-0001``), without races.

    One statement creates the year's TrackingCounter row or adds one to it, holding the
    row's lock until the caller's transaction ends, so concurrent submissions wait for one
    another (PostgreSQL and SQLite both have ``INSERT … ON CONFLICT … RETURNING``).
    Must run inside the caller's transaction.
    """
    table = connection.ops.quote_name(TrackingCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Only our own quoted table name is formatted in; the year is a parameter.
            f"INSERT INTO {table} (year, last) VALUES (%s, 1) "  # noqa: S608  # nosec B608
            f"ON CONFLICT (year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [year],
        )
        (last,) = cursor.fetchone()
    return f"FIEP-{year}-{last:04d}"


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
    values.update(
        reference=tracking_number_next(year=today.year),
        received_on=received_on or today,
        submission_token=submission_token,
        consent_state=ConsentState.NOT_NEEDED if joint else ConsentState.PENDING,
        intake_channel=channel,
        entered_by=by if staff_entry else None,
    )
    if staff_entry:
        first_reason = in_site_language(ENTERED_FROM[channel], name=by.display_name)
    else:
        first_reason = gettext_lazy("Online form")
    # Written once in its first waiting status, with both steps in its history (the same
    # history as a creation then request_transition, in a third of the queries).
    if joint:
        values["agreed_on"] = today
        second = (RequestStatus.UNDER_REVIEW, gettext_lazy("Both parties asked together"))
    else:
        values["consent_requested_at"] = timezone.now()
        second = (RequestStatus.AWAITING_CONSENT, "")
    case = request_create_through(
        values=values,
        steps=[(RequestStatus.SUBMITTED, first_reason), second],
        by=by if staff_entry else None,
    )
    messages = []
    if not joint:
        messages.append(
            (Event.CONSENT_REQUESTED, other_party(case), {"consent_url": consent_url(case)})
        )
    for party in requester_parties(case):
        messages.append((Event.REQUEST_RECEIVED, party, {"status_url": status_url(case)}))
    # A new tracking number: no message of this case can be queued already (one insert;
    # parties without e-mail get letters).
    _notify_new(case, messages)
    return case


# --- The other party's agreement -----------------------------------------------------
