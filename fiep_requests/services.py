"""Every write to a facilitation request goes through a function here.

The status of a request changes only through :func:`request_transition`, which checks the
move against ``models.TRANSITIONS`` and records it in the request's history. Messages to
the parties go through :func:`fiep.notifications.notify` (the outbox), inside the same
transaction as the change that caused them.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fiep.models import Language
from fiep.notifications import Event, notify

from .models import (
    TRANSITIONS,
    CaseNote,
    ConsentState,
    DenialReason,
    FacilitationRequest,
    Requester,
    RequestStatus,
    StatusChange,
    TrackingCounter,
)

logger = logging.getLogger(__name__)


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


def _parent_party(case):
    return {
        "email": case.parent_email,
        "name": case.parent_name,
        "language": case.parent_language or Language.ENGLISH,
        "role": "parent",
    }


def _district_party(case):
    # District contacts have no language field: the office writes to them in English.
    return {
        "email": case.district_contact_email,
        "name": case.district_contact_name,
        "language": Language.ENGLISH,
        "role": "district",
    }


def requester_parties(case):
    """The person(s) who asked: both parties for a joint request."""
    if case.requested_by == Requester.DISTRICT:
        return [_district_party(case)]
    if case.requested_by == Requester.JOINT:
        return [_parent_party(case), _district_party(case)]
    return [_parent_party(case)]


def other_party(case):
    """The party whose agreement is needed, or None for a joint request."""
    if case.requested_by == Requester.JOINT:
        return None
    if case.requested_by == Requester.DISTRICT:
        return _parent_party(case)
    return _district_party(case)


def all_parties(case):
    parties = requester_parties(case)
    other = other_party(case)
    return parties + ([other] if other else [])


def status_url(case):
    return settings.SITE_URL + reverse("fiep_requests:status", args=[case.status_token])


def consent_url(case):
    return settings.SITE_URL + reverse("fiep_requests:consent", args=[case.consent_token])


def _notify(case, event, party, *, key="", **context):
    """Queue ``event`` to ``party`` unless the party has no e-mail address."""
    if not party or not party["email"]:
        return None
    return notify(
        event=event,
        to_email=party["email"],
        to_name=party["name"],
        language=party["language"],
        context={
            "name": party["name"],
            "reference": case.reference,
            "student_name": case.student_name,
            "school_name": case.school_name,
            "district_name": case.district.name,
            "is_requester": party in requester_parties(case),
            **context,
        },
        dedupe_key=f"{Event(event).value}:{case.reference}:{party['role']}{key}",
        case_reference=case.reference,
        related=case,
    )


# --- Submission ----------------------------------------------------------------------


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


def _request_create(*, data, submission_token):
    today = timezone.localdate()
    fields = {f.name for f in FacilitationRequest._meta.get_fields() if hasattr(f, "attname")}
    values = {k: v for k, v in data.items() if k in fields}
    for protected in ("id", "reference", "status", "status_token", "consent_token"):
        values.pop(protected, None)
    joint = values.get("requested_by") == Requester.JOINT
    case = FacilitationRequest.objects.create(
        **values,
        reference=tracking_number_next(year=today.year),
        received_on=today,
        status=RequestStatus.SUBMITTED,
        submission_token=submission_token,
        consent_state=ConsentState.NOT_NEEDED if joint else ConsentState.PENDING,
    )
    StatusChange.objects.create(
        request=case,
        from_status="",
        to_status=RequestStatus.SUBMITTED,
        reason=_recorded(gettext_lazy("Online form")),
    )
    if joint:
        case = request_transition(
            request=case,
            to_status=RequestStatus.UNDER_REVIEW,
            reason=_recorded(gettext_lazy("Both parties asked together")),
        )
        case.agreed_on = today
        case.save(update_fields=["agreed_on", "updated_at"])
    else:
        case = request_transition(request=case, to_status=RequestStatus.AWAITING_CONSENT)
        case.consent_requested_at = timezone.now()
        case.save(update_fields=["consent_requested_at", "updated_at"])
        _notify(case, Event.CONSENT_REQUESTED, other_party(case), consent_url=consent_url(case))
    for party in requester_parties(case):
        _notify(case, Event.REQUEST_RECEIVED, party, status_url=status_url(case))
    return case


# --- The other party's agreement -----------------------------------------------------


def _locked(case):
    return (
        FacilitationRequest.objects.select_for_update().select_related("district").get(pk=case.pk)
    )


def consent_give(*, request, method="link", by=None, note=""):
    """Record that the other party agreed (by the e-mailed link, phone or paper).

    Side effects: consent fields and ``agreed_on`` set, status → under review (history
    row), ``request_received`` … no message: the review decides what the parties hear.
    """
    with transaction.atomic():
        case = _locked(request)
        if (
            case.status != RequestStatus.AWAITING_CONSENT
            or case.consent_state != ConsentState.PENDING
        ):
            raise ServiceError(_("This request is not waiting for an agreement."))
        case.consent_state = ConsentState.GIVEN
        case.consent_recorded_at = timezone.now()
        case.consent_method = method
        case.consent_note = note
        case.agreed_on = timezone.localdate()
        case.save()
        reason = _recorded(
            {
                "link": gettext_lazy("The other party agreed through the e-mailed link"),
                "phone": gettext_lazy("Staff recorded the other party's agreement given by phone"),
                "paper": gettext_lazy("Staff recorded the other party's agreement given on paper"),
            }.get(method, method)
        )
        return request_transition(
            request=case, to_status=RequestStatus.UNDER_REVIEW, by=by, reason=reason
        )


def _close_for_consent(case, *, state, method, by, note, message, extra=""):
    """Close a request whose consent was declined or expired. ``message`` is a lazy text,
    stored in the site's language and sent to each requester in theirs."""

    def reason_in(language):
        return " ".join(filter(None, [_in_language(language, message), extra]))

    reason = reason_in(settings.LANGUAGE_CODE)
    case.consent_state = state
    case.consent_recorded_at = timezone.now()
    case.consent_method = method
    case.consent_note = note
    case.closed_reason = reason
    case.save()
    case = request_transition(request=case, to_status=RequestStatus.CANCELLED, by=by, reason=reason)
    for party in requester_parties(case):
        _notify(
            case,
            Event.REQUEST_CLOSED,
            party,
            closed_reason=reason_in(party["language"]),
            status_url=status_url(case),
        )
    return case


