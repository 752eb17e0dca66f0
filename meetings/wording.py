"""The values of the meeting messages taken from a real case's meeting, for the wording
editor's preview (``fiep.signals.wording_preview_context``)."""

from fiep.access import get_object_for
from fiep.services import access_log_record
from fiep_requests.selectors import visible_requests
from fiep_requests.services.parties import requester_parties

from .models import Meeting
from .services import outcome_due_on
from .services.common import meeting_context

EVENTS = {
    "meeting_scheduled",
    "meeting_rescheduled",
    "meeting_cancelled",
    "meeting_reminder",
    "outcome_overdue",
}


def preview_context(*, event, case_reference, user, language, request=None):
    """``[values]`` of ``event`` for the meeting of case ``case_reference`` (None when the
    case has no meeting with a time); Http404 outside ``user``'s scope. Access-logged."""
    if event not in EVENTS:
        return None
    case = get_object_for(user, visible_requests, reference=case_reference.strip().upper())
    meeting = (
        Meeting.objects.filter(request=case, starts_at__isnull=False)
        .select_related("request", "facilitator")
        .first()
    )
    if meeting is None:
        return None
    access_log_record(
        user=user,
        case_reference=case.reference,
        purpose="message wording preview",
        obj=meeting,
        request=request,
    )
    values = {**meeting_context(meeting), "name": requester_parties(case)[0]["name"]}
    if event == "outcome_overdue":
        values["name"] = meeting.facilitator.first_name if meeting.facilitator_id else ""
        values["due_on"] = outcome_due_on(meeting)
        values["meeting_id"] = meeting.pk
    return [values]
