"""Recording a meeting that already took place (learnt of by phone, late paperwork or
history kept on paper): the meeting and its outcome in one step, without invitations."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fiep.exceptions import ServiceError
from fiep.i18n import in_site_language
from fiep_requests.models import FacilitationRequest, RequestStatus
from fiep_requests.services import request_transition

from ..clock import local_zone
from ..models import MeetingChange, MeetingChangeKind, NextStep
from .outcome import outcome_record
from .scheduling import _meeting_place, _validate_details

#: Stored on the timeline (status change and meeting change) in the site's language.
RECORDED_AFTER_THE_FACT = gettext_lazy("Recorded after the fact: %(reason)s")


def _validate_past_times(case, starts_at, ends_at, now):
    if starts_at is None or ends_at is None:
        raise ServiceError(_("Give the date, start and end time."), field="day")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("starts_at and ends_at must be aware datetimes")
    if ends_at <= starts_at:
        raise ServiceError(_("The meeting must end after it starts."), field="end_time")
    if starts_at > now:
        raise ServiceError(
            _(
                "A past meeting cannot start in the future. For a meeting still to come, "
                "schedule it instead so the invitations go out."
            ),
            field="day",
            code="future",
        )
    if ends_at > now:
        raise ServiceError(
            _("The meeting has not ended yet: give an end time that has passed."),
            field="end_time",
            code="not_ended",
        )
    received = case.received_on or timezone.localdate(case.created_at, local_zone())
    if timezone.localdate(starts_at, local_zone()) < received:
        raise ServiceError(
            _("The meeting cannot be before the request was received (%(date)s).")
            % {"date": date_format(received, "DATE_FORMAT")},
            field="day",
            code="before_request",
        )


def meeting_record_past(
    *,
    request,
    by,
    reason,
    starts_at,
    ends_at,
    format,
    location="",
    interpreter_language="",
    participants=(),
    held,
    actual_start=None,
    actual_end=None,
    attendees_by_role=None,
    consensus="",
    issues=(),
    iep_completed=None,
    next_step=NextStep.NONE,
    private_notes="",
    shared_summary="",
):
    """Record a meeting of an assigned case that has already taken place, and its outcome.

    The case must be ``assigned`` with an accepted facilitator (as for scheduling); the
    meeting must have ended and cannot start before the day the request was
    received; ``reason`` (why it is recorded after the fact) is required. The outcome
    arguments are those of :func:`outcome_record`, which records it: the same checks,
    the same figures and the same evaluation surveys as any outcome.

    Side effects, in one transaction: creates (or reuses a cancelled) Meeting and its
    Participants, moves the request ASSIGNED → SCHEDULED with the reason "Recorded after
    the fact: …" (a StatusChange), records a RECORDED_PAST MeetingChange with that
    reason, then everything :func:`outcome_record` does (the request moves on to HELD or
    CANCELLED; after commit a held meeting sends ``outcome_recorded``, so the evaluations
    app invites the participants). **No** MEETING_SCHEDULED message, calendar invitation
    or reminder is sent: the meeting is over.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(
            _("Say why this meeting is recorded after the fact."), field="reason", code="reason"
        )
    now = timezone.now()
    _validate_past_times(request, starts_at, ends_at, now)
    _validate_details(format, participants)
    stored_reason = in_site_language(RECORDED_AFTER_THE_FACT, reason=reason)
    with transaction.atomic():
        locked = FacilitationRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.ASSIGNED:
            raise ServiceError(
                _(
                    "A past meeting can be recorded only for a case with an assigned "
                    "facilitator and no meeting yet."
                )
            )
        meeting = _meeting_place(
            locked,
            already=_("This case already has a meeting; record its outcome instead."),
            starts_at=starts_at,
            ends_at=ends_at,
            format=format,
            location=location,
            interpreter_language=interpreter_language,
            participants=participants,
            now=now,
        )
        request_transition(
            request=locked,
            to_status=RequestStatus.SCHEDULED,
            by=by,
            reason=RECORDED_AFTER_THE_FACT,
            reason_params={"reason": reason},
        )
        MeetingChange.objects.create(
            meeting=meeting,
            kind=MeetingChangeKind.RECORDED_PAST,
            by=by if getattr(by, "is_authenticated", False) else None,
            sequence=meeting.sequence,
            starts_at=starts_at,
            reason=stored_reason,
        )
        # The one outcome path: its checks, the request's move to held, the trial review
        # and, after commit, the surveys.
        meeting = outcome_record(
            meeting=meeting,
            by=by,
            held=held,
            actual_start=actual_start,
            actual_end=actual_end,
            attendees_by_role=attendees_by_role,
            consensus=consensus,
            issues=issues,
            iep_completed=iep_completed,
            next_step=next_step,
            private_notes=private_notes,
            shared_summary=shared_summary,
        )
    return meeting
