"""The values of the survey messages taken from a real case's held meeting, for the
wording editor's preview (``fiep.signals.wording_preview_context``)."""

from fiep.access import get_object_for
from fiep.services import access_log_record
from fiep_requests.selectors import visible_requests
from meetings.models import Meeting

EVENTS = {
    "evaluation_invitation",
    "evaluation_reminder",
    "facilitator_self_evaluation",
    "evaluation_follow_up",
}


def preview_context(*, event, case_reference, user, language, request=None):
    """``[values]`` of ``event`` for the held meeting of case ``case_reference`` (None
    when it has none); Http404 outside ``user``'s scope. Access-logged; the survey links
    and their expiry stay examples."""
    if event not in EVENTS:
        return None
    case = get_object_for(user, visible_requests, reference=case_reference.strip().upper())
    meeting = (
        Meeting.objects.filter(request=case, held_on__isnull=False)
        .select_related("facilitator")
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
    values = {"reference": case.reference, "held_on": meeting.held_on}
    if meeting.facilitator_id:
        values["name"] = meeting.facilitator.first_name
    return [values]
