"""The outcome record a facilitator writes after the meeting, and overdue reminders."""

import datetime
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilitators.services import facilitator_trial_review
from fiep.exceptions import ServiceError
from fiep.i18n import in_site_language
from fiep.models import Letter, OutboxMessage
from fiep.notifications import Event, notify
from fiep_requests.models import RequestStatus
from fiep_requests.services import (
    all_parties,
    request_transition,
    requester_parties,
    status_url,
)

from ..clock import local_today, local_zone, when_in_words
from ..models import (
    Consensus,
    HeldResult,
    Meeting,
    MeetingChange,
    MeetingChangeKind,
    MeetingStatus,
    NextStep,
    OutcomeIssue,
    ParticipantRole,
)
from ..selectors import overdue_outcomes
from ..signals import outcome_recorded
from .common import facilitator_language

_MEETING_STATUS = {
    HeldResult.HELD: MeetingStatus.HELD,
    HeldResult.NO_SHOW: MeetingStatus.NO_SHOW,
    HeldResult.CANCELLED_AT_TABLE: MeetingStatus.CANCELLED,
}


def outcome_unavailable(meeting):
    """Why the outcome of ``meeting`` cannot be recorded yet or any more, or ``None``.

    Read before the form is shown, so nobody fills it in for nothing. "Not yet" is decided
    on the state's wall clock: the outcome opens at the meeting's start time.
    """
    if meeting.status == MeetingStatus.CANCELLED:
        return _("A cancelled meeting has no outcome.")
    if meeting.status != MeetingStatus.SCHEDULED or meeting.outcome_recorded_at:
        return _("The outcome of this meeting is already recorded.")
    if meeting.starts_at is None:
        return _("The meeting has no date.")
    if meeting.starts_at > timezone.now():
        return _not_started(meeting)
    return None


def _not_started(meeting):
    starts = timezone.localtime(meeting.starts_at, local_zone())
    return _(
        # The time ends the clause, never the sentence: "p.m." would meet a second period.
        "This meeting starts at %(time)s on %(date)s; the outcome can be recorded "
        "once the meeting has started."
    ) % {"date": date_format(starts, "DATE_FORMAT"), "time": time_format(starts)}


def _validate_outcome(
    meeting, held, actual_start, actual_end, attendees_by_role, consensus, issues
):
    errors = []
    if meeting.status == MeetingStatus.CANCELLED:
        errors.append(_("A cancelled meeting has no outcome."))
    elif meeting.status != MeetingStatus.SCHEDULED or meeting.outcome_recorded_at:
        errors.append(_("The outcome of this meeting is already recorded."))
    elif meeting.request.status != RequestStatus.SCHEDULED:
        errors.append(
            _("This case is “%(status)s”; its meeting can no longer be changed.")
            % {"status": RequestStatus(meeting.request.status).label}
        )
    if meeting.starts_at is None:
        errors.append(_("The meeting has no date."))
    elif meeting.starts_at > timezone.now():
        # On the state's wall clock: not before the meeting's start time, even on its day.
        errors.append(_not_started(meeting))
    if held not in HeldResult.values:
        errors.append(_("Say whether the meeting was held."))
    if held == HeldResult.HELD:
        if consensus not in Consensus.values:
            errors.append(_("Record the consensus reached."))
        if actual_start and actual_end and actual_end <= actual_start:
            errors.append(_("The actual end must be after the actual start."))
        resolved = [bool(r) for _text, r in issues]
        if consensus == Consensus.ALL and resolved and not all(resolved):
            errors.append(_("Consensus on all issues, but some issues are not resolved."))
        if consensus == Consensus.NONE and any(resolved):
            errors.append(_("No consensus, but some issues are marked resolved."))
    elif consensus:
        errors.append(_("Consensus is recorded only for a meeting that was held."))
    for role, count in (attendees_by_role or {}).items():
        if role not in ParticipantRole.values or int(count) < 0:
            errors.append(_("Attendance is counted by role, with numbers of 0 or more."))
            break
    if errors:
        raise ServiceError(errors)


