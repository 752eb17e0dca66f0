"""Scheduling, rescheduling and cancelling a meeting, and the reminders before it."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilitators.models import Assignment, AssignmentStatus
from fiep.exceptions import ServiceError
from fiep.i18n import in_site_language
from fiep.models import Language
from fiep.notifications import Event
from fiep_requests.models import FacilitationRequest, MeetingFormat, RequestStatus
from fiep_requests.services import request_transition
from fiep_requests.signals import request_closed

from ..clock import local_zone
from ..models import (
    CalendarFeed,
    DatePoll,
    DatePollState,
    Meeting,
    MeetingChange,
    MeetingChangeKind,
    MeetingStatus,
    Participant,
    ParticipantRole,
)
from .common import notify_meeting

#: Reminders go this many days before the meeting, at the meeting's wall-clock time.
REMINDER_DAYS = (7, 1)


def _accepted_facilitator(request):
    assignment = (
        Assignment.objects.select_related("facilitator")
        .filter(request=request, status=AssignmentStatus.ACCEPTED)
        .first()
    )
    if assignment is None:
        raise ServiceError(_("No facilitator has accepted this case yet."))
    return assignment.facilitator


def _validate_times(starts_at, ends_at):
    if starts_at is None or ends_at is None:
        raise ServiceError(_("Give the date, start and end time."))
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("starts_at and ends_at must be aware datetimes")
    if ends_at <= starts_at:
        raise ServiceError(_("The meeting must end after it starts."))
    if starts_at <= timezone.now():
        raise ServiceError(_("The meeting must be in the future."))


def _validate_details(format, participants):
    if format not in MeetingFormat.values:
        raise ServiceError(_("Choose the meeting format."))
    for participant in participants:
        if participant.get("role") not in ParticipantRole.values:
            raise ServiceError(_("Every participant needs a role."))


def _set_participants(meeting, participants):
    meeting.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(
            meeting=meeting,
            role=p["role"],
            name=p.get("name", "")[:200],
            email=p.get("email", ""),
            language=p.get("language") or Language.ENGLISH,
        )
        for p in participants
    )


def _meeting_place(
    request,
    *,
    already,
    starts_at,
    ends_at,
    format,
    location,
    interpreter_language,
    participants,
    now,
):
    """The case's meeting with these details and participants, saved with the accepted
    facilitator (call inside the transaction that locked the case): a new Meeting, or the
    meeting staff cancelled for rescheduling (same calendar UID, next SEQUENCE). A case
    whose meeting is not cancelled is refused with ``already``."""
    facilitator = _accepted_facilitator(request)
    meeting = Meeting.objects.select_for_update().filter(request=request).first()
    if meeting is not None and meeting.status != MeetingStatus.CANCELLED:
        raise ServiceError(already)
    if meeting is None:
        meeting = Meeting(request=request)
    else:
        meeting.sequence += 1
        meeting.cancel_reason = ""
    meeting.facilitator = facilitator
    meeting.status = MeetingStatus.SCHEDULED
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.format = format
    meeting.location = location
    meeting.interpreter_language = interpreter_language
    meeting.scheduled_at = now
    meeting.save()
    _set_participants(meeting, participants)
    return meeting


def meeting_schedule(
    *,
    request,
    by,
    starts_at,
    ends_at,
    format,
    location="",
    interpreter_language="",
    participants=(),
):
    """Schedule the meeting of an assigned case.

    ``participants`` is a list of ``{"role", "name", "email", "language"}``. The meeting's
    facilitator is the one whose assignment is accepted. A case whose earlier meeting
    staff cancelled for rescheduling reuses that meeting (same calendar UID, next
    SEQUENCE).

    Side effects: creates or updates the Meeting and its Participants, moves the request
    ASSIGNED → SCHEDULED (a StatusChange), records a MeetingChange, closes the case's open
    date poll (SCHEDULED: its links then say a time was chosen), and queues a
    MEETING_SCHEDULED message with an ``.ics`` (METHOD:REQUEST) to every participant with
    an e-mail and to the facilitator, each in their language.
    """
    _validate_times(starts_at, ends_at)
    _validate_details(format, participants)
    with transaction.atomic():
        # Lock the case first: two people scheduling at once get one meeting, not an error.
        locked = FacilitationRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.ASSIGNED:
            raise ServiceError(_("Only a case with an assigned facilitator can be scheduled."))
        meeting = _meeting_place(
            request,
            already=_("This case already has a meeting; reschedule it instead."),
            starts_at=starts_at,
            ends_at=ends_at,
            format=format,
            location=location,
            interpreter_language=interpreter_language,
            participants=participants,
            now=timezone.now(),
        )
        DatePoll.objects.filter(request=request, state=DatePollState.OPEN).update(
            state=DatePollState.SCHEDULED, closed_at=meeting.scheduled_at
        )
        request_transition(
            request=request,
            to_status=RequestStatus.SCHEDULED,
            by=by,
            reason=gettext_lazy("Meeting scheduled"),
        )
        MeetingChange.objects.create(
            meeting=meeting,
            kind=MeetingChangeKind.SCHEDULED,
            by=by if getattr(by, "is_authenticated", False) else None,
            sequence=meeting.sequence,
            starts_at=starts_at,
        )
        notify_meeting(
            meeting=meeting, event=Event.MEETING_SCHEDULED, key=f"scheduled:{meeting.sequence}"
        )
    return meeting


def meeting_reschedule(
    *,
    meeting,
    by,
    starts_at,
    ends_at,
    reason="",
    format=None,
    location=None,
    interpreter_language=None,
    participants=None,
):
    """Move a scheduled meeting (and optionally change its details or participants).

    Keeps the calendar UID and increments SEQUENCE, so calendars update the invitation.
    Side effects: updates the Meeting (and Participants if given), records a MeetingChange
    with the reason, queues MEETING_RESCHEDULED with the new ``.ics`` to everyone.
    """
    _validate_times(starts_at, ends_at)
    if format is not None or participants is not None:
        _validate_details(format or meeting.format, participants or [])
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != MeetingStatus.SCHEDULED or meeting.outcome_recorded_at:
            raise ServiceError(_("Only a scheduled meeting can be rescheduled."))
        if meeting.request.status != RequestStatus.SCHEDULED:
            raise ServiceError(
                _("This case is “%(status)s”; its meeting can no longer be changed.")
                % {"status": RequestStatus(meeting.request.status).label}
            )
        meeting.sequence += 1
        meeting.starts_at, meeting.ends_at = starts_at, ends_at
        if format is not None:
            meeting.format = format
        if location is not None:
            meeting.location = location
        if interpreter_language is not None:
            meeting.interpreter_language = interpreter_language
        meeting.scheduled_at = timezone.now()
        meeting.save()
        if participants is not None:
            _set_participants(meeting, participants)
        MeetingChange.objects.create(
            meeting=meeting,
            kind=MeetingChangeKind.RESCHEDULED,
            by=by if getattr(by, "is_authenticated", False) else None,
            sequence=meeting.sequence,
            starts_at=starts_at,
            reason=reason,
        )
        notify_meeting(
            meeting=meeting,
            event=Event.MEETING_RESCHEDULED,
            key=f"rescheduled:{meeting.sequence}",
            extra={"reason": reason},
        )
    return meeting


def _cancel_locked(meeting, *, by, reason, by_party, request_to=None):
    """Cancel a locked, scheduled meeting: status, SEQUENCE, history, METHOD:CANCEL mail.

    ``request_to`` is the status the request moves to, or None when the request has
    already been closed by its own app (``fiep_requests.signals.request_closed``).
    """
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save()
    if request_to is not None:
        request_transition(request=meeting.request, to_status=request_to, by=by, reason=reason)
    MeetingChange.objects.create(
        meeting=meeting,
        kind=MeetingChangeKind.CANCELLED,
        by=by if getattr(by, "is_authenticated", False) else None,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        reason=reason,
    )
    notify_meeting(
        meeting=meeting,
        event=Event.MEETING_CANCELLED,
        key=f"cancelled:{meeting.sequence}",
        extra={"reason": reason, "by_party": by_party},
        cancel=True,
    )
    return meeting


def meeting_cancel(*, meeting, by, reason, by_party):
    """Cancel a scheduled meeting, saying who asked and why.

    ``by_party=True`` (a parent or the district called it off) ends the request as
    ``cancelled`` with that reason; ``by_party=False`` (staff or the facilitator will find
    a new date) returns the request to ``assigned`` so it can be scheduled again.
    Side effects: Meeting status CANCELLED and SEQUENCE+1, a MeetingChange, a StatusChange
    on the request, and MEETING_CANCELLED with an ``.ics`` (METHOD:CANCEL) to everyone.
    When the request ends (``by_party``), ``fiep_requests.signals.request_closed`` is
    sent, so the facilitators app releases the assignment.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the meeting is cancelled."))
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status != MeetingStatus.SCHEDULED or meeting.outcome_recorded_at:
            raise ServiceError(_("Only a scheduled meeting can be cancelled."))
        if meeting.request.status != RequestStatus.SCHEDULED:
            raise ServiceError(
                _("This case is “%(status)s”; its meeting can no longer be changed.")
                % {"status": RequestStatus(meeting.request.status).label}
            )
        request_to = RequestStatus.CANCELLED if by_party else RequestStatus.ASSIGNED
        _cancel_locked(meeting, by=by, reason=reason, by_party=by_party, request_to=request_to)
        if by_party:
            request_closed.send(
                sender=FacilitationRequest,
                request=meeting.request,
                status=meeting.request.status,
                by=by,
            )
    return meeting