def consent_decline(*, request, reason="", method="link", by=None):
    """Record that the other party declined; FIEP is voluntary, so the request closes.

    Side effects: consent fields set, status → cancelled with the reason (history row),
    ``request_closed`` message to the requester.
    """
    with transaction.atomic():
        case = _locked(request)
        if (
            case.status != RequestStatus.AWAITING_CONSENT
            or case.consent_state != ConsentState.PENDING
        ):
            raise ServiceError(_("This request is not waiting for an agreement."))
        return _close_for_consent(
            case,
            state=ConsentState.DECLINED,
            method=method,
            by=by,
            note=reason,
            message=gettext_lazy("The other party declined facilitation."),
            extra=reason.strip(),
        )


def consent_respond(*, token, agree, reason=""):
    """The other party's answer through the consent link. Returns the request."""
    case = FacilitationRequest.objects.get(consent_token=token)
    if agree:
        return consent_give(request=case, method="link")
    return consent_decline(request=case, reason=reason, method="link")


def consent_record(*, request, by, agreed, method, note=""):
    """Staff record an agreement or refusal given by phone or on paper."""
    if method not in ("phone", "paper"):
        raise ServiceError(_("Choose how the answer was given: phone or paper."))
    if agreed:
        return consent_give(request=request, method=method, by=by, note=note)
    return consent_decline(request=request, reason=note, method=method, by=by)


class ExpiredMessage:
    """The expiry reason, translated whenever it is turned into text."""

    def __init__(self, days):
        self.days = days

    def __str__(self):
        return _("The other party did not answer within %(days)s days, so the request closed.") % {
            "days": self.days
        }


def consent_sweep(*, now=None):
    """Remind the other party after FIEP_CONSENT_REMINDER_DAYS and expire after
    FIEP_CONSENT_EXPIRY_DAYS. Idempotent: safe to run as often as the beat fires.

    Side effects: ``consent_reminder`` messages (once per request); expired requests
    closed as cancelled with a reason and a ``request_closed`` message to the requester.
    Returns ``(reminded, expired)`` counts.
    """
    now = now or timezone.now()
    waiting = FacilitationRequest.objects.filter(
        status=RequestStatus.AWAITING_CONSENT,
        consent_state=ConsentState.PENDING,
        consent_requested_at__isnull=False,
    )
    expire_before = now - datetime.timedelta(days=settings.FIEP_CONSENT_EXPIRY_DAYS)
    remind_before = now - datetime.timedelta(days=settings.FIEP_CONSENT_REMINDER_DAYS)
    expired = 0
    for case in waiting.filter(consent_requested_at__lte=expire_before):
        with transaction.atomic():
            locked = _locked(case)
            if locked.status != RequestStatus.AWAITING_CONSENT:
                continue
            _close_for_consent(
                locked,
                state=ConsentState.EXPIRED,
                method="",
                by=None,
                note="",
                message=ExpiredMessage(settings.FIEP_CONSENT_EXPIRY_DAYS),
            )
            expired += 1
    reminded = 0
    for case in waiting.filter(
        consent_requested_at__lte=remind_before, consent_reminded_at__isnull=True
    ).select_related("district"):
        with transaction.atomic():
            _notify(
                case,
                Event.CONSENT_REMINDER,
                other_party(case),
                consent_url=consent_url(case),
                expires_on=(
                    case.consent_requested_at
                    + datetime.timedelta(days=settings.FIEP_CONSENT_EXPIRY_DAYS)
                ).date(),
            )
            FacilitationRequest.objects.filter(pk=case.pk).update(consent_reminded_at=now)
            reminded += 1
    return reminded, expired


# --- Review --------------------------------------------------------------------------


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
    ``request_denied`` message to both parties with the reason in their language.
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
    return case


def request_withdraw(*, request, reason="", by=None):
    """Withdraw a request (the requester through the status link, or staff for them).

    Side effects: status → withdrawn (history row), ``closed_reason`` set,
    ``request_withdrawn`` message to both parties.
    """
    with transaction.atomic():
        text = reason.strip() or _recorded(gettext_lazy("Withdrawn by the requester"))
        case = request_transition(
            request=request, to_status=RequestStatus.WITHDRAWN, by=by, reason=text
        )
        case.closed_reason = text
        case.save(update_fields=["closed_reason", "updated_at"])
        for party in all_parties(case):
            _notify(case, Event.REQUEST_WITHDRAWN, party)
    return case


def request_cancel(*, request, by, reason):
    """Staff close a request that cannot go ahead (for example, the student moved).

    Side effects: status → cancelled (history row), ``closed_reason`` set,
    ``request_closed`` message to both parties.
    """
    if not reason.strip():
        raise ServiceError(_("Give the reason for cancelling."))
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
    return case


def case_note_add(*, request, author, text):
    """Add an internal note (never shown to the parties). Side effects: one CaseNote."""
    text = text.strip()
    if not text:
        raise ServiceError(_("Write the note first."))
    return CaseNote.objects.create(request=request, author=author, text=text)