def outcome_record(
    *,
    meeting,
    by,
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
    """Record what happened at the meeting.

    ``held`` is a :class:`HeldResult`; ``attendees_by_role`` maps a participant role to the
    number present; ``issues`` is ``[(text, resolved)]``. Refused before the meeting's start
    time (on the state's wall clock, so the surveys never go out before the meeting), for a
    cancelled meeting, and a second time.

    Side effects: the Meeting's outcome fields (``held_on`` = the meeting's local date when
    held), OutcomeIssue rows, participants' ``attended`` by role, a MeetingChange; the
    request moves SCHEDULED → HELD (held) or → CANCELLED (no-show, cancelled at the
    table); a held meeting counts toward a trial facilitator's promotion
    (:func:`facilitators.services.facilitator_trial_review`). After commit, a held
    meeting sends ``meetings.signals.outcome_recorded`` (the evaluations app invites the
    participants).
    """
    issues = [(str(text).strip(), bool(resolved)) for text, resolved in issues if str(text).strip()]
    attendees_by_role = {k: int(v) for k, v in (attendees_by_role or {}).items() if int(v or 0)}
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("request").get(pk=meeting.pk)
        _validate_outcome(
            meeting, held, actual_start, actual_end, attendees_by_role, consensus, issues
        )
        meeting.held_result = held
        meeting.status = _MEETING_STATUS[HeldResult(held)]
        is_held = held == HeldResult.HELD
        meeting.held_on = timezone.localdate(meeting.starts_at, local_zone()) if is_held else None
        meeting.actual_start = actual_start if is_held else None
        meeting.actual_end = actual_end if is_held else None
        meeting.attendance = attendees_by_role if is_held else {}
        meeting.consensus = consensus if is_held else ""
        meeting.iep_completed = iep_completed if is_held else None
        meeting.next_step = next_step or NextStep.NONE
        meeting.private_notes = private_notes
        meeting.shared_summary = shared_summary
        meeting.outcome_recorded_at = timezone.now()
        meeting.outcome_recorded_by = by if getattr(by, "is_authenticated", False) else None
        meeting.save()
        meeting.issues.all().delete()
        OutcomeIssue.objects.bulk_create(
            OutcomeIssue(meeting=meeting, description=text[:300], resolved=resolved)
            for text, resolved in issues
        )
        for participant in meeting.participants.all():
            participant.attended = is_held and attendees_by_role.get(participant.role, 0) > 0
            participant.save(update_fields=["attended"])
        label = HeldResult(held).label
        request_transition(
            request=meeting.request,
            to_status=RequestStatus.HELD if is_held else RequestStatus.CANCELLED,
            by=by,
            reason=gettext_lazy("Outcome recorded: %(result)s"),
            reason_params={"result": label},
        )
        MeetingChange.objects.create(
            meeting=meeting,
            kind=MeetingChangeKind.OUTCOME,
            by=meeting.outcome_recorded_by,
            sequence=meeting.sequence,
            starts_at=meeting.starts_at,
            reason=str(label),
        )
        if meeting.shared_summary.strip():
            shared_summary_send(meeting=meeting)
        if is_held and meeting.facilitator_id:
            # A trial facilitator becomes active after FIEP_TRIAL_FACILITATIONS held meetings.
            facilitator_trial_review(facilitator=meeting.facilitator)
        if is_held:
            # Robust: the outcome is committed; a failure inviting is logged, never shown as
            # an error page, and evaluations.invitations_sweep invites later.
            transaction.on_commit(
                lambda: outcome_recorded.send(sender=Meeting, meeting=meeting), robust=True
            )
    return meeting


def _summary_digest(text):
    return hashlib.sha256(text.strip().encode()).hexdigest()[:16]


def shared_summary_send(*, meeting):
    """E-mail the summary that can be shared with the parties to the parent and the
    district contact, each in their language (``MEETING_SUMMARY``).

    Sent once per text: the dedupe key names the case, the party and a digest of the
    summary, so calling this again sends nothing, and a corrected summary (another text)
    is sent once more, saying it replaces the earlier one. The requester's message links
    to their status page (the other party never gets the requester's private link).
    A party without an e-mail address but with a mailing address gets it as a letter
    (``notify``: queued in the print batch); with neither, nothing. Side effects:
    OutboxMessage rows, sent after the surrounding transaction commits, or Letter rows.
    Returns the number of messages written or found.
    """
    summary = meeting.shared_summary.strip()
    case = meeting.request
    if not summary or meeting.outcome_recorded_at is None:
        return 0
    digest = _summary_digest(summary)
    requester_roles = {party["role"] for party in requester_parties(case)}
    count = 0
    for party in all_parties(case):
        if not (party["email"] or party["address"]):
            continue
        prefix = f"{Event.MEETING_SUMMARY.value}:{case.reference}:{party['role']}:"
        sent = OutboxMessage if party["email"] else Letter
        corrected = (
            sent.objects.filter(dedupe_key__startswith=prefix)
            .exclude(dedupe_key=prefix + digest)
            .exists()
        )
        is_requester = party["role"] in requester_roles
        notify(
            event=Event.MEETING_SUMMARY,
            to_email=party["email"],
            to_address=party["address"],
            to_name=party["name"],
            language=party["language"],
            context={
                "name": party["name"],
                "reference": case.reference,
                "student_name": case.student_name,
                "school_name": case.school_name,
                # In the reader's language, zone by name: rendered inside the override.
                "when": lazy(when_in_words, str)(meeting.starts_at) if meeting.starts_at else "",
                "facilitator_name": (
                    meeting.facilitator.full_name if meeting.facilitator_id else ""
                ),
                "summary": summary,
                "corrected": corrected,
                "status_url": status_url(case) if is_requester else "",
            },
            dedupe_key=prefix + digest,
            case_reference=case.reference,
            related=meeting,
        )
        count += 1
    return count


def shared_summary_update(*, meeting, by, summary):
    """Correct the summary shared with the parties after the outcome was recorded.

    Refused before the outcome is recorded (the outcome form writes the first one).
    Side effects: ``Meeting.shared_summary`` saved, a MeetingChange (OUTCOME, "summary
    corrected") on the case timeline; a changed, non-empty text is e-mailed to the
    parties again as a correction (:func:`shared_summary_send`); the same text sends
    nothing.
    """
    with transaction.atomic():
        meeting = (
            # Lock the meeting row only (the facilitator is the nullable side of a join).
            Meeting.objects.select_for_update(of=("self",))
            .select_related("request", "facilitator")
            .get(pk=meeting.pk)
        )
        if meeting.outcome_recorded_at is None:
            raise ServiceError(_("Record the outcome first; the summary is part of it."))
        if meeting.request.identifying_data_purged_at is not None:
            raise ServiceError(_("The identifying data of this request is already destroyed."))
        summary = (summary or "").strip()
        if summary == meeting.shared_summary.strip():
            return meeting
        meeting.shared_summary = summary
        meeting.save(update_fields=["shared_summary", "updated_at"])
        MeetingChange.objects.create(
            meeting=meeting,
            kind=MeetingChangeKind.OUTCOME,
            by=by if getattr(by, "is_authenticated", False) else None,
            sequence=meeting.sequence,
            starts_at=meeting.starts_at,
            reason=in_site_language(gettext_lazy("Summary for the parties corrected")),
        )
        shared_summary_send(meeting=meeting)
    return meeting


def outcome_due_on(meeting):
    """The last day the outcome is on time: the meeting's local date + FIEP_OUTCOME_DUE_DAYS."""
    return timezone.localdate(meeting.starts_at, local_zone()) + datetime.timedelta(
        days=settings.FIEP_OUTCOME_DUE_DAYS
    )


def overdue_outcomes_remind(*, today=None):
    """Remind each facilitator of every outcome past due.

    A reminder the day it becomes overdue and then once a week (the dedupe key names the
    week of lateness), in the facilitator's language. Side effects: OutboxMessage rows
    (OUTCOME_OVERDUE). Returns the number of reminders written or found.
    """
    today = today or local_today()
    count = 0
    for meeting in overdue_outcomes(today=today).select_related("facilitator__user"):
        facilitator = meeting.facilitator
        if facilitator is None:
            continue
        due_on = outcome_due_on(meeting)
        week = (today - due_on).days // 7
        notify(
            event=Event.OUTCOME_OVERDUE,
            to_email=facilitator.email,
            to_name=facilitator.full_name,
            language=facilitator_language(facilitator),
            context={
                "name": facilitator.full_name,
                "reference": meeting.request.reference,
                "starts": timezone.localtime(meeting.starts_at, local_zone()),
                "due_on": due_on,
                "meeting_id": meeting.pk,
            },
            dedupe_key=f"meeting:{meeting.pk}:outcome-overdue:{week}",
            case_reference=meeting.request.reference,
            related=meeting,
        )
        count += 1
    return count