def meeting_cancel_for_closed_request(*, request, by=None, reason=""):
    """Cancel the scheduled meeting of a request that has just been closed elsewhere.

    Called by the ``request_closed`` receiver (withdrawn, cancelled, denied, consent
    declined or expired): the request already has its final status, so it is NOT moved
    again. Does nothing (returns None) when the case has no scheduled meeting.
    Side effects: Meeting status CANCELLED and SEQUENCE+1, a MeetingChange, and
    MEETING_CANCELLED with an ``.ics`` (METHOD:CANCEL) to every participant and the
    facilitator, after commit.
    """
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update()
            .filter(request_id=request.pk, status=MeetingStatus.SCHEDULED)
            .first()
        )
        if meeting is None or meeting.outcome_recorded_at:
            return None
        reason = (reason or "").strip() or (request.closed_reason or "").strip()
        if not reason:
            reason = _recorded_status_reason(request.status)
        meeting.request = request
        return _cancel_locked(meeting, by=by, reason=reason, by_party=True)


def _recorded_status_reason(status):
    """“The request was withdrawn.” and the like, in the site's language."""
    return in_site_language(
        gettext_lazy("The request is now “%(status)s”."), status=RequestStatus(status).label
    )


def reminder_due_times(meeting):
    """``{days: aware datetime}`` when each reminder is due.

    Computed on the state's wall clock: the 7-day reminder of a 10:00 meeting is due at
    10:00 local time seven calendar days before, even when a DST change lies between
    (plain ``starts_at - 7 * 24h`` would be an hour off).
    """
    zone = local_zone()
    local_start = timezone.localtime(meeting.starts_at, zone)
    due = {}
    for days in REMINDER_DAYS:
        day = local_start.date() - datetime.timedelta(days=days)
        due[days] = datetime.datetime.combine(day, local_start.time(), tzinfo=zone)
    return due


