"""The values of the facilitator messages taken from a real case's latest assignment, for
the wording editor's preview (``fiep.signals.wording_preview_context``)."""

from fiep.access import get_object_for
from fiep.services import access_log_record
from fiep_requests.models import MeetingType, RequestStatus
from fiep_requests.selectors import visible_requests

from .models import Assignment

EVENTS = {"facilitator_assigned", "facilitator_declined", "facilitator_released"}


def preview_context(*, event, case_reference, user, language, request=None):
    """``[values]`` of ``event`` for case ``case_reference`` and its latest assignment
    (None when it never had one); Http404 outside ``user``'s scope. Access-logged."""
    if event not in EVENTS:
        return None
    case = get_object_for(user, visible_requests, reference=case_reference.strip().upper())
    assignment = (
        Assignment.objects.filter(request=case)
        .select_related("facilitator", "request__district__region")
        .order_by("-assigned_at", "-pk")
        .first()
    )
    if assignment is None:
        return None
    access_log_record(
        user=user,
        case_reference=case.reference,
        purpose="message wording preview",
        obj=assignment,
        request=request,
    )
    facilitator = assignment.facilitator
    values = {
        "name": facilitator.first_name,
        "facilitator": facilitator.full_name,
        "reference": case.reference,
        "district": case.district.name,
        "region": case.district.region.name,
        "meeting_type": MeetingType(case.meeting_type).label if case.meeting_type else "",
        "meeting_date": case.meeting_date_set,
        "note": assignment.note,
        "status": RequestStatus(case.status).label,
    }
    if assignment.decline_reason:
        values["reason"] = assignment.decline_reason
    return [values]
