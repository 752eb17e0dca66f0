"""The other party's agreement: by link, recorded by staff, reminded and expired."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fiep.i18n import in_language
from fiep.notifications import Event

from ..models import (
    ConsentState,
    FacilitationRequest,
    RequestStatus,
)
from ..signals import request_closed
from .parties import _notify, consent_url, other_party, requester_parties, status_url
from .transition import ServiceError, request_transition


def _locked(case):
    return (
        FacilitationRequest.objects.select_for_update().select_related("district").get(pk=case.pk)
    )


def consent_give(*, request, method="link", by=None, note="", signed_name="", ip=None, answer=None):
    """Record that the other party agreed (by the e-mailed link, phone or paper).

    ``signed_name`` is the full name the person typed on the consent page (required for
    an answer by link: it is their signature) and ``ip`` the address it came from; the
    time is ``consent_recorded_at``. ``answer`` (phone or paper, recorded by staff):
    ``{"given_by", "answered_on", "signature_name"}``; ``agreed_on`` is then the day the
    answer was given.

    Side effects: consent fields and ``agreed_on`` set, status → under review (history
    row), ``consent_given`` message to the requester(s) in their language, with their
    status link.
    """
    signed_name = " ".join((signed_name or "").split())
    if method == "link" and not signed_name:
        raise ServiceError(_("Type your full name to agree."), field="full_name")
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
        case.consent_signed_name = signed_name[:200]
        case.consent_ip = ip or None
        case.agreed_on = timezone.localdate()
        if answer:
            _answer_set(case, answer)
            case.agreed_on = answer["answered_on"]
        case.save()
        reason = {
            "link": gettext_lazy("The other party agreed through the e-mailed link"),
            "phone": gettext_lazy("Staff recorded the other party's agreement given by phone"),
            "paper": gettext_lazy("Staff recorded the other party's agreement given on paper"),
        }.get(method, method)
        case = request_transition(
            request=case, to_status=RequestStatus.UNDER_REVIEW, by=by, reason=reason
        )
        other = other_party(case)
        for party in requester_parties(case):
            _notify(
                case,
                Event.CONSENT_GIVEN,
                party,
                other_is_district=bool(other) and other["role"] == "district",
                status_url=status_url(case),
            )
        return case


def _answer_set(case, answer):
    case.consent_given_by = answer["given_by"].strip()[:200]
    case.consent_answered_on = answer["answered_on"]
    case.consent_signature_name = answer["signature_name"].strip()[:200]


def _close_for_consent(
    case, *, state, method, by, note, message, extra="", signed_name="", ip=None, answer=None
):
    """Close a request whose consent was declined or expired. ``message`` is a lazy text,
    stored in the site's language and sent to each requester in theirs."""

    def reason_in(language):
        return " ".join(filter(None, [in_language(language, message), extra]))

    reason = reason_in(settings.LANGUAGE_CODE)
    case.consent_state = state
    case.consent_recorded_at = timezone.now()
    case.consent_method = method
    case.consent_note = note
    case.consent_signed_name = signed_name[:200]
    case.consent_ip = ip or None
    if answer:
        _answer_set(case, answer)
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
    request_closed.send(sender=FacilitationRequest, request=case, status=case.status, by=by)
    return case


def consent_decline(
    *, request, reason="", method="link", by=None, signed_name="", ip=None, answer=None
):
    """Record that the other party declined; FIEP is voluntary, so the request closes.

    ``signed_name`` and ``ip``: as for :func:`consent_give` (kept when given).

    Side effects: consent fields set, status → cancelled with the reason (history row),
    ``request_closed`` message to the requester saying the other party declined (in
    their language): that message is the requester's notice of the refusal.
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
            signed_name=" ".join((signed_name or "").split()),
            ip=ip,
            answer=answer,
        )


def consent_respond(*, token, agree, reason="", signed_name="", ip=None):
    """The other party's answer through the consent link, signed with the full name they
    typed, from address ``ip``. Returns the request."""
    case = FacilitationRequest.objects.get(consent_token=token)
    if agree:
        return consent_give(request=case, method="link", signed_name=signed_name, ip=ip)
    return consent_decline(
        request=case, reason=reason, method="link", signed_name=signed_name, ip=ip
    )


def consent_record(
    *, request, by, agreed, method, note="", given_by="", answered_on=None, signature_name=""
):
    """Staff record an agreement or refusal given by phone or on paper (a party without
    e-mail answers the consent letter's reply slip, or calls): who answered, the day, the
    name as signed. Side effects: those of :func:`consent_give` / :func:`consent_decline`,
    plus the answer's fields on the request."""
    if method not in ("phone", "paper"):
        raise ServiceError(_("Choose how the answer was given: phone or paper."))
    answer = None
    if given_by or signature_name or answered_on:
        if not (given_by.strip() and signature_name.strip() and answered_on):
            raise ServiceError(_("Give who answered, the date and the name as signed."))
        if answered_on > timezone.localdate():
            raise ServiceError(_("The date cannot be in the future."), field="answered_on")
        answer = {
            "given_by": given_by,
            "answered_on": answered_on,
            "signature_name": signature_name,
        }
    if agreed:
        return consent_give(request=request, method=method, by=by, note=note, answer=answer)
    return consent_decline(request=request, reason=note, method=method, by=by, answer=answer)


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