def reminders_due(meeting, now):
    """The reminder (days) to send for ``meeting`` at ``now``, or ``None``.

    A reminder is sent from its due time until the next one is due (or the meeting
    starts), and only if it fell due after the current date was set: a meeting set three
    days ahead gets the 1-day reminder, not a late 7-day one.
    """
    if meeting.status != MeetingStatus.SCHEDULED or not meeting.starts_at:
        return None
    due = reminder_due_times(meeting)
    ordered = sorted(REMINDER_DAYS, reverse=True)  # 7, then 1
    for index, days in enumerate(ordered):
        until = due[ordered[index + 1]] if index + 1 < len(ordered) else meeting.starts_at
        if due[days] <= now < until:
            if meeting.scheduled_at and meeting.scheduled_at > due[days]:
                return None
            return days
    return None


def reminders_send(*, now=None):
    """Queue the reminders due now (7 and 1 days before) to participants and facilitator.

    Idempotent: each reminder's dedupe key names the meeting, its SEQUENCE, the reminder
    and the address, so the hourly beat (or a retry) never sends one twice; a rescheduled
    meeting gets fresh reminders. Side effects: OutboxMessage rows (MEETING_REMINDER).
    Returns the number of meetings reminded.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=max(REMINDER_DAYS) + 1)
    meetings = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED,
            # A case withdrawn or cancelled elsewhere keeps its meeting row: no reminders.
            request__status=RequestStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=horizon,
        )
        .select_related("request", "facilitator__user")
        .prefetch_related("participants")
    )
    reminded = 0
    for meeting in meetings:
        days = reminders_due(meeting, now)
        if days is None:
            continue
        with transaction.atomic():
            notify_meeting(
                meeting=meeting,
                event=Event.MEETING_REMINDER,
                key=f"reminder:{meeting.sequence}:{days}",
                extra={"days": days},
            )
        reminded += 1
    return reminded


def calendar_feed_for(*, facilitator):
    """The facilitator's private feed (created on first use). Side effects: a CalendarFeed."""
    feed, _created = CalendarFeed.objects.get_or_create(
        facilitator=facilitator, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


def calendar_feed_reset(*, facilitator):
    """Replace the feed token (the old URL stops working). Side effects: CalendarFeed saved."""
    feed = calendar_feed_for(facilitator=facilitator)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token"])
    return feed


__all__ = [
    "calendar_feed_for",
    "calendar_feed_reset",
    "meeting_cancel",
    "meeting_cancel_for_closed_request",
    "meeting_reschedule",
    "meeting_schedule",
    "reminder_due_times",
    "reminders_due",
    "reminders_send",
]
